"""The summary the indicator pages read (`indicators.summary`): after every kind of write that
changes observations (a figure by hand, an import, its undo, an import taken back, a recount
that deletes) it equals a fresh aggregate of the observations, counted here in Python; and the
pages that read it do so in the same number of queries however many figures there are."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecities.indicators import computed, services, summary
from safecities.indicators.models import LatestObservation, Observation, ObservedPeriod
from safecities.indicators.rows import Row
from safecities.indicators.services import pipeline
from safecities.network.models import Municipality
from tests.indicators.conftest import make_indicator


def fresh() -> tuple[dict, dict]:
    """(each city's latest whole-city figures, each period's number of cities) per indicator,
    counted from the observations as they are."""
    latest: dict[tuple[int, int], Observation] = {}
    periods: Counter = Counter()
    for o in Observation.objects.filter(district=""):
        key = (o.indicator_id, o.municipality_id)
        if key not in latest or o.period_start > latest[key].period_start:
            latest[key] = o
        periods[(o.indicator_id, o.period, o.period_start)] += 1
    return (
        {
            key: (o.period, o.period_start, o.value, o.numerator, o.denominator, o.status)
            for key, o in latest.items()
        },
        dict(periods),
    )


def kept() -> tuple[dict, dict]:
    """The same, as the summary holds it."""
    return (
        {
            (s.indicator_id, s.municipality_id): (
                s.period,
                s.period_start,
                s.value,
                s.numerator,
                s.denominator,
                s.status,
            )
            for s in LatestObservation.objects.all()
        },
        {
            (p.indicator_id, p.period, p.period_start): p.cities
            for p in ObservedPeriod.objects.all()
        },
    )


def assert_true() -> None:
    assert kept() == fresh()


def observe(actor, indicator, city, period, value, **extra):
    return services.record_observation(
        actor=actor,
        indicator=indicator,
        municipality=city,
        period=period,
        value=Decimal(value),
        **extra,
    )


def rows(cities, years, value, *, districts=("",)) -> list[Row]:
    return [
        Row(
            ref=f"line {n + 2}",
            municipality_id=city.pk,
            place=city.code,
            period=str(year),
            value=Decimal(value + n),
            district=district,
            status="final",
        )
        for n, (district, city, year) in enumerate(
            (d, c, y) for d in districts for c in cities for y in years
        )
    ]


def commit(actor, indicator, given, **options):
    return services.commit_import(actor, indicator=indicator, rows=given, format="csv", **options)


# --- the summary stays true after each kind of write --------------------------------------------


def test_figures_entered_by_hand_keep_the_summary_true(coordinator, demo, indicator):
    observe(coordinator, indicator, demo.oslo, "2022", 40)
    assert_true()
    observe(coordinator, indicator, demo.oslo, "2024", 30, numerator=30, denominator=1000)
    observe(coordinator, indicator, demo.oslo, "2023", 35)  # older: the latest stays 2024
    assert_true()
    latest = LatestObservation.objects.get(indicator=indicator, municipality=demo.oslo)
    assert (latest.period, latest.value, latest.denominator) == ("2024", 30, 1000)
    observe(coordinator, indicator, demo.oslo, "2024", 31, status="final")  # an update
    observe(coordinator, indicator, demo.drammen, "2024", 9)
    assert_true()
    latest = LatestObservation.objects.get(indicator=indicator, municipality=demo.oslo)
    assert (latest.value, latest.status) == (31, "final")
    assert ObservedPeriod.objects.get(indicator=indicator, period="2024").cities == 2
    # a district's figure is not the city's: the summary does not change
    before = kept()
    observe(coordinator, indicator, demo.oslo, "2025", 4, district="Grünerløkka")
    assert kept() == before
    assert_true()


def test_an_import_and_its_undo_keep_the_summary_true(secretariat, demo, indicator):
    cities = [demo.oslo, demo.drammen, demo.stockholm]
    commit(secretariat, indicator, rows(cities[:2], range(2020, 2023), 10))
    assert_true()
    # updates of 2021–2022, new years to 2024, and district figures the summary leaves out
    second = commit(
        secretariat,
        indicator,
        rows(cities, range(2021, 2025), 50, districts=("", "Sentrum")),
    )
    assert_true()
    assert ObservedPeriod.objects.get(indicator=indicator, period="2024").cities == 3
    assert set(
        LatestObservation.objects.filter(indicator=indicator).values_list("period", flat=True)
    ) == {"2024"}
    services.undo_import(second, actor=secretariat)
    assert_true()
    assert set(
        LatestObservation.objects.filter(indicator=indicator).values_list("period", flat=True)
    ) == {"2022"}
    assert not ObservedPeriod.objects.filter(indicator=indicator, period="2024").exists()


def test_an_import_taken_back_part_way_keeps_the_summary_true(
    secretariat, demo, indicator, monkeypatch
):
    """A failure after some batches were written: what they wrote is deleted or restored, and
    the summary with it."""
    cities = [demo.oslo, demo.drammen]
    commit(secretariat, indicator, rows(cities, range(2020, 2022), 10))
    before = kept()
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 3)

    def fail_after_two_batches(_phase, done, _total):
        assert_true()  # each batch's transaction left the summary true
        if done >= 6:
            raise RuntimeError("the worker stops")

    with pytest.raises(RuntimeError):
        commit(
            secretariat,
            indicator,
            rows(cities, range(2021, 2026), 70),
            progress=fail_after_two_batches,
        )
    assert_true()
    assert kept() == before


def test_a_recount_that_deletes_figures_keeps_the_summary_true(demo):
    counts = {("oslo", 2023): 2, ("oslo", 2024): 7, ("stockholm", 2024): 3}

    def provider(years):
        cities = Municipality.objects.in_bulk([slug for slug, _y in counts], field_name="slug")
        for (slug, year), count in counts.items():
            if years is None or year in years:
                yield cities[slug], year, count

    computed.register("test-summary-visits", provider, definition={
        "name": {"en": "Study visits received"},
        "description": {"en": "Study visits a city received, per year."},
        "kind": "output",
        "unit_type": "count",
        "better": "higher",
    })  # fmt: skip
    try:
        indicator = services.refresh_computed("test-summary-visits")
        assert_true()
        del counts[("oslo", 2024)], counts[("stockholm", 2024)]  # both 2024 figures deleted
        services.refresh_computed("test-summary-visits")
        assert_true()
        latest = LatestObservation.objects.get(indicator=indicator)
        assert (latest.municipality, latest.period) == (demo.oslo, "2023")
        assert not ObservedPeriod.objects.filter(indicator=indicator, period="2024").exists()
    finally:
        computed.unregister("test-summary-visits")


def test_a_rebuild_and_a_whole_refresh_give_what_the_writes_kept(secretariat, demo, indicator):
    commit(secretariat, indicator, rows([demo.oslo, demo.drammen], range(2020, 2024), 10))
    written = kept()
    summary.rebuild()
    assert kept() == written
    LatestObservation.objects.all().delete()
    ObservedPeriod.objects.all().delete()
    summary.refresh(indicator.pk)
    assert kept() == written
    assert_true()


# --- the pages read the summary in fixed queries ------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_indicator_page_and_city_dashboard_read_in_the_same_queries_for_more_figures(
    client, secretariat, demo, indicator, django_assert_num_queries
):
    page = reverse("indicators:detail", args=[indicator.code])
    dashboard = reverse("indicators:city", args=["oslo"])
    commit(secretariat, indicator, rows([demo.oslo], [2024], 10))
    few = (_queries(client, page), _queries(client, dashboard))
    # more cities, ten times the periods, and district figures under each
    more = make_indicator(secretariat, code="more-figures")
    cities = [demo.oslo, demo.drammen, demo.stockholm]
    commit(secretariat, indicator, rows(cities, range(2000, 2025), 20, districts=("", "A", "B")))
    commit(secretariat, more, rows(cities, range(2010, 2025), 30, districts=("", "A")))
    assert (_queries(client, page), _queries(client, dashboard)) == few
    with django_assert_num_queries(5):
        client.get(page)
    with django_assert_num_queries(few[1]):
        client.get(dashboard)
