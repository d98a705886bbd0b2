"""Reads of indicators and observations that are more than a `.get()`."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.network.models import Municipality

from . import periods, suppression
from .models import Baseline, Import, Indicator, Observation, ObservationRevision, Target


def observations(
    *,
    indicator: Indicator | None = None,
    municipality: Municipality | None = None,
    period: str | None = None,
) -> QuerySet[Observation]:
    """Observations, filtered by any of indicator, municipality and (normalised) period."""
    qs = Observation.objects.select_related("indicator", "municipality")
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if period is not None:
        qs = qs.filter(period=period)
    return qs.order_by("indicator__code", "municipality__name", "district", "period_start")


def series(
    indicator: Indicator, municipality: Municipality, *, district: str = ""
) -> QuerySet[Observation]:
    """A city's (or district's) observations of one indicator, oldest period first."""
    return (
        Observation.objects.filter(
            indicator=indicator, municipality=municipality, district=district
        )
        .select_related("indicator")
        .order_by("period_start")
    )


def _latest(**filters) -> QuerySet[Observation]:
    """The most recent whole-city observation per indicator and municipality among those
    `filters` select. One pass numbering each cell's periods, newest first (a window function):
    a subquery per row would be read again for every row, which a table of millions feels."""
    return (
        Observation.objects.filter(**filters, district="")
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("indicator_id"), F("municipality_id")],
                order_by=[F("period_start").desc()],
            )
        )
        .filter(newest=1)
    )


def latest_by_city(indicator: Indicator) -> QuerySet[Observation]:
    """Each municipality's most recent whole-city observation of `indicator`."""
    return (
        _latest(indicator=indicator)
        .select_related("municipality", "indicator")
        .order_by("municipality__name")
    )


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
    def verdict(self) -> str:
        """On track, not on track, met, or why it cannot be said."""
        if self.suppressed:
            return _("withheld")
        if self.target_met:
            return _("target met")
        if self.on_track is True:
            return _("on track")
        if self.on_track is False:
            return _("not on track")
        if not self.has_target:
            return _("no target")
        if not self.has_baseline:
            return _("no baseline")
        return _("no figures yet")

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


def _observed(indicator: Indicator, o: Observation) -> Reading:
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


def _target_for(targets: list[Target], latest: Observation | None) -> Target | None:
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
    latest: Observation | None,
    target: Target | None,
) -> ChangeSinceBaseline:
    base = _baseline_reading(indicator, baseline) if baseline else None
    last = _observed(indicator, latest) if latest else None
    aim = _target_reading(target) if target else None
    suppressed = bool((base and base.suppressed) or (last and last.suppressed))
    result = {
        "indicator": indicator,
        "municipality": municipality,
        "baseline": base,
        "latest": last,
        "target": aim,
        "suppressed": suppressed,
    }
    if suppressed or last is None:
        return ChangeSinceBaseline(**result)
    if aim is not None:
        result["target_met"] = _reaches(indicator, last.value, aim.value)
    if base is None:
        return ChangeSinceBaseline(**result)
    change = last.value - base.value
    result["change"] = change
    result["improved"] = _better(indicator, change)
    if indicator.unit_type != Indicator.UnitType.PERCENTAGE and base.value != 0:
        result["change_percent"] = (change / abs(base.value) * 100).quantize(Decimal("0.1"))
    if aim is not None:
        result["on_track"] = _on_track(indicator, base, last, aim, met=result["target_met"])
    return ChangeSinceBaseline(**result)


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
    latest = {(o.indicator_id, o.municipality_id): o for o in _latest(**scope)}

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


def change_since_baseline(indicator: Indicator, municipality: Municipality) -> ChangeSinceBaseline:
    """How `municipality` moved on `indicator` since its baseline, against its target."""
    return changes_for([(indicator, municipality)])[(indicator.pk, municipality.pk)]


@dataclass(frozen=True)
class RankedValue:
    """A city's place in a ranking: `position` is None for a suppressed value (listed last)."""

    position: int | None
    municipality: Municipality
    reading: Reading


def ranking(indicator: Indicator, period: str | None = None) -> list[RankedValue]:
    """Each city's latest whole-city value of `indicator` (or its value for `period`), best
    first by the indicator's `better` direction; equal values share a position. Suppressed
    values come last, in name order, shown as the small-number rule allows. One query."""
    if period is None:
        rows = latest_by_city(indicator)
    else:
        period, _start = periods.normalise(period, indicator.period_type)
        rows = Observation.objects.filter(
            indicator=indicator, district="", period=period
        ).select_related("municipality")
    return _ranked(indicator, [(o.municipality, _observed(indicator, o)) for o in rows])


