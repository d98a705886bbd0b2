"""Change since baseline, rankings and comparisons: what "does the work change anything" reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from safecities.network.models import Municipality

from .. import periods, suppression
from ..models import (
    Baseline,
    Indicator,
    LatestObservation,
    Observation,
    ObservationStatus,
    Target,
)
from .observations import latest_by_city

# --- change since baseline, rankings, comparisons ------------------------------------------
#
# What "does the work change anything" reads. Every value passes the small-number rule
# (`suppression`): a suppressed value is None here, with `display` saying how it may be shown
# ("<5" for a small count, None for a rate withheld), so no caller can leak it by accident.


@dataclass(frozen=True)
class Reading:
    """One value of an indicator for a city: a baseline, the latest observation or a target.

    `value` is None when the small-number rule hides it; `display` is how it may be shown.
    """

    period: str
    period_start: date
    value: Decimal | None
    display: str | None
    status: str = ""  # an observation's status (provisional, final); empty otherwise
    suppressed: bool = False
    # What an observed rate or share is built on: its numerator as a count may be shown ("<5"
    # when small), and its denominator (the population or sample counted in).
    numerator: str | None = None
    denominator: Decimal | None = None

    @property
    def status_label(self) -> str:
        """An observation's status as a page shows it, in the reader's language; empty
        otherwise."""
        return str(ObservationStatus(self.status).label) if self.status else ""


# Where a city's indicator stands against its target, and the one wording of each state that
# every page (the city dashboard, a plan's effect page, the reports) shows for it.
PROGRESS_LABELS = {
    "withheld": _("Withheld"),
    "met": _("Target met"),
    "on_track": _("On track"),
    "off_track": _("Not on track"),
    "no_target": _("No target"),
    "no_baseline": _("No baseline"),
    "no_figures": _("No figures yet"),
}


@dataclass(frozen=True)
class ChangeSinceBaseline:
    """How a city's indicator moved from its baseline to its latest observation, against its
    target.

    `change` is latest − baseline (in the indicator's unit: percentage points for a
    percentage); `change_percent` is that change relative to the baseline, where that means
    something (not for percentages, not from a zero baseline). `improved` reads the change by
    the indicator's `better` direction: None when there is no change, or nothing to compare.
    `target_met` and `on_track` are None without a target (and `on_track` without a baseline).
    When the baseline or the latest value rests on a small number, `suppressed` is True and
    every number derived from it is None.
    """

    indicator: Indicator
    municipality: Municipality
    baseline: Reading | None
    latest: Reading | None
    target: Reading | None
    change: Decimal | None = None
    change_percent: Decimal | None = None
    improved: bool | None = None
    target_met: bool | None = None
    on_track: bool | None = None
    suppressed: bool = False

    @property
    def has_baseline(self) -> bool:
        return self.baseline is not None

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def progress(self) -> str:
        """Met, on track, not on track, or why it cannot be said: a key of PROGRESS_LABELS."""
        if self.suppressed:
            return "withheld"
        if self.target_met:
            return "met"
        if self.on_track is True:
            return "on_track"
        if self.on_track is False:
            return "off_track"
        if not self.has_target:
            return "no_target"
        if not self.has_baseline:
            return "no_baseline"
        return "no_figures"

    @property
    def verdict(self) -> str:
        """The progress against the target in words, the same on every page."""
        return str(PROGRESS_LABELS[self.progress])

    @property
    def change_text(self) -> str:
        """The change as people read it: "+2.5 (+12.0%)", or empty without one."""
        if self.change is None:
            return ""
        sign = "+" if self.change > 0 else ""
        text = f"{sign}{self.change.normalize():f}"
        if self.change_percent is not None:
            text += f" ({sign}{self.change_percent}%)"
        return text


def _better(indicator: Indicator, difference: Decimal) -> bool | None:
    """Is a (non-zero) difference an improvement by the indicator's direction?"""
    if difference == 0:
        return None
    higher = indicator.better == Indicator.Better.HIGHER
    return (difference > 0) == higher


def _reaches(indicator: Indicator, value: Decimal, aim: Decimal) -> bool:
    if indicator.better == Indicator.Better.HIGHER:
        return value >= aim
    return value <= aim


def _observed(indicator: Indicator, o: Observation | LatestObservation | Any) -> Reading:
    """`o`: an observation, or a plain row with the fields of `OBSERVED`."""
    hidden = suppression.is_suppressed(indicator, o.value, o.numerator)
    return Reading(
        period=o.period,
        period_start=o.period_start,
        value=None if hidden else o.value,
        display=suppression.display_value(indicator, o.value, o.numerator),
        status=o.status,
        suppressed=hidden,
        numerator=suppression.display_count(o.numerator),
        denominator=o.denominator,
    )


