"""Change since baseline, rankings and city comparisons: the read side of "does it work"."""

import dataclasses
from decimal import Decimal as D

import pytest

from safecities.indicators import selectors, services
from safecities.indicators.suppression import threshold
from tests.indicators.conftest import make_indicator


def observe(actor, indicator, city, period, value, **extra):
    return services.record_observation(
        actor=actor, indicator=indicator, municipality=city, period=period, value=D(value), **extra
    )


def baseline(actor, indicator, city, period, value):
    return services.set_baseline(
        actor=actor, municipality=city, indicator=indicator, period=period, value=D(value)
    )


def target(actor, indicator, city, period, value):
    return services.set_target(
        actor=actor, municipality=city, indicator=indicator, period=period, value=D(value)
    )


@pytest.fixture
def oslo(demo):
    return demo.oslo


def test_a_higher_is_better_share_that_rose_improved_and_met_its_target(
    coordinator, share_indicator, oslo
):
    baseline(coordinator, share_indicator, oslo, "2022", "60")
    observe(coordinator, share_indicator, oslo, "2022", "60", numerator=D(600), denominator=1000)
    observe(coordinator, share_indicator, oslo, "2024", "72", numerator=D(720), denominator=1000)
    target(coordinator, share_indicator, oslo, "2026", "70")

    change = selectors.change_since_baseline(share_indicator, municipality=oslo)

    assert (change.baseline.period, change.baseline.value) == ("2022", D(60))
    assert (change.latest.period, change.latest.value, change.latest.status) == (
        "2024",
        D(72),
        "provisional",
    )
    assert (change.target.period, change.target.value) == ("2026", D(70))
    assert change.change == D(12)
    assert change.change_percent is None  # percentage points, not a percent of a percent
    assert change.improved is True
    assert change.target_met is True
    assert change.on_track is True
    assert change.suppressed is False


def test_a_higher_is_better_share_that_fell_worsened_and_is_off_track(
    coordinator, share_indicator, oslo
):
    baseline(coordinator, share_indicator, oslo, "2022", "60")
    observe(coordinator, share_indicator, oslo, "2024", "55")
    target(coordinator, share_indicator, oslo, "2026", "70")

    change = selectors.change_since_baseline(share_indicator, municipality=oslo)

    assert change.change == D(-5)
    assert change.improved is False
    assert change.target_met is False
    assert change.on_track is False


def test_a_lower_is_better_count_that_fell_improved(coordinator, indicator, oslo):
    baseline(coordinator, indicator, oslo, "2022", "80")
    observe(coordinator, indicator, oslo, "2024", "60")
    target(coordinator, indicator, oslo, "2026", "50")

    change = selectors.change_since_baseline(indicator, municipality=oslo)

    assert change.change == D(-20)
    assert change.change_percent == D("-25.0")
    assert change.improved is True
    assert change.target_met is False
    # Half the way from 80 towards 50 in half the time (2022 -> 2024 of 2022 -> 2026) is 65.
    assert change.on_track is True


def test_a_lower_is_better_count_that_rose_worsened(coordinator, indicator, oslo):
    baseline(coordinator, indicator, oslo, "2022", "80")
    observe(coordinator, indicator, oslo, "2024", "95")

    change = selectors.change_since_baseline(indicator, municipality=oslo)

    assert change.change == D(15)
    assert change.improved is False
    assert change.target is None
    assert change.target_met is None
    assert change.on_track is None


def test_without_a_baseline_there_is_no_change_but_the_target_still_reads(
    coordinator, indicator, oslo
):
    observe(coordinator, indicator, oslo, "2024", "40")
    target(coordinator, indicator, oslo, "2026", "50")

    change = selectors.change_since_baseline(indicator, municipality=oslo)

    assert change.baseline is None and not change.has_baseline
    assert change.change is None and change.improved is None
    assert change.target_met is True
    assert change.on_track is None


def test_a_small_latest_count_is_never_leaked(coordinator, indicator, oslo):
    small = threshold() - 1
    baseline(coordinator, indicator, oslo, "2022", "30")
    observe(coordinator, indicator, oslo, "2024", small)
    target(coordinator, indicator, oslo, "2026", "10")

    change = selectors.change_since_baseline(indicator, municipality=oslo)

    assert change.suppressed is True
    assert change.latest.value is None
    assert change.latest.display == f"<{threshold()}"
    assert change.change is None
    assert change.change_percent is None
    assert change.improved is None
    assert change.target_met is None
    assert change.on_track is None
    assert D(small) not in dataclasses.asdict(change.latest).values()


def test_a_rate_on_a_small_baseline_numerator_is_withheld(coordinator, share_indicator, oslo):
    baseline(coordinator, share_indicator, oslo, "2022", "2")
    observe(coordinator, share_indicator, oslo, "2022", "2", numerator=D(2), denominator=100)
    observe(coordinator, share_indicator, oslo, "2024", "30", numerator=D(30), denominator=100)

    change = selectors.change_since_baseline(share_indicator, municipality=oslo)

    assert change.suppressed is True
    assert change.baseline.value is None and change.baseline.display is None
    assert change.latest.value == D(30)  # the latest value rests on no small number
    assert change.change is None and change.improved is None


