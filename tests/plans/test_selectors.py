"""Reads of action plans: visibility, measure lists and the logic model."""

import pytest
from django.utils import timezone

from safecities.charter.models import Goal
from safecities.indicators.models import Indicator
from safecities.plans import selectors, services
from tests.plans.factories import adopt, make_indicator, make_plan


@pytest.fixture
def goals(demo):
    return list(Goal.objects.order_by("position"))


@pytest.fixture
def plan(demo, coordinator):
    return make_plan(actor=coordinator, municipality=demo.oslo)


def add(coordinator, plan, title, *goals):
    return services.add_measure(actor=coordinator, plan=plan, title=title, goals=goals)


def test_the_logic_model_says_plainly_where_a_measure_has_no_outcome(coordinator, plan, goals):
    debates = add(coordinator, plan, "Oslo snakker", goals[5], goals[4])
    lighting = add(coordinator, plan, "Better lighting", goals[0])
    trust = make_indicator("trust-in-others")
    held = make_indicator("debates-held", Indicator.Kind.OUTPUT)
    lamps = make_indicator("lamps-installed", Indicator.Kind.OUTPUT)
    link = services.link_indicator
    link(actor=coordinator, measure=debates, indicator=trust, role="outcome", direction="increase")
    link(actor=coordinator, measure=debates, indicator=held, role="output", direction="increase")
    link(actor=coordinator, measure=lighting, indicator=lamps, role="output", direction="increase")

    model = selectors.logic_model(plan)
    assert [block.goal for block in model] == goals
    by_goal = {block.goal: block for block in model}
    assert [m.measure for m in by_goal[goals[5]].measures] == [debates]
    assert [m.measure for m in by_goal[goals[4]].measures] == [debates]
    assert by_goal[goals[1]].measures == []
    logic = by_goal[goals[5]].measures[0]
    assert [x.indicator for x in logic.outcomes] == [trust]
    assert [x.indicator for x in logic.outputs] == [held]
    assert not logic.without_outcome
    lighting_logic = by_goal[goals[0]].measures[0]
    assert lighting_logic.without_outcome
    assert [m.measure for m in by_goal[goals[0]].without_outcome] == [lighting]
    assert list(selectors.measures_without_outcome(plan)) == [lighting]


def test_the_logic_model_reads_in_fixed_queries(
    coordinator, plan, goals, django_assert_max_num_queries
):
    indicators = [make_indicator(f"indicator-{n}") for n in range(5)]
    for n in range(12):
        measure = add(coordinator, plan, f"Measure {n}", goals[n % 6], goals[(n + 1) % 6])
        for indicator in indicators[: n % 5]:
            services.link_indicator(
                actor=coordinator,
                measure=measure,
                indicator=indicator,
                role="outcome",
                direction="increase",
            )
    with django_assert_max_num_queries(4):
        model = selectors.logic_model(plan)
        assert sum(len(b.measures) for b in model) == 24
        assert all(str(x.indicator) for b in model for m in b.measures for x in m.outcomes)


def test_measures_filter_by_goal_and_status(coordinator, plan, goals):
    first = add(coordinator, plan, "First", goals[0])
    second = add(coordinator, plan, "Second", goals[1])
    services.post_progress(
        actor=coordinator,
        measure=second,
        reported_on=timezone.localdate(),
        text="Begun.",
        status="ongoing",
    )
    assert list(selectors.measures(plan)) == [first, second]
    assert list(selectors.measures(plan, goal=goals[0])) == [first]
    assert list(selectors.measures(plan, status="ongoing")) == [second]


def test_plans_of_shows_drafts_only_to_those_who_manage(
    demo, coordinator, member, secretariat, stockholm_coordinator, plan
):
    assert list(selectors.plans_of(demo.oslo)) == []
    assert list(selectors.plans_of(demo.oslo, user=member)) == []
    assert list(selectors.plans_of(demo.oslo, user=stockholm_coordinator)) == []
    assert list(selectors.plans_of(demo.oslo, user=coordinator)) == [plan]
    assert list(selectors.plans_of(demo.oslo, user=secretariat)) == [plan]
    adopt(actor=coordinator, plan=plan)
    assert list(selectors.plans_of(demo.oslo)) == [plan]
    assert selectors.adopted_plan(demo.oslo) == plan


def test_plan_detail(coordinator, plan, goals, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        detail = selectors.plan_detail(plan.pk)
        assert [s.goal for s in detail.sections.all()] == goals
        assert str(detail.municipality)


def test_the_logic_model_of_a_plan_read_with_its_sections_reads_them_no_more(
    coordinator, plan, goals, django_assert_num_queries
):
    add(coordinator, plan, "Lighting", goals[0], goals[1])
    read = selectors.plan_detail(plan.pk)
    with django_assert_num_queries(3):
        model = selectors.logic_model(read)
        assert [block.goal for block in model] == goals
        assert [m.measure.title for m in model[1].measures] == ["Lighting"]
    assert [block.goal for block in selectors.logic_model(plan)] == goals