def _baseline_reading(indicator: Indicator, b: Baseline) -> Reading:
    # A baseline stores a value, not its numerator: the observation of the baseline's period,
    # where there is one, says whether the value rests on a small number.
    numerator = getattr(b, "observed_numerator", None)
    hidden = suppression.is_suppressed(indicator, b.value, numerator)
    return Reading(
        period=b.period,
        period_start=b.period_start,
        value=None if hidden else b.value,
        display=suppression.display_value(indicator, b.value, numerator),
        suppressed=hidden,
    )


def _target_reading(t: Target) -> Reading:
    # A target is the city's aim, not a statistic about people: it is never suppressed.
    return Reading(
        period=t.period,
        period_start=t.period_start,
        value=t.value,
        display=suppression.display_value(t.indicator, t.value),
    )


def _target_for(targets: list[Target], latest: LatestObservation | None) -> Target | None:
    """The target that applies now: the first one due at or after the latest observation's
    period, else the last one (targets come ordered by period)."""
    if not targets:
        return None
    if latest is not None:
        for t in targets:
            if t.period_start >= latest.period_start:
                return t
    return targets[-1]


def _change(
    indicator: Indicator,
    municipality: Municipality,
    baseline: Baseline | None,
    latest: LatestObservation | None,
    target: Target | None,
) -> ChangeSinceBaseline:
    base = _baseline_reading(indicator, baseline) if baseline else None
    last = _observed(indicator, latest) if latest else None
    aim = _target_reading(target) if target else None
    suppressed = bool((base and base.suppressed) or (last and last.suppressed))
    found = ChangeSinceBaseline(
        indicator=indicator,
        municipality=municipality,
        baseline=base,
        latest=last,
        target=aim,
        suppressed=suppressed,
    )
    # a reading the small-number rule lets through has its value
    if suppressed or last is None or last.value is None:
        return found
    target_met = None
    if aim is not None and aim.value is not None:
        target_met = _reaches(indicator, last.value, aim.value)
    if base is None or base.value is None:
        return replace(found, target_met=target_met)
    change = last.value - base.value
    change_percent = None
    if indicator.unit_type != Indicator.UnitType.PERCENTAGE and base.value != 0:
        change_percent = (change / abs(base.value) * 100).quantize(Decimal("0.1"))
    on_track = None
    if aim is not None and target_met is not None:
        on_track = _on_track(indicator, base, last, aim, met=target_met)
    return replace(
        found,
        target_met=target_met,
        change=change,
        improved=_better(indicator, change),
        change_percent=change_percent,
        on_track=on_track,
    )


def _on_track(
    indicator: Indicator, base: Reading, last: Reading, aim: Reading, *, met: bool
) -> bool:
    """Met, or at least as far from the baseline towards the target as the time elapsed
    (a straight line from the baseline's period to the target's)."""
    if met:
        return True
    span = (aim.period_start - base.period_start).days
    if span <= 0 or last.period_start >= aim.period_start:
        return False
    elapsed = max((last.period_start - base.period_start).days, 0)
    if base.value is None or aim.value is None or last.value is None:
        return False  # not reached: the readings compared are shown whole (see `_change`)
    expected = base.value + (aim.value - base.value) * Decimal(elapsed) / Decimal(span)
    return _reaches(indicator, last.value, expected)


def changes_for(
    pairs: Iterable[tuple[Indicator, Municipality]],
) -> dict[tuple[int, int], ChangeSinceBaseline]:
    """`change_since_baseline` for many (indicator, municipality) pairs, keyed by
    (indicator id, municipality id). Three queries, whatever the number of pairs."""
    pairs = list(dict.fromkeys((i, m) for i, m in pairs))
    if not pairs:
        return {}
    indicator_ids = {i.pk for i, _m in pairs}
    city_ids = {m.pk for _i, m in pairs}
    scope = {"indicator_id__in": indicator_ids, "municipality_id__in": city_ids}

    observed_numerator = Observation.objects.filter(
        indicator=OuterRef("indicator"),
        municipality=OuterRef("municipality"),
        district="",
        period=OuterRef("period"),
    ).values("numerator")[:1]
    baselines = {
        (b.indicator_id, b.municipality_id): b
        for b in Baseline.objects.filter(**scope).annotate(
            observed_numerator=Subquery(observed_numerator)
        )
    }
    targets: dict[tuple[int, int], list[Target]] = {}
    for t in Target.objects.filter(**scope).order_by("period_start"):
        targets.setdefault((t.indicator_id, t.municipality_id), []).append(t)
    latest = {
        (o.indicator_id, o.municipality_id): o for o in LatestObservation.objects.filter(**scope)
    }

    result = {}
    for indicator, municipality in pairs:
        key = (indicator.pk, municipality.pk)
        if key in result:
            continue
        cell_targets = targets.get(key, [])
        for t in cell_targets:
            t.indicator = indicator
        last = latest.get(key)
        result[key] = _change(
            indicator, municipality, baselines.get(key), last, _target_for(cell_targets, last)
        )
    return result


def change_since_baseline(
    indicator: Indicator, *, municipality: Municipality
) -> ChangeSinceBaseline:
    """How `municipality` moved on `indicator` since its baseline, against its target."""
    return changes_for([(indicator, municipality)])[(indicator.pk, municipality.pk)]


