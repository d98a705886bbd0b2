"""Indicators, observations, baselines and targets through the services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from safecities.core.errors import DomainError, NotAllowed
from safecities.core.models import AuditEvent
from safecities.indicators import periods, selectors, services
from safecities.indicators.models import Baseline, Observation, ObservationRevision, Target
from safecities.indicators.suppression import display_value, is_suppressed
from tests.indicators.conftest import make_indicator
from tests.utils import unchanged


def record(actor, indicator, municipality, period, value, **kw):
    return services.record_observation(
        actor=actor,
        indicator=indicator,
        municipality=municipality,
        period=period,
        value=Decimal(value),
        **kw,
    )


# --- definitions ----------------------------------------------------------------------------


def test_the_secretariat_defines_indicators_and_it_is_audited(secretariat, indicator):
    assert indicator.display_name == "Hate crime reported to the police"
    event = AuditEvent.objects.get(action="indicators.indicator.create")
    assert event.actor == secretariat
    services.update_indicator(indicator, actor=secretariat, changes={"licence": "NLOD 2.0"})
    event = AuditEvent.objects.get(action="indicators.indicator.update")
    assert event.changes == {"licence": ["", "NLOD 2.0"]}


def test_a_coordinator_may_not_define_indicators(coordinator):
    with unchanged(), pytest.raises(NotAllowed):
        make_indicator(coordinator)


def test_an_indicator_needs_an_english_name_and_known_choices(secretariat):
    with unchanged():
        with pytest.raises(services.InvalidInput) as exc:
            make_indicator(secretariat, name={"nb": "Bare norsk"})
        assert exc.value.field == "name"
        with pytest.raises(services.InvalidInput) as exc:
            make_indicator(secretariat, period_type="school_year")
        assert exc.value.field == "period_type"


def test_the_period_type_is_locked_once_there_are_observations(secretariat, demo, indicator):
    record(secretariat, indicator, demo.oslo, "2023", "12")
    with pytest.raises(services.PeriodTypeLocked):
        services.update_indicator(indicator, actor=secretariat, changes={"period_type": "quarter"})


# --- observations ---------------------------------------------------------------------------


def test_an_update_keeps_the_history(coordinator, demo, indicator):
    first = record(coordinator, indicator, demo.oslo, "2023", "412", status="provisional")
    second = record(coordinator, indicator, demo.oslo, "2023", "437", status="final", note="SSB")
    assert second.pk == first.pk
    second.refresh_from_db()
    assert (second.value, second.status, second.note) == (Decimal("437"), "final", "SSB")
    [revision] = ObservationRevision.objects.filter(observation=first)
    assert (revision.value, revision.status, revision.note) == (Decimal("412"), "provisional", "")
    assert revision.changed_by == coordinator
    assert list(
        AuditEvent.objects.filter(action__startswith="indicators.observation.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["indicators.observation.create", "indicators.observation.update"]


def test_a_duplicate_is_an_update_never_a_second_row(coordinator, demo, indicator):
    record(coordinator, indicator, demo.oslo, "2023", "412")
    record(coordinator, indicator, demo.oslo, "2023", "412.0")  # the same value: nothing new
    record(coordinator, indicator, demo.oslo, "2023", "413")
    assert Observation.objects.filter(indicator=indicator).count() == 1
    assert ObservationRevision.objects.count() == 1
    first = Observation.objects.get(indicator=indicator)
    with transaction.atomic(), pytest.raises(IntegrityError):  # the table itself refuses one
        Observation.objects.create(
            indicator=indicator,
            municipality=demo.oslo,
            period="2023",
            period_start=first.period_start,
            value=1,
            updated_at=first.updated_at,
        )


def test_a_district_is_its_own_place(coordinator, demo, indicator):
    record(coordinator, indicator, demo.oslo, "2023", "412")
    record(coordinator, indicator, demo.oslo, "2023", "40", district="Grünerløkka")
    assert Observation.objects.filter(indicator=indicator).count() == 2


def test_a_coordinator_writes_only_their_own_cities(coordinator, demo, indicator):
    record(coordinator, indicator, demo.drammen, "2023", "31")
    with unchanged(), pytest.raises(NotAllowed):
        record(coordinator, indicator, demo.stockholm, "2023", "100")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"period": "2023-Q1"}, "period"),
        ({"period": "23"}, "period"),
        ({"value": "-1"}, "value"),
        ({"value": "1", "denominator": Decimal(0)}, "denominator"),
        ({"value": "1", "ci_low": Decimal(3), "ci_high": Decimal(2)}, "ci_high"),
        ({"value": "1", "status": "guessed"}, "status"),
    ],
)
def test_bad_input_names_its_field_and_changes_nothing(coordinator, demo, indicator, kwargs, field):
    args = {"period": "2023", "value": "1", **kwargs}
    with unchanged(), pytest.raises(services.DomainError) as exc:
        record(coordinator, indicator, demo.oslo, args.pop("period"), args.pop("value"), **args)
    assert exc.value.field == field


def test_a_percentage_lies_between_0_and_100(secretariat, demo, share_indicator):
    with unchanged(), pytest.raises(services.InvalidInput, match="between 0 and 100"):
        record(secretariat, share_indicator, demo.oslo, "2023", "101")


# --- baselines and targets ------------------------------------------------------------------


def test_baseline_and_targets_per_city(coordinator, demo, indicator):
    services.set_baseline(
        actor=coordinator, municipality=demo.oslo, indicator=indicator, period="2020", value=500
    )
    services.set_baseline(
        actor=coordinator, municipality=demo.oslo, indicator=indicator, period="2021", value=480
    )
    baseline = Baseline.objects.get(municipality=demo.oslo, indicator=indicator)
    assert (baseline.period, baseline.value) == ("2021", Decimal("480"))
    for period, value in [("2026", 400), ("2030", 300), ("2026", 390)]:
        services.set_target(
            actor=coordinator,
            municipality=demo.oslo,
            indicator=indicator,
            period=period,
            value=value,
        )
    assert list(Target.objects.filter(indicator=indicator).values_list("period", "value")) == [
        ("2026", Decimal("390")),
        ("2030", Decimal("300")),
    ]
    with unchanged(), pytest.raises(NotAllowed):
        services.set_target(
            actor=coordinator,
            municipality=demo.stockholm,
            indicator=indicator,
            period="2026",
            value=1,
        )


# --- selectors ------------------------------------------------------------------------------


def test_series_and_latest_by_city(secretariat, demo, indicator):
    for city, period, value in [
        (demo.oslo, "2023", "437"),
        (demo.oslo, "2021", "390"),
        (demo.oslo, "2022", "412"),
        (demo.drammen, "2022", "31"),
    ]:
        record(secretariat, indicator, city, period, value)
    assert [o.period for o in selectors.series(indicator, municipality=demo.oslo)] == [
        "2021",
        "2022",
        "2023",
    ]
    assert [(o.municipality.name, o.period) for o in selectors.latest_by_city(indicator)] == [
        ("Drammen", "2022"),
        ("Oslo", "2023"),
    ]
    assert selectors.observations(indicator=indicator, period="2022").count() == 2


# --- periods and the small-number rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period_type", "normalised", "starts"),
    [
        ("2024", "year", "2024", "2024-01-01"),
        ("2024-H2", "half_year", "2024-H2", "2024-07-01"),
        ("2024H1", "half_year", "2024-H1", "2024-01-01"),
        ("2024K3", "quarter", "2024-Q3", "2024-07-01"),
        ("2024Q4", "quarter", "2024-Q4", "2024-10-01"),
        ("2024M05", "month", "2024-05", "2024-05-01"),
        ("2024-5", "month", "2024-05", "2024-05-01"),
    ],
)
def test_periods_are_normalised(text, period_type, normalised, starts):
    period, start = periods.normalise(text, period_type)
    assert (period, start.isoformat()) == (normalised, starts)


@pytest.mark.parametrize(
    ("text", "period_type"),
    [("2024Q3", "year"), ("2024", "quarter"), ("2024M13", "month"), ("2024H3", "half_year")],
)
def test_a_period_outside_the_type_is_refused_naming_both(text, period_type):
    with pytest.raises(periods.InvalidPeriod) as exc:
        periods.normalise(text, period_type)
    assert text in exc.value.message
    assert exc.value.field == "period"


def test_small_counts_are_shown_as_under_the_threshold(indicator):
    assert display_value(indicator, Decimal(3)) == "<5"
    assert is_suppressed(indicator, Decimal(3))
    assert display_value(indicator, Decimal(0)) == "0"  # none is not a small number
    assert display_value(indicator, Decimal("5.000000")) == "5"
    assert not is_suppressed(indicator, Decimal(5))


def test_rates_on_small_numerators_are_withheld(secretariat, demo, share_indicator):
    small = record(
        secretariat,
        share_indicator,
        demo.oslo,
        "2023",
        "60",
        numerator=Decimal(3),
        denominator=Decimal(5),
    )
    assert is_suppressed(small)
    assert display_value(small) is None
    assert display_value(share_indicator, Decimal("62.5"), Decimal(50)) == "62.5"
    assert display_value(share_indicator, Decimal("71.2")) == "71.2"  # no numerator: shown


def test_the_threshold_is_configurable(settings, indicator):
    settings.SMALL_NUMBER_THRESHOLD = 10
    assert display_value(indicator, Decimal(7)) == "<10"
    assert display_value(indicator, Decimal(10)) == "10"


@pytest.mark.parametrize("code", ["network", "imports", "cities", "new"])
def test_a_code_that_names_a_page_is_refused(secretariat, code):
    with unchanged(), pytest.raises(DomainError) as refused:
        make_indicator(secretariat, code=code)
    assert refused.value.field == "code"
