"""A plan's life: drafted from the network template, written, adopted by a political body,
archived. A city has at most one adopted plan at a time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure
from safecities.core.states import move_recorded
from safecities.network.documents import check_pdf
from safecities.network.models import Municipality

from .. import selectors, states
from ..errors import GoalOutsidePlan, NotEditable
from ..models import ActionPlan, PlanSection
from ..predicates import adoption_problems
from ._common import (
    ADOPTION_FIELDS,
    PLAN_EDIT_FIELDS,
    PLAN_FIELDS,
    UNCHANGED,
    Maybe,
    _check_period,
    _locked_plan,
    _not_future,
    _text,
)

if TYPE_CHECKING:
    from safecities.core.models import User


@transaction.atomic
def create_plan(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    starts_on: date,
    ends_on: date,
) -> ActionPlan:
    """A draft plan for a city and period, with a section per goal of the network template."""
    ensure(actor, "plans.manage", municipality, field="municipality")
    title = _text(title, "title", _("Give the plan a title."))
    _check_period(starts_on, ends_on, required=True)
    plan = ActionPlan.objects.create(
        municipality=municipality,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    rows = selectors.new_plan_sections()
    for row in rows:
        row.plan = plan
    PlanSection.objects.bulk_create(rows)
    changes = audit.created(plan, PLAN_FIELDS)
    changes["sections"] = [None, [row.goal.code for row in rows]]
    audit.record(actor=actor, action="plans.plan.create", target=plan, changes=changes)
    return plan


def _draft(actor: User, plan: ActionPlan) -> ActionPlan:
    plan = _locked_plan(actor, plan)
    if not plan.editable:
        raise NotEditable(
            _("The plan is %(status)s: its text can only change while it is a draft.")
            % {"status": plan.get_status_display().lower()}
        )
    return plan


@transaction.atomic
def update_plan(
    *,
    actor: User,
    plan: ActionPlan,
    title: Maybe[str] = UNCHANGED,
    starts_on: Maybe[date] = UNCHANGED,
    ends_on: Maybe[date] = UNCHANGED,
    sections: Mapping[Goal | int, str] | None = None,
) -> ActionPlan:
    """Change a draft plan. Arguments left out stay; `sections` maps goals (or their ids) to
    the plan's text for that goal."""
    plan = _draft(actor, plan)
    before = audit.snapshot(plan, PLAN_EDIT_FIELDS)
    if title is not UNCHANGED:
        plan.title = _text(title, "title", _("Give the plan a title."))
    if starts_on is not UNCHANGED:
        plan.starts_on = starts_on
    if ends_on is not UNCHANGED:
        plan.ends_on = ends_on
    _check_period(plan.starts_on, plan.ends_on, required=True)
    existing = {s.goal_id: s for s in plan.sections.select_related("goal")}
    section_changes = []
    for key, text in (sections or {}).items():
        goal_id = key.pk if isinstance(key, Goal) else key
        section = existing.get(goal_id)
        if section is None:
            raise GoalOutsidePlan(
                _("The plan has no section for the charter goal %(goal)s.") % {"goal": key},
                field="sections",
            )
        text = (text or "").strip()
        if text != section.text:
            section_changes.append((section, section.text, text))
    plan.save()
    changes = audit.changes_between(before, audit.snapshot(plan, PLAN_EDIT_FIELDS))
    for section, old, new in section_changes:
        section.text = new
        section.save(update_fields=["text"])
        changes[f"section_{section.goal.code}"] = [old, new]
    if changes:
        audit.record(actor=actor, action="plans.plan.update", target=plan, changes=changes)
    return plan


@transaction.atomic
def adopt_plan(
    *,
    actor: User,
    plan: ActionPlan,
    body: str,
    adopted_on: date,
    case_number: str,
    document: File | None,
) -> ActionPlan:
    """Record a draft plan's adoption: by which body, when, under which case, the PDF.

    Refused with the first of `predicates.adoption_problems` (the list the page shows), then
    with the first fact of the decision that is missing or wrong.
    """
    ensure(actor, "plans.manage", plan)
    # Serialise adoptions for one city: the municipality row is the lock (IMMEDIATE on SQLite).
    Municipality.objects.select_for_update().get(pk=plan.municipality_id)
    plan = _locked_plan(actor, plan)
    problems = adoption_problems(plan)
    if problems:
        raise problems[0]
    body = _text(body, "body", _("Name the body that adopted the plan, e.g. City council."))
    _not_future(adopted_on, "adopted_on")
    case_number = _text(case_number, "case_number", _("Give the case number of the decision."))
    if not document:
        raise InvalidInput(_("Attach the adopted plan as a PDF."), field="document")
    check_pdf(document, field="document")
    before = audit.snapshot(plan, ADOPTION_FIELDS)
    states.PLAN.move(plan, ActionPlan.Status.ADOPTED)
    plan.adopted_by_body, plan.adopted_on, plan.case_number = body, adopted_on, case_number
    plan.document.save((document.name or "plan.pdf").rsplit("/", 1)[-1], document, save=False)
    plan.save(update_fields=[*ADOPTION_FIELDS, "updated_at"])
    audit.record(
        actor=actor,
        action="plans.plan.adopt",
        target=plan,
        changes=audit.changes_between(before, audit.snapshot(plan, ADOPTION_FIELDS)),
    )
    return plan


@transaction.atomic
def archive_plan(*, actor: User, plan: ActionPlan) -> ActionPlan:
    """Close a plan: an adopted one leaves force, a draft is set aside. Nothing changes after."""
    plan = _locked_plan(actor, plan)
    return move_recorded(
        plan,
        workflow=states.PLAN,
        to=ActionPlan.Status.ARCHIVED,
        actor=actor,
        action="plans.plan.archive",
        also_save=["updated_at"],
    )
