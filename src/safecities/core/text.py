"""Text helpers, and the one rule for single-line text (titles, names)."""

import re
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, StringConstraints

from .errors import InvalidInput

TEXT_LIMIT = 20_000
LINE_LIMIT = 300  # a title or a name

# Characters a single line of text never needs: C0 and C1 control characters (tab, line feed,
# carriage return, NUL …), DEL, and Unicode's line and paragraph separators. In an iCalendar
# file, a mail header or a CSV they would start a new line or field.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SINGLE_LINE_MESSAGE = gettext_lazy(
    "Write this on one line, without line breaks, tabs or control characters."
)


def is_single_line(value: str) -> bool:
    return not _NOT_IN_A_LINE.search(value or "")


def validate_single_line(value) -> None:
    """Django validator for form and model fields holding one line (titles, names)."""
    if isinstance(value, str) and not is_single_line(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")


def _single_line_schema(value: str) -> str:
    if not is_single_line(value):
        raise ValueError(str(SINGLE_LINE_MESSAGE))
    return value


# The same rules for API schemas (pydantic): `title: SingleLine`, `summary: LongText`.
SingleLine = Annotated[
    str, StringConstraints(max_length=LINE_LIMIT), AfterValidator(_single_line_schema)
]
LongText = Annotated[str, StringConstraints(max_length=TEXT_LIMIT)]


def one_line(value) -> str:
    """Text written where a line break would break the format (an iCalendar property, a mail
    subject): control characters and line breaks become single spaces. For rows stored before
    the single-line rule."""
    return " ".join(_NOT_IN_A_LINE.sub(" ", str(value or "")).split())


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


def clean_text(
    value,
    field: str,
    *,
    required: bool = False,
    limit: int = TEXT_LIMIT,
    single_line: bool = False,
) -> str:
    """A service's text input, stripped; refused naming `field` when it is not text, is
    required and empty, is longer than `limit` characters, or (`single_line`: a title, a name)
    holds a line break or control character."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(_("Give text."), field=field)
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field=field)
    if single_line and not is_single_line(value):
        raise InvalidInput(str(SINGLE_LINE_MESSAGE), field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("At most %(limit)d characters, please (this is %(length)d).")
            % {"limit": limit, "length": len(value)},
            field=field,
        )
    return value
