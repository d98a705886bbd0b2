"""Observations as read: filtered lists, a city's series, the latest per city, what open
data publishes."""

from __future__ import annotations

from django.db.models import QuerySet

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
