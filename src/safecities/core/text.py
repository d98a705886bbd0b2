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
