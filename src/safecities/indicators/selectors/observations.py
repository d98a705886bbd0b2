"""Observations as read: filtered lists, a city's series, the latest per city, what open
data publishes."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet, Value

from safecities.network.models import Municipality

from .. import suppression
from ..models import Indicator, LatestObservation, Observation


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
    indicator: Indicator, *, municipality: Municipality, district: str = ""
) -> QuerySet[Observation]:
    """A city's (or district's) observations of one indicator, oldest period first."""
    return (
        Observation.objects.filter(
            indicator=indicator, municipality=municipality, district=district
        )
        .select_related("indicator")
        .order_by("period_start")
    )


def latest_by_city(indicator: Indicator) -> QuerySet[LatestObservation]:
    """Each municipality's most recent whole-city observation of `indicator`, as the summary
    keeps it (`indicators.summary`): one row per city read, however many periods and
    districts the indicator has."""
    return (
        LatestObservation.objects.filter(indicator=indicator)
        .select_related("municipality")
        .order_by("municipality__name")
    )


def public_saved_last() -> datetime | None:
    """When a published observation (one `public_observations` holds) was last saved, read from
    the end of the `updated_at` index: the first row there that the small-number rule lets
    through. The observation's indicator is compared as `indicator_id + 0` against the count
    indicators, rather than joined: no index serves that, so the engine keeps to the
    `updated_at` index instead of reading every observation of each indicator and sorting them
    (what SQLite chose once it had table statistics: seconds at two million rows)."""
    counts = Indicator.objects.filter(unit_type=Indicator.UnitType.COUNT).values("pk")
    return (
        Observation.objects.alias(indicator_ref=F("indicator_id") + Value(0))
        .filter(suppression.shown_q(count=Q(indicator_ref__in=counts)))
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )


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
