"""Translated short labels: one JSON value per language, read with a fallback to English."""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import InvalidInput

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def translated_with_language(values: dict | None, language: str | None = None) -> tuple[str, str]:
    """(text, language code) of a {language: text} value in `language` (the active one if not
    given), else English, else any: the code marks the text's language when it is not the
    page's. ("", "") when there is no value."""
    if not values:
        return "", ""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, "en"):
        if values.get(code):
            return values[code], code
    code, text = next(iter(values.items()))
    return text, code


def translated(values: dict | None, language: str | None = None) -> str:
    """The value for the active language, else English, else any value there is."""
    return translated_with_language(values, language)[0]


def clean_translations(values: dict | None, field: str, *, required: bool) -> dict:
    """A text per language as services store it: stripped, empty languages dropped, and English
    required when `required` (the fallback every reader can get)."""
    cleaned = {k: (v or "").strip() for k, v in (values or {}).items()}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if required and not cleaned.get("en"):
        raise InvalidInput(_("Give it in English at least."), field=field)
    return cleaned


def given_translations(
    values: dict | None, field: str, *, required: bool, message: str = ""
) -> dict[str, str]:
    """The texts of `values` in the site's languages, stripped, empty ones left out; with
    `required`, the English one must be given, else `message` is raised on `<field>_en`."""
    cleaned = {k: (v or "").strip() for k, v in (values or {}).items() if k in LANGUAGE_CODES}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if required and not cleaned.get("en"):
        raise InvalidInput(message or _("Give it in English."), field=f"{field}_en")
    return cleaned
