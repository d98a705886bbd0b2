"""The pages' reads: the list of indicators, an indicator's page, the dashboards and the
definitions by code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.network.models import Municipality

from ..models import (
    Baseline,
    Indicator,
    LatestObservation,
    Observation,
    ObservationRevision,
    ObservedPeriod,
    Target,
)
from .effect import (
    OBSERVED,
    ChangeSinceBaseline,
    CitySeries,
    Comparison,
    RankedValue,
    Reading,
    _observed,
    _ranked,
    changes_for,
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
    """The periods the indicator has whole-city observations for, oldest first, as the summary
    keeps them (`indicators.summary`). One query."""
    return list(
        ObservedPeriod.objects.filter(indicator=indicator)
        .order_by("period_start", "period")
        .values_list("period", flat=True)
    )


def reporting_cities(indicator: Indicator) -> QuerySet[Municipality]:
    """The municipalities with a whole-city observation of the indicator, by name (those the
    summary has a latest figure of)."""
    return Municipality.objects.filter(
        pk__in=LatestObservation.objects.filter(indicator=indicator).values("municipality")
    ).order_by("name")


def compare_between(comparison: Comparison, *, first: str = "", last: str = "") -> Comparison:
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
    kind (outcomes first), then code. Five queries, whatever the number of indicators, periods
    and districts: the indicators observed come from the summary (`indicators.summary`), then
    only their whole-city series are read, through the observations' unique index."""
    observed = LatestObservation.objects.filter(municipality=municipality).values("indicator")
    indicators = list(
        Indicator.objects.filter(
            Q(pk__in=observed)
            | Q(pk__in=Baseline.objects.filter(municipality=municipality).values("indicator"))
            | Q(pk__in=Target.objects.filter(municipality=municipality).values("indicator"))
        )
        .select_related("goal")
        .order_by(F("goal__position").asc(nulls_last=True), "kind", "code")
    )
    readings = city_series(municipality, indicators=indicators)
    changes = changes_for((i, municipality) for i in indicators)
    return [CityIndicator(i, readings[i.pk], changes[(i.pk, municipality.pk)]) for i in indicators]


def city_series(
    municipality: Municipality, *, indicators: list[Indicator]
) -> dict[int, list[Reading]]:
    """The city's whole-city readings of each of `indicators`, period by period, by indicator
    id. One query, whatever the number of indicators, periods and districts."""
    by_id = {i.pk: i for i in indicators}
    readings: dict[int, list[Reading]] = {i.pk: [] for i in indicators}
    if not indicators:
        return readings
    # Put in order here, not by the database: asked to order by indicator and period, SQLite
    # would walk the city's index through every district's figures instead of the whole-city
    # cells (the observations' unique index).
    # Plain rows, not models: a city's dashboard reads hundreds of figures.
    rows = (
        Observation.objects.filter(indicator__in=indicators, municipality=municipality, district="")
        .order_by()
        .values_list("indicator_id", *OBSERVED, named=True)
    )
    for o in sorted(rows, key=lambda o: (o.indicator_id, o.period_start)):
        readings[o.indicator_id].append(_observed(by_id[o.indicator_id], o))
    return readings


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
    per_indicator: dict[int, list[LatestObservation]] = {i.pk: [] for i in indicators}
    for o in (
        LatestObservation.objects.filter(indicator__in=indicators)
        .select_related("municipality")
        .order_by("period_start")
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


def replaced_since(observation: Observation, *, since: datetime) -> Reading | None:
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


def indicators_list() -> QuerySet[Indicator]:
    """Every indicator definition with its charter goal, by code."""
    return Indicator.objects.select_related("goal").order_by("code")


def indicator_by_code(code: str) -> Indicator:
    """The indicator with `code`, or a 404."""
    try:
        return Indicator.objects.select_related("goal").get(code=code)
    except Indicator.DoesNotExist as exc:
        raise Http404(_("No indicator has the code %(code)s.") % {"code": code}) from exc
