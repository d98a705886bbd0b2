"""Translated short labels: one JSON value per language, read with a fallback to English."""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def translated(values: dict | None, language: str | None = None) -> str:
    """The value for the active language, else English, else any value there is."""
    if not values:
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return values.get(language) or values.get("en") or next(iter(values.values()), "")


def missing_languages(values: dict | None) -> list[str]:
    return [code for code in LANGUAGE_CODES if not (values or {}).get(code)]
