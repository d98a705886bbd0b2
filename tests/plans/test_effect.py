"""A plan's effect: per charter goal and measure, each outcome's change against its target."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecities.charter.models import Goal
from safecities.indicators import services as indicators
from safecities.plans import selectors, services
from tests.indicators.conftest import make_indicator
from tests.plans.factories import make_plan


@pytest.fixture
def goals(demo):
    return list(Goal.objects.order_by("position"))


@pytest.fixture
def plan(demo, coordinator):
    return make_plan(actor=coordinator, municipality=demo.oslo)


def add(coordinator, plan, title, *goals):
    return services.add_measure(actor=coordinator, plan=plan, title=title, goals=goals)


def link(coordinator, measure, indicator, role="outcome", direction="increase"):
    return services.link_indicator(
        actor=coordinator, measure=measure, indicator=indicator, role=role, direction=direction
    )


def measured(actor, indicator, city, *, base=None, latest=None, aim=None):
    """Baseline in 2022, latest value in 2024, target for 2027 (each where given)."""
    if base is not None:
        indicators.set_baseline(
            actor=actor, municipality=city, indicator=indicator, period="2022", value=D(base)
        )
    if latest is not None:
        indicators.record_observation(
            actor=actor, indicator=indicator, municipality=city, period="2024", value=D(latest)
        )
    if aim is not None:
        indicators.set_target(
            actor=actor, municipality=city, indicator=indicator, period="2027", value=D(aim)
        )


def share(secretariat, code, better="higher"):
    return make_indicator(
        secretariat, code=code, unit_type="percentage", better=better, source="city_survey"
    )


def test_the_effect_page_reads_each_outcome_against_its_target_per_goal(
    coordinator, secretariat, demo, plan, goals
):
    safe = share(secretariat, "feel-safe")
    crime = make_indicator(secretariat, code="hate-crime")  # a count, lower is better
    trust = share(secretariat, "trust")
    held = make_indicator(secretariat, code="meetings-held", kind="output", better="higher")
    lighting = add(coordinator, plan, "Better lighting", goals[0], goals[2])
    dialogue = add(coordinator, plan, "Dialogue meetings", goals[2])
    posters = add(coordinator, plan, "Posters", goals[1])
    link(coordinator, lighting, safe, direction="increase")
    link(coordinator, lighting, crime, direction="decrease")
    link(coordinator, dialogue, trust, direction="increase")
    link(coordinator, dialogue, held, role="output")
    measured(coordinator, safe, demo.oslo, base="60", latest="66", aim="65")
    measured(coordinator, crime, demo.oslo, base="40", latest="48")
    measured(coordinator, trust, demo.oslo, latest="50", aim="55")

    page = selectors.effect(plan)

    assert [block.goal for block in page.goals] == goals
    by_goal = {block.goal: block for block in page.goals}
    assert [m.measure for m in by_goal[goals[0]].measures] == [lighting]
    assert [m.measure for m in by_goal[goals[2]].measures] == [lighting, dialogue]
    lighting_effect = by_goal[goals[0]].measures[0]
    assert by_goal[goals[2]].measures[0] is lighting_effect  # one measure, several goals
    outcomes = {o.indicator.code: o for o in lighting_effect.outcomes}
    assert outcomes["feel-safe"].change.change == D(6)
    assert outcomes["feel-safe"].change.improved is True
    assert outcomes["feel-safe"].change.target_met is True
    assert outcomes["feel-safe"].as_expected is True
    assert outcomes["hate-crime"].change.change == D(8)
    assert outcomes["hate-crime"].change.improved is False
    assert outcomes["hate-crime"].as_expected is False
    assert outcomes["hate-crime"].without_target
    dialogue_effect = by_goal[goals[2]].measures[1]
    assert [o.indicator for o in dialogue_effect.outcomes] == [trust]
    assert [x.indicator for x in dialogue_effect.outputs] == [held]
    assert dialogue_effect.outcomes[0].without_baseline
    assert dialogue_effect.outcomes[0].as_expected is None

    posters_effect = by_goal[goals[1]].measures[0]
    assert posters_effect.without_outcome
    assert posters_effect.without_outcome_note
    assert not lighting_effect.without_outcome_note
    assert page.measures_without_outcome == [posters]
    assert page.indicators_without_baseline == [trust]
    assert page.indicators_without_target == [crime]


def test_the_effect_page_hides_a_small_count(coordinator, secretariat, demo, plan, goals):
    crime = make_indicator(secretariat, code="hate-crime")
    measure = add(coordinator, plan, "Hate crime unit", goals[0])
    link(coordinator, measure, crime, direction="decrease")
    measured(coordinator, crime, demo.oslo, base="12", latest="3", aim="6")

    (outcome,) = selectors.effect(plan).goals[0].measures[0].outcomes

    assert outcome.change.suppressed is True
    assert outcome.change.latest.value is None
    assert outcome.change.change is None
    assert outcome.change.target_met is None
    assert outcome.as_expected is None


def _build(coordinator, secretariat, demo, plan, goals, count, prefix):
    for n in range(count):
        measure = add(coordinator, plan, f"{prefix} measure {n}", goals[n % 6], goals[(n + 1) % 6])
        outcome = share(secretariat, f"{prefix}-outcome-{n}")
        output = make_indicator(secretariat, code=f"{prefix}-output-{n}", kind="output")
        link(coordinator, measure, outcome)
        link(coordinator, measure, output, role="output")
        if n % 2:
            measured(coordinator, outcome, demo.oslo, base=50, latest=50 + n, aim=70)


def test_the_effect_page_reads_in_fixed_queries(
    coordinator, secretariat, demo, goals, django_assert_max_num_queries
):
    counts = []
    for count in (2, 8):
        plan = make_plan(actor=coordinator, municipality=demo.oslo, title=f"Plan {count}")
        _build(coordinator, secretariat, demo, plan, goals, count, f"p{count}")
        with CaptureQueriesContext(connection) as queries:
            page = selectors.effect(plan)
        counts.append(len(queries))
        assert len(page.measures_without_outcome) == 0
        assert sum(len(b.measures) for b in page.goals) == 2 * count
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(8):
        selectors.effect(plan)
