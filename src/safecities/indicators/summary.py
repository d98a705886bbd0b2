"""The summary the indicator pages read instead of the observations: each city's latest
whole-city observation of an indicator (`LatestObservation`) and the periods an indicator has
whole-city observations for, with how many cities (`ObservedPeriod`).

An indicator's page and the dashboards would otherwise number or group every observation of an
indicator (districts included) on each request: millions of rows at the network's scale. The
summary holds what those reads give, and is kept true by `refresh`, which every write that
changes observations calls in its own transaction (a figure entered by hand, each batch an
import writes or takes back, an import's undo, a computed indicator's recount, the bench's
generated rows): the summary's rows for the cells written are deleted and made again from the
observations in two set-based statements each (DELETE, then INSERT … SELECT of the same
aggregate a page would have run), on SQLite and PostgreSQL alike. District figures do not
count: the summary is of whole-city observations.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db import connection
from django.db.models import Count, F, Min, QuerySet, Window
from django.db.models.functions import RowNumber

from .models import Indicator, LatestObservation, Observation, ObservedPeriod

# Past this many cities or periods in one refresh, the indicator's whole summary is made again
# (one statement over its whole-city observations) rather than naming each in the SQL.
MAX_NAMED = 500

LATEST_COLUMNS = [
    "indicator_id",
    "municipality_id",
    "period",
    "period_start",
    "value",
    "numerator",
    "denominator",
    "status",
]
PERIOD_COLUMNS = ["indicator_id", "period", "period_start", "cities"]


def _insert_select(model, columns: list[str], queryset: QuerySet) -> None:
    """INSERT INTO `model` (`columns`) the rows `queryset` selects, in one statement."""
    select, params = queryset.query.sql_with_params()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO {} ({}) {}".format(
                q(model._meta.db_table), ", ".join(q(c) for c in columns), select
            ),
            params,
        )


def latest_rows(observations: QuerySet) -> QuerySet:
    """The newest of `observations` per indicator and municipality, as `LATEST_COLUMNS`: one
    pass numbering each cell's periods, newest first (a window function)."""
    return (
        observations.annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("indicator_id"), F("municipality_id")],
                order_by=[F("period_start").desc()],
            )
        )
        .filter(newest=1)
        .order_by()
        .values_list(*LATEST_COLUMNS)
    )


def period_rows(observations: QuerySet) -> QuerySet:
    """`observations` counted per indicator and period, as `PERIOD_COLUMNS`."""
    return (
        observations.order_by()
        .values("indicator_id", "period")
        .annotate(first=Min("period_start"), cities=Count("id"))
        .values_list("indicator_id", "period", "first", "cities")
    )


def refresh(
    indicator_id: int,
    *,
    municipalities: Collection[int] | None = None,
    period_starts: Collection[date] | None = None,
) -> None:
    """Make the summary of `indicator_id` true again after a write, in the caller's transaction
    (which holds the indicator's row locked until it ends, on PostgreSQL).

        `municipalities`: the cities whose whole-city observations the write created, changed or
        deleted (their latest figures are made again); `period_starts`: the periods where it
        created or deleted one (their counts are made again). None: all of them; empty: none.
    """
    if municipalities is None or len(municipalities) > MAX_NAMED:
        municipalities = None
    if period_starts is None or len(period_starts) > MAX_NAMED:
        period_starts = None
    latest = municipalities is None or bool(municipalities)
    counts = period_starts is None or bool(period_starts)
    if not (latest or counts):
        return
    if connection.features.has_select_for_update:
        # One refresh of an indicator at a time: a second waits for the first's transaction to
        # commit, then reads what it wrote (SQLite writes one transaction at a time anyway).
        list(Indicator.objects.select_for_update().filter(pk=indicator_id).values_list("pk"))
    whole_city = Observation.objects.filter(indicator_id=indicator_id, district="")
    if latest:
        cells = {"indicator_id": indicator_id}
        if municipalities is not None:
            cells["municipality_id__in"] = sorted(municipalities)
        LatestObservation.objects.filter(**cells).delete()
        _insert_select(LatestObservation, LATEST_COLUMNS, latest_rows(whole_city.filter(**cells)))
    if counts:
        periods = {"indicator_id": indicator_id}
        if period_starts is not None:
            periods["period_start__in"] = sorted(period_starts)
        ObservedPeriod.objects.filter(**periods).delete()
        _insert_select(ObservedPeriod, PERIOD_COLUMNS, period_rows(whole_city.filter(**periods)))


def rebuild() -> None:
    """The whole summary made again from every observation (the caller's transaction)."""
    LatestObservation.objects.all().delete()
    ObservedPeriod.objects.all().delete()
    whole_city = Observation.objects.filter(district="")
    _insert_select(LatestObservation, LATEST_COLUMNS, latest_rows(whole_city))
    _insert_select(ObservedPeriod, PERIOD_COLUMNS, period_rows(whole_city))
