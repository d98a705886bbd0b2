"""Reads of indicators and observations that are more than a `.get()`."""

from django.db.models import OuterRef, QuerySet, Subquery

from safecities.network.models import Municipality

from .models import Indicator, Observation


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


def latest_by_city(indicator: Indicator) -> QuerySet[Observation]:
    """Each municipality's most recent whole-city observation of `indicator`."""
    latest = (
        Observation.objects.filter(
            indicator=indicator, municipality=OuterRef("municipality"), district=""
        )
        .order_by("-period_start")
        .values("pk")[:1]
    )
    return (
        Observation.objects.filter(indicator=indicator, district="", pk=Subquery(latest))
        .select_related("municipality", "indicator")
        .order_by("municipality__name")
    )
