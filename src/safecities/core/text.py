"""Text helpers."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .errors import InvalidInput

TEXT_LIMIT = 20_000

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


def clean_text(value, field: str, *, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    """A service's text input, stripped; refused naming `field` when it is not text, is
    required and empty, or is longer than `limit` characters."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(_("Give text."), field=field)
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("At most %(limit)d characters, please (this is %(length)d).")
            % {"limit": limit, "length": len(value)},
            field=field,
        )
    return value