def test_changes_for_many_pairs_read_in_fixed_queries(
    coordinator, secretariat, demo, django_assert_num_queries
):
    def setup(count):
        made = []
        for n in range(count):
            ind = make_indicator(secretariat, code=f"q{count}-{n}")
            for city in (demo.oslo, demo.drammen):
                baseline(coordinator, ind, city, "2022", 10 + n)
                target(coordinator, ind, city, "2026", 5)
                target(coordinator, ind, city, "2028", 2)
                for year in (2022, 2023, 2024):
                    observe(coordinator, ind, city, str(year), 10 + n + year - 2022)
                made.extend([(ind, demo.oslo), (ind, demo.drammen)])
        return made

    few, many = setup(1), setup(6)
    with django_assert_num_queries(3):
        assert len(selectors.changes_for(few)) == 2
    with django_assert_num_queries(3):
        changes = selectors.changes_for(many)
    assert len(changes) == 12
    first = changes[(many[0][0].pk, demo.oslo.pk)]
    assert (first.latest.period, first.change, first.target.period) == ("2024", D(2), "2026")


def test_the_ranking_puts_the_best_first_and_suppressed_last(
    coordinator, secretariat, indicator, demo
):
    stockholm_coordinator = demo.stockholm_coordinator
    observe(coordinator, indicator, demo.oslo, "2024", "40")
    observe(coordinator, indicator, demo.drammen, "2024", "2")
    observe(coordinator, indicator, demo.oslo, "2023", "90")
    observe(stockholm_coordinator, indicator, demo.stockholm, "2024", "25")

    ranked = selectors.ranking(indicator)

    assert [(r.position, r.municipality) for r in ranked] == [
        (1, demo.stockholm),
        (2, demo.oslo),
        (None, demo.drammen),
    ]
    assert ranked[-1].reading.value is None
    assert ranked[-1].reading.display == f"<{threshold()}"
    assert [r.municipality for r in selectors.ranking(indicator, period="2023")] == [demo.oslo]


def test_higher_is_better_ranks_high_values_first_and_ties_share_a_place(
    coordinator, share_indicator, demo, django_assert_num_queries
):
    observe(coordinator, share_indicator, demo.oslo, "2024", "70")
    observe(coordinator, share_indicator, demo.drammen, "2024", "70")
    observe(demo.stockholm_coordinator, share_indicator, demo.stockholm, "2024", "80")

    with django_assert_num_queries(1):
        ranked = selectors.ranking(share_indicator, period="2024")

    assert [(r.position, r.municipality.name) for r in ranked] == [
        (1, demo.stockholm.name),
        (2, demo.drammen.name),
        (2, demo.oslo.name),
    ]


def test_compare_cities_gives_a_series_per_city_on_a_shared_axis(
    coordinator, indicator, demo, django_assert_num_queries
):
    observe(coordinator, indicator, demo.oslo, "2022", "40")
    observe(coordinator, indicator, demo.oslo, "2024", "30")
    observe(coordinator, indicator, demo.drammen, "2023", "3")

    with django_assert_num_queries(1):
        comparison = selectors.compare_cities(indicator, municipalities=[demo.drammen, demo.oslo])

    assert comparison.periods == ["2022", "2023", "2024"]
    assert [s.municipality for s in comparison.series] == [demo.drammen, demo.oslo]
    drammen, oslo = comparison.series
    assert [(r.period, r.value) for r in oslo.readings] == [("2022", D(40)), ("2024", D(30))]
    assert [(r.value, r.display, r.suppressed) for r in drammen.readings] == [
        (None, f"<{threshold()}", True)
    ]


def test_a_readings_status_is_shown_in_the_readers_language():
    from datetime import date

    from django.utils import translation

    reading = selectors.Reading(
        period="2024", period_start=date(2024, 1, 1), value=None, display=None, status="final"
    )
    with translation.override("nb"):
        assert reading.status_label == translation.gettext("Final") != "Final"
    assert reading.status_label == "Final"
    assert (
        selectors.Reading(
            period="2024", period_start=date(2024, 1, 1), value=None, display=None
        ).status_label
        == ""
    )


def test_a_ranking_reads_its_cities_without_building_them_until_asked(
    coordinator, indicator, demo, django_assert_num_queries
):
    """The ranking reads each city's id, name and slug in its one query; the model is built
    only when asked for, equal to the city, and its other fields load when first read."""
    observe(coordinator, indicator, demo.oslo, "2024", "40")
    observe(coordinator, indicator, demo.drammen, "2024", "30")

    with django_assert_num_queries(1):
        ranked = selectors.ranking(indicator)
        assert [(r.name, r.slug) for r in ranked] == [
            (demo.drammen.name, demo.drammen.slug),
            (demo.oslo.name, demo.oslo.slug),
        ]
        assert ranked[0].municipality == demo.drammen
        assert ranked[0].municipality is ranked[0].municipality  # built once
    with django_assert_num_queries(1):
        assert ranked[0].municipality.country_id == demo.drammen.country_id
