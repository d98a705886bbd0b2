"""Periods: one normalised spelling per period type, and the date each period starts on.

| period type | normalised | also read (JSON-stat time codes of SSB, SCB, Statistics Finland, DST) |
|---|---|---|
| year | `2024` | `2024`, `2024A` |
| half_year | `2024-H1` | `2024H1`, `2024h1` |
| quarter | `2024-Q3` | `2024Q3`, `2024K3` (kvartal) |
| month | `2024-05` | `2024M05`, `2024-5` |

A period spelt for another type (a quarter for a yearly indicator) is bad input: `InvalidPeriod`
names the period and the indicator's period type.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

from safecities.core.errors import DomainError

from .models import Indicator

PeriodType = Indicator.PeriodType

_PATTERNS: dict[str, re.Pattern] = {
    PeriodType.YEAR: re.compile(r"(?P<year>\d{4})A?"),
    PeriodType.HALF_YEAR: re.compile(r"(?P<year>\d{4})-?[HhSs](?P<part>[12])"),
    PeriodType.QUARTER: re.compile(r"(?P<year>\d{4})-?[QqKk](?P<part>[1-4])"),
    PeriodType.MONTH: re.compile(r"(?P<year>\d{4})(?:-|M|m)(?P<part>0?[1-9]|1[0-2])"),
}

EXAMPLES = {
    PeriodType.YEAR: "2024",
    PeriodType.HALF_YEAR: "2024-H1",
    PeriodType.QUARTER: "2024-Q3",
    PeriodType.MONTH: "2024-05",
}


class InvalidPeriod(DomainError):
    """A period that is not one of the indicator's period type."""


def normalise(period, period_type: str, *, field: str = "period") -> tuple[str, date]:
    """(normalised period, the date it starts) of `period` for `period_type`.

    Raises InvalidPeriod naming the period and the period type when it does not fit.
    """
    text = str(period if period is not None else "").strip()
    pattern = _PATTERNS.get(period_type)
    match = pattern.fullmatch(text) if pattern else None
    if match is None:
        raise InvalidPeriod(
            _('"%(period)s" is not a period of type %(type)s (write it like %(example)s).')
            % {
                "period": text,
                "type": PeriodType(period_type).label if period_type in PeriodType else period_type,
                "example": EXAMPLES.get(period_type, "2024"),
            },
            field=field,
        )
    year = int(match["year"])
    if not 1900 <= year <= 2200:
        raise InvalidPeriod(
            _('"%(period)s": the year is out of range.') % {"period": text}, field=field
        )
    if period_type == PeriodType.YEAR:
        return f"{year}", date(year, 1, 1)
    part = int(match["part"])
    if period_type == PeriodType.HALF_YEAR:
        return f"{year}-H{part}", date(year, 1 + 6 * (part - 1), 1)
    if period_type == PeriodType.QUARTER:
        return f"{year}-Q{part}", date(year, 1 + 3 * (part - 1), 1)
    return f"{year}-{part:02d}", date(year, part, 1)
