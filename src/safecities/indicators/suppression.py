"""The small-number rule, asked by every page, chart, export and API answer that shows a value.

A count under the threshold (`settings.SMALL_NUMBER_THRESHOLD`, default 5) is shown as "<5";
a rate, percentage or score built on a numerator under the threshold is withheld (None), since
it would let a reader work the small count back out. Zero is not small: "none happened" reveals
no one. Values without a numerator (a survey score, a published rate) are shown as they are.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from .models import Indicator, Observation

DEFAULT_THRESHOLD = 5


def threshold() -> int:
    return int(getattr(settings, "SMALL_NUMBER_THRESHOLD", DEFAULT_THRESHOLD))


def _parts(observation_or_indicator, value=None, numerator=None):
    if isinstance(observation_or_indicator, Observation):
        o = observation_or_indicator
        return o.indicator, o.value, o.numerator
    return observation_or_indicator, value, numerator


def _small(number) -> bool:
    return number is not None and 0 < Decimal(number) < threshold()


def is_suppressed(
    observation_or_indicator: Observation | Indicator,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
) -> bool:
    """Is the exact value hidden? Called as `is_suppressed(observation)` or
    `is_suppressed(indicator, value, numerator)`."""
    indicator, value, numerator = _parts(observation_or_indicator, value, numerator)
    if indicator.unit_type == Indicator.UnitType.COUNT:
        return _small(value)
    return _small(numerator)


def suppressed_rows(indicators: Iterable[Indicator]) -> Callable[[int, Any, Any], bool]:
    """`is_suppressed` for many rows of plain values, `check(indicator_id, value, numerator)`:
    the threshold and the indicators' unit types are read once, not once a row. The numbers
    may be Decimals, ints or floats (as a database hands them back)."""
    small = threshold()
    counts = frozenset(i.pk for i in indicators if i.unit_type == Indicator.UnitType.COUNT)

    def check(indicator_id: int, value, numerator) -> bool:
        number = value if indicator_id in counts else numerator
        return number is not None and 0 < number < small

    return check


def shown_q(count: Q | None = None) -> Q:
    """The observations `is_suppressed` lets through, as a query (for exports that leave the
    suppressed ones out instead of masking them): a count not between 0 and the threshold, any
    other unit whose numerator is not. `count` is how the query tells an observation of a
    count (by default through the join to its indicator)."""
    limit = threshold()
    small_value = Q(value__gt=0, value__lt=limit)
    small_numerator = Q(numerator__gt=0, numerator__lt=limit)
    if count is None:
        count = Q(indicator__unit_type=Indicator.UnitType.COUNT)
    return (count & ~small_value) | (~count & ~small_numerator)


def display_value(
    observation_or_indicator: Observation | Indicator,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
) -> str | None:
    """The value as it may be shown: the number as text, "<5" for a small count, or None for
    a rate withheld because its numerator is small (or when there is no value)."""
    indicator, value, numerator = _parts(observation_or_indicator, value, numerator)
    if value is None:
        return None
    if indicator.unit_type == Indicator.UnitType.COUNT:
        return display_count(value)
    if _small(numerator):
        return None
    return _plain(value)


def display_count(number: Decimal | None) -> str | None:
    """A count as it may be shown: "<5" under the threshold, else the number as text (None when
    there is none). A rate's numerator is such a count."""
    if number is None:
        return None
    if _small(number):
        return f"<{threshold()}"
    return _plain(number)


def _plain(value) -> str:
    """`Decimal("12.500000")` -> "12.5", `Decimal("40.000000")` -> "40"."""
    text = format(Decimal(value).normalize(), "f")
    return text
