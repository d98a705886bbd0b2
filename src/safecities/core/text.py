"""Text helpers."""

from django.utils.text import slugify

_NORDIC = str.maketrans(
    {
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "å": "a",
        "Å": "A",
        "ä": "a",
        "Ä": "A",
        "ö": "o",
        "Ö": "O",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ü": "u",
        "Ü": "U",
    }
)


def nordic_slug(text: str) -> str:
    """A URL slug that keeps Nordic letters readable: Bærum -> baerum, Tromsø -> tromso."""
    return slugify((text or "").translate(_NORDIC))


def unique_slug(model, base: str, *, fallback: str = "item") -> str:
    """A slug for a new row of `model` that no row has yet: oslo, oslo-2, oslo-3 …"""
    slug = nordic_slug(base)[:200] or fallback
    candidate, n = slug, 2
    while model.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
