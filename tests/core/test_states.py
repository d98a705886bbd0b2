"""The workflow machinery: a table names every state once, refuses a move it does not allow,
moves in bulk only the rows it allows, and gives pages their predicates and tags."""

import pytest
from django.template import Context, Template

from safecities.core.states import InvalidTransition, Workflow
from safecities.plans import states
from safecities.plans.models import ActionPlan

P = ActionPlan.Status


def test_a_table_must_name_every_state_and_only_real_ones():
    with pytest.raises(ValueError, match="missing \\['archived'\\]"):
        Workflow(ActionPlan, {P.DRAFT: {P.ADOPTED}, P.ADOPTED: set()})
    with pytest.raises(ValueError, match="unknown \\['gone'\\]"):
        Workflow(
            ActionPlan,
            {P.DRAFT: {"gone"}, P.ADOPTED: set(), P.ARCHIVED: set()},
        )


def test_a_move_the_table_allows_is_made_and_one_it_does_not_is_refused_unchanged():
    plan = ActionPlan(status=P.DRAFT)
    assert states.PLAN.may_move(plan, P.ADOPTED)
    states.PLAN.move(plan, P.ADOPTED)
    assert plan.status == P.ADOPTED
    assert not states.PLAN.may_move(plan, P.DRAFT)
    with pytest.raises(InvalidTransition) as refused:
        states.PLAN.move(plan, P.DRAFT)
    assert plan.status == P.ADOPTED
    assert refused.value.field == "status"
    assert refused.value.status == 409
    assert "adopted" in refused.value.message and "draft" in refused.value.message


def test_check_changes_nothing_and_final_states_have_no_moves():
    plan = ActionPlan(status=P.DRAFT)
    states.PLAN.check(plan, P.ARCHIVED)
    assert plan.status == P.DRAFT
    assert states.PLAN.is_final(P.ARCHIVED)
    assert not states.PLAN.is_final(P.DRAFT)


def test_every_workflow_is_found_from_its_object():
    assert Workflow.of(ActionPlan(status=P.DRAFT)) is states.PLAN


def test_a_bulk_move_moves_only_the_rows_the_table_allows(demo):
    plans = ActionPlan.objects.all()
    before = dict(plans.values_list("pk", "status"))
    allowed = [pk for pk, status in before.items() if status in (P.DRAFT, P.ADOPTED)]
    assert allowed
    moved = states.PLAN.move_all(plans, P.ARCHIVED)
    assert moved == len(allowed)
    assert set(ActionPlan.objects.values_list("status", flat=True)) == {P.ARCHIVED}


def test_the_status_tag_shows_the_label_coloured_by_the_table():
    html = Template("{% load core %}{% status_tag plan %}").render(
        Context({"plan": ActionPlan(status=P.ADOPTED)})
    )
    assert 'data-color="success"' in html
    assert ">Adopted<" in html
    assert "sc-status--adopted" in html
    draft = Template("{% load core %}{% status_tag plan %}").render(
        Context({"plan": ActionPlan(status=P.DRAFT)})
    )
    assert 'data-color="neutral"' in draft


def test_the_status_tag_speaks_the_reader_s_language():
    from django.utils import translation

    with translation.override("nb"):
        html = Template("{% load core %}{% status_tag plan %}").render(
            Context({"plan": ActionPlan(status=P.ADOPTED)})
        )
        assert ">Vedtatt<" in html, html
        with pytest.raises(InvalidTransition) as refused:
            states.PLAN.check(ActionPlan(status=P.ARCHIVED), P.DRAFT)
        assert "arkivert" in refused.value.message


def test_move_recorded_saves_the_move_and_audits_it_or_changes_nothing(demo, coordinator):
    from safecities.core.models import AuditEvent
    from safecities.core.states import move_recorded
    from tests.plans.factories import make_plan

    plan = make_plan(actor=coordinator, municipality=demo.oslo)
    move_recorded(
        plan,
        workflow=states.PLAN,
        to=P.ARCHIVED,
        actor=coordinator,
        action="test.archive",
        changes={"note": [None, "why"]},
    )
    plan.refresh_from_db()
    assert plan.status == P.ARCHIVED
    event = AuditEvent.objects.get(action="test.archive")
    assert event.changes == {"status": ["draft", "archived"], "note": [None, "why"]}
    with pytest.raises(InvalidTransition):
        move_recorded(plan, workflow=states.PLAN, to=P.DRAFT, actor=coordinator, action="test.no")
    plan.refresh_from_db()
    assert plan.status == P.ARCHIVED
    assert not AuditEvent.objects.filter(action="test.no").exists()
