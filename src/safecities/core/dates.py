"""Dates are shown one way per language: a date in the language's DATE_FORMAT ("7 December 2026",
"7. desember 2026"), a moment (date and time) in its DATETIME_FORMAT. The pages use them as the
`day` and `moment` filters (core templatetags); code that writes a date into a sentence (the
start page's notes) calls them here, so both read alike."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils import formats, timezone
from django.utils.translation import get_language

DAY_FORMAT = "DATE_FORMAT"
MOMENT_FORMAT = "DATETIME_FORMAT"


# A list shows a date or a moment per row, and the same ones on each request: each text is
# worked out once per language and kept (a few thousand at most). A date's text is its day's
# (the formats are of dates only); a moment's is keyed by its wall-clock time and its zone,
# never by the instant alone (two zones' texts of one instant differ).


@lru_cache(maxsize=4096)
def _day_text(value: date, language: str | None) -> str:
    return formats.date_format(value, DAY_FORMAT)


@lru_cache(maxsize=4096)
def _moment_text(wall: datetime, zone: str | None, offset, language: str | None, value) -> str:
    return formats.date_format(value, MOMENT_FORMAT)


def day_text(value: date | datetime) -> str:
    """A date, or a datetime's date as it stands (no zone conversion), in DATE_FORMAT."""
    if isinstance(value, datetime):
        value = value.date()
    return _day_text(value, get_language())


def moment_text(value: datetime) -> str:
    """A datetime as it stands (no zone conversion) in DATETIME_FORMAT."""
    if not isinstance(value, datetime):
        return formats.date_format(value, MOMENT_FORMAT)
    return _moment_text(
        value.replace(tzinfo=None), value.tzname(), value.utcoffset(), get_language(), value
    )


def _forget(**kwargs) -> None:
    _day_text.cache_clear()
    _moment_text.cache_clear()


setting_changed.connect(_forget)


def day(value: date | datetime | None) -> str:
    """A date (or an aware datetime's date in the current time zone); "" for none."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return day_text(value)


def moment(value: datetime | None) -> str:
    """A datetime in the current time zone, as date and time; "" for none."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return moment_text(value)