def _ranked(
    indicator: Indicator, readings: list[tuple[Municipality, Reading]]
) -> list[RankedValue]:
    """`readings` ranked best first (see `ranking`)."""
    shown = [(m, r) for m, r in readings if not r.suppressed]
    hidden = [(m, r) for m, r in readings if r.suppressed]
    higher = indicator.better == Indicator.Better.HIGHER
    shown.sort(key=lambda mr: (-mr[1].value if higher else mr[1].value, mr[0].name))
    hidden.sort(key=lambda mr: mr[0].name)
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


def compare_cities(indicator: Indicator, municipalities: Iterable[Municipality]) -> Comparison:
    """The series of `indicator` for each of `municipalities` (in the order given), with the
    periods any of them has. Suppressed values are None with their display. One query."""
    municipalities = list(dict.fromkeys(municipalities))
    rows = Observation.objects.filter(
        indicator=indicator, district="", municipality__in=municipalities
    ).order_by("period_start")
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


# --- the pages: the list of indicators, an indicator's page and the dashboards -----------

INDICATOR_SORTS = {
    "code": ["code"],
    "name": ["name__en", "code"],
    "kind": ["kind", "code"],
    "goal": ["goal__position", "code"],
    "source": ["source", "code"],
}


def indicators_filtered(
    *,
    kind: str = "",
    goal: Goal | None = None,
    source: str = "",
    q: str = "",
    sort: str = "code",
) -> QuerySet[Indicator]:
    """Indicator definitions by kind, charter goal and source, searched by code or name (in any
    language), sorted by one of `INDICATOR_SORTS`."""
    qs = Indicator.objects.select_related("goal")
    if kind:
        qs = qs.filter(kind=kind)
    if goal is not None:
        qs = qs.filter(goal=goal)
    if source:
        qs = qs.filter(source=source)
    q = (q or "").strip()
    if q:
        # The names are stored as JSON, where letters beyond ASCII are escaped (ø as \u00f8).
        escaped = json.dumps(q)[1:-1]
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name__icontains=escaped))
    return qs.order_by(*INDICATOR_SORTS.get(sort, INDICATOR_SORTS["code"]))


def indicator_periods(indicator: Indicator) -> list[str]:
    """The periods the indicator has whole-city observations for, oldest first. One query."""
    rows = (
        Observation.objects.filter(indicator=indicator, district="")
        .values_list("period", "period_start")
        .distinct()
        .order_by("period_start")
    )
    return list(dict.fromkeys(period for period, _start in rows))


def reporting_cities(indicator: Indicator) -> QuerySet[Municipality]:
    """The municipalities with a whole-city observation of the indicator, by name."""
    return Municipality.objects.filter(
        pk__in=Observation.objects.filter(indicator=indicator, district="").values("municipality")
    ).order_by("name")


def compare_between(comparison: Comparison, first: str = "", last: str = "") -> Comparison:
    """`comparison` with only the periods from `first` to `last` (either may be empty)."""
    axis = comparison.periods
    start = axis.index(first) if first in axis else 0
    end = axis.index(last) + 1 if last in axis else len(axis)
    kept = axis[start:end]
    keep = set(kept)
    return Comparison(
        indicator=comparison.indicator,
        periods=kept,
        series=[
            CitySeries(s.municipality, [r for r in s.readings if r.period in keep])
            for s in comparison.series
        ],
    )


@dataclass(frozen=True)
class CityIndicator:
    """One indicator on a city's dashboard: its whole-city series, and its change since the
    baseline against the target."""

    indicator: Indicator
    readings: list[Reading]
    change: ChangeSinceBaseline


def city_dashboard(municipality: Municipality) -> list[CityIndicator]:
    """Every indicator the city has figures, a baseline or a target for, by charter goal, then
    kind (outcomes first), then code. Five queries, whatever the number of indicators and
    periods (district figures are not read)."""
    rows = list(
        Observation.objects.filter(municipality=municipality, district="")
        .order_by("indicator_id", "period_start")
        .only(
            "indicator_id", "period", "period_start", "value", "numerator", "denominator", "status"
        )
    )
    observed = {o.indicator_id for o in rows}
    indicators = list(
        Indicator.objects.filter(
            Q(pk__in=observed)
            | Q(pk__in=Baseline.objects.filter(municipality=municipality).values("indicator"))
            | Q(pk__in=Target.objects.filter(municipality=municipality).values("indicator"))
        )
        .select_related("goal")
        .order_by(F("goal__position").asc(nulls_last=True), "kind", "code")
    )
    by_id = {i.pk: i for i in indicators}
    readings: dict[int, list[Reading]] = {i.pk: [] for i in indicators}
    for o in rows:
        readings[o.indicator_id].append(_observed(by_id[o.indicator_id], o))
    changes = changes_for((i, municipality) for i in indicators)
    return [CityIndicator(i, readings[i.pk], changes[(i.pk, municipality.pk)]) for i in indicators]


