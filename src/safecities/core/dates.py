"""Dates are shown one way per language: a date in the language's DATE_FORMAT ("7 December 2026",
"7. desember 2026"), a moment (date and time) in its DATETIME_FORMAT. The pages use them as the
`day` and `moment` filters (core templatetags); code that writes a date into a sentence (the
start page's notes) calls them here, so both read alike."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone

DAY_FORMAT = "DATE_FORMAT"
MOMENT_FORMAT = "DATETIME_FORMAT"


def day(value: date | datetime | None) -> str:
    """A date (or an aware datetime's date in the current time zone); "" for none."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, DAY_FORMAT)


def moment(value: datetime | None) -> str:
    """A datetime in the current time zone, as date and time; "" for none."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, MOMENT_FORMAT)