# A city as a ranking reads it from the database: (id, name, slug), the model built only for
# the rows a page shows (building hundreds of models costs more than the rest of the ranking).
CityKey = tuple[int, str, str]


@dataclass(frozen=True)
class RankedValue:
    """A city's place in a ranking: `position` is None for a suppressed value (listed last).
    `city` is the municipality, or its (id, name, slug) read without building the model:
    `municipality` gives the model either way (other fields load when first read)."""

    position: int | None
    city: Municipality | CityKey
    reading: Reading

    @property
    def name(self) -> str:
        return _city_name(self.city)

    @property
    def slug(self) -> str:
        return self.city.slug if isinstance(self.city, Municipality) else self.city[2]

    @cached_property
    def municipality(self) -> Municipality:
        if isinstance(self.city, Municipality):
            return self.city
        return Municipality.from_db(None, ["id", "name", "slug"], self.city)


def _city_name(city: Municipality | CityKey) -> str:
    return city.name if isinstance(city, Municipality) else city[1]


# What a Reading of an observation reads, fetched as plain rows (no model built per row).
OBSERVED = ("period", "period_start", "value", "numerator", "denominator", "status")


def ranking(indicator: Indicator, *, period: str | None = None) -> list[RankedValue]:
    """Each city's latest whole-city value of `indicator` (or its value for `period`), best
    first by the indicator's `better` direction; equal values share a position. Suppressed
    values come last, in name order, shown as the small-number rule allows. One query."""
    rows: QuerySet[Observation] | QuerySet[LatestObservation]
    if period is None:
        rows = latest_by_city(indicator)
    else:
        period, start = periods.normalise(period, indicator.period_type)
        # the period's start too: the index on (indicator, period start) finds its rows
        rows = Observation.objects.filter(
            indicator=indicator, district="", period=period, period_start=start
        )
    city = ("municipality_id", "municipality__name", "municipality__slug")
    return _ranked(
        indicator,
        [
            (
                (o.municipality_id, o.municipality__name, o.municipality__slug),
                _observed(indicator, o),
            )
            for o in rows.values_list(*city, *OBSERVED, named=True)
        ],
    )


def _rank_key(reading: Reading, *, higher: bool) -> Decimal:
    value = reading.value if reading.value is not None else Decimal(0)  # shown: has a value
    return -value if higher else value


def _ranked(
    indicator: Indicator, readings: list[tuple[Municipality | CityKey, Reading]]
) -> list[RankedValue]:
    """`readings` ranked best first (see `ranking`)."""
    shown = [(m, r) for m, r in readings if not r.suppressed]
    hidden = [(m, r) for m, r in readings if r.suppressed]
    higher = indicator.better == Indicator.Better.HIGHER
    shown.sort(key=lambda mr: (_rank_key(mr[1], higher=higher), _city_name(mr[0])))
    hidden.sort(key=lambda mr: _city_name(mr[0]))
    result: list[RankedValue] = []
    previous = None
    for n, (municipality, reading) in enumerate(shown, start=1):
        position = result[-1].position if reading.value == previous else n
        previous = reading.value
        result.append(RankedValue(position, municipality, reading))
    result.extend(RankedValue(None, m, r) for m, r in hidden)
    return result


@dataclass(frozen=True)
class CitySeries:
    """A city's whole-city observations of one indicator, oldest period first."""

    municipality: Municipality
    readings: list[Reading]

    def by_period(self) -> dict[str, Reading]:
        return {r.period: r for r in self.readings}


@dataclass(frozen=True)
class Comparison:
    """Cities' series on one indicator, for a chart: `periods` is the shared axis, in order."""

    indicator: Indicator
    periods: list[str]
    series: list[CitySeries]


def compare_cities(indicator: Indicator, *, municipalities: Iterable[Municipality]) -> Comparison:
    """The series of `indicator` for each of `municipalities` (in the order given), with the
    periods any of them has. Suppressed values are None with their display. One query."""
    municipalities = list(dict.fromkeys(municipalities))
    # Put in order here, not by the database: asked to order by period, SQLite would walk the
    # whole indicator's index by period (every city and district) instead of each city's cells.
    # Plain rows, not models: a long series builds hundreds.
    rows = sorted(
        Observation.objects.filter(
            indicator=indicator, district="", municipality__in=municipalities
        )
        .order_by()
        .values_list("municipality_id", *OBSERVED, named=True),
        key=lambda o: o.period_start,
    )
    per_city: dict[int, list[Reading]] = {m.pk: [] for m in municipalities}
    axis: dict[str, date] = {}
    for o in rows:
        per_city[o.municipality_id].append(_observed(indicator, o))
        axis.setdefault(o.period, o.period_start)
    return Comparison(
        indicator=indicator,
        periods=sorted(axis, key=axis.__getitem__),
        series=[CitySeries(m, per_city[m.pk]) for m in municipalities],
    )