@dataclass(frozen=True)
class NetworkIndicator:
    """One indicator across the network: who reports it, its latest ranking, and how many
    cities are on track to their targets."""

    indicator: Indicator
    ranking: list[RankedValue]
    latest_period: str | None
    on_track: int
    off_track: int
    untracked: int  # reporting cities without a baseline and target to judge by, or withheld

    @property
    def cities(self) -> int:
        return len(self.ranking)


def network_dashboard(*, kind: str = "", goal: Goal | None = None) -> list[NetworkIndicator]:
    """Every indicator (of `kind`, of `goal`) with each city's latest whole-city value ranked,
    and the cities on track against their targets. Five queries, whatever the numbers of
    indicators and cities."""
    indicators = list(indicators_filtered(kind=kind, goal=goal, sort="goal"))
    per_indicator: dict[int, list[Observation]] = {i.pk: [] for i in indicators}
    for o in (
        _latest(indicator__in=indicators).select_related("municipality").order_by("period_start")
    ):
        per_indicator[o.indicator_id].append(o)
    changes = changes_for((i, o.municipality) for i in indicators for o in per_indicator[i.pk])
    result = []
    for indicator in indicators:
        observed = per_indicator[indicator.pk]
        verdicts = [changes[(indicator.pk, o.municipality_id)].on_track for o in observed]
        result.append(
            NetworkIndicator(
                indicator=indicator,
                ranking=_ranked(
                    indicator, [(o.municipality, _observed(indicator, o)) for o in observed]
                ),
                latest_period=observed[-1].period if observed else None,
                on_track=verdicts.count(True),
                off_track=verdicts.count(False),
                untracked=verdicts.count(None),
            )
        )
    return result


def replaced_since(observation: Observation, since) -> Reading | None:
    """What an update of `observation` made at or after `since` replaced, as it may be shown;
    None when it was not updated since."""
    revision = (
        ObservationRevision.objects.filter(observation=observation, changed_at__gte=since)
        .order_by("changed_at", "id")
        .first()
    )
    if revision is None:
        return None
    return _observed(
        observation.indicator,
        Observation(
            indicator=observation.indicator,
            period=observation.period,
            period_start=observation.period_start,
            value=revision.value,
            numerator=revision.numerator,
            status=revision.status,
        ),
    )


# --- definitions ------------------------------------------------------------------------


def indicators_list():
    """Every indicator definition with its charter goal, by code."""
    return Indicator.objects.select_related("goal").order_by("code")


def indicator_by_code(code: str) -> Indicator:
    """The indicator with `code`, or a 404."""
    try:
        return Indicator.objects.select_related("goal").get(code=code)
    except Indicator.DoesNotExist as exc:
        raise Http404(_("No indicator has the code %(code)s.") % {"code": code}) from exc


# --- imports (helper C: the import wizard) --------------------------------------------------


def imports_for(user) -> QuerySet:
    """The imports `user` may see (`indicators.view_import`), newest first, with who made them."""
    from django.db.models import Q

    from safecities.network.permissions import coordinated_municipality_ids, is_secretariat

    qs = Import.objects.select_related("indicator", "created_by")
    if not is_secretariat(user):
        cities = coordinated_municipality_ids(user)
        seen = Q(created_by=user) | Q(
            pk__in=Import.municipalities.through.objects.filter(municipality_id__in=cities).values(
                "import_id"
            )
        )
        qs = qs.filter(seen)
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class ImportProgress:
    phase: str  # "", "check" or "write"
    done: int
    total: int

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def import_progress(import_) -> ImportProgress:
    """How far a queued or running import has come. The write phase reports to the "progress"
    cache (its transaction holds the database's write lock, see `services.run_import`); the
    check phase, before it, to the import's row."""
    from django.core.cache import caches

    from .models import Import
    from .services import progress_key

    if import_.status == Import.Status.RUNNING:
        cached = caches["progress"].get(progress_key(import_.pk))
        if cached:
            phase, done, total = cached[:3]  # and when it was made (`services._report_write`)
            return ImportProgress(str(phase), int(done), int(total))
    return ImportProgress(import_.phase, import_.progress_done, import_.progress_total)


def import_detail(pk: int) -> Import:
    """An import with its indicator and who made it, or a 404."""
    try:
        return Import.objects.select_related("indicator", "created_by").get(pk=pk)
    except Import.DoesNotExist as exc:
        raise Http404(_("No such import.")) from exc


def public_observations() -> QuerySet[Observation]:
    """The observations open data publishes: those the small-number rule lets through whole
    (`suppression.shown_q`), by indicator, country, municipality, district and period."""
    return (
        Observation.objects.filter(suppression.shown_q())
        .select_related("indicator", "municipality__country")
        .order_by(
            "indicator__code",
            "municipality__country__code",
            "municipality__code",
            "district",
            "period_start",
            "period",
        )
    )
