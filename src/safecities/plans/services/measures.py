"""A plan's measures: added under the plan's charter goals and changed while the plan is open
(a draft or adopted; `predicates.measures_open`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.grants.models import Award
from safecities.network.models import Organisation

from ..errors import GoalOutsidePlan, GrantOfAnotherCity
from ..models import ActionPlan, Measure
from ._common import (
    MEASURE_FIELDS,
    UNCHANGED,
    Maybe,
    _check_period,
    _locked_measure,
    _open_plan,
    _text,
)

if TYPE_CHECKING:
    from safecities.core.models import User


def _check_goals(plan: ActionPlan, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(goals)
    if not goals:
        raise InvalidInput(_("Name at least one charter goal the measure serves."), field="goals")
    in_plan = set(plan.sections.values_list("goal_id", flat=True))
    for goal in goals:
        if not isinstance(goal, Goal) or goal.pk not in in_plan:
            raise GoalOutsidePlan(
                _("The plan has no section for %(goal)s: a measure serves the plan's goals.")
                % {"goal": goal}
            )
    return goals


def _check_terms(terms: Iterable[Term], vocabulary: str, field: str) -> list[Term]:
    terms = list(terms)
    for term in terms:
        if not isinstance(term, Term) or term.vocabulary != vocabulary:
            label = _("target group") if vocabulary == Vocabulary.TARGET_GROUP else _("phenomenon")
            raise InvalidInput(
                _("%(term)s is not a %(kind)s.") % {"term": term, "kind": label}, field=field
            )
    return terms


def _check_partners(partners: Iterable[Organisation]) -> list[Organisation]:
    partners = list(partners)
    seen = set()
    for partner in partners:
        if not isinstance(partner, Organisation):
            raise InvalidInput(_("A partner is an organisation."), field="partners")
        if partner.pk in seen:
            raise InvalidInput(
                _("%(partner)s is listed twice.") % {"partner": partner}, field="partners"
            )
        seen.add(partner.pk)
    return partners


def _check_budget(budget: Money | None) -> tuple[int | None, str]:
    if budget is None:
        return None, ""
    if not isinstance(budget, Money):
        raise InvalidInput(_("Give the budget with its currency."), field="budget")
    if budget.minor_units < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="budget")
    return budget.minor_units, budget.currency


def _check_grant(plan: ActionPlan, grant: Award | None) -> Award | None:
    """The award must fund the plan's city: as lead applicant or as partner."""
    if grant is None:
        return None
    if not isinstance(grant, Award):
        raise InvalidInput(_("Choose a grant that was awarded."), field="grant")
    application = grant.application
    city = plan.municipality_id
    if (
        application.lead_municipality_id != city
        and not application.partners.filter(municipality_id=city).exists()
    ):
        raise GrantOfAnotherCity(
            _("“%(grant)s” was not awarded to %(city)s or a project it is a partner in.")
            % {"grant": grant, "city": plan.municipality}
        )
    return grant


def _set_links(
    measure: Measure,
    values: dict[str, Sequence[models.Model] | None],
    changes: dict[str, list[Any]],
) -> None:
    """Set the measure's many-to-many links named in `values` (None: left as they are),
    noting each that changed in `changes`."""
    for name, items in values.items():
        if items is None:
            continue
        manager = getattr(measure, name)
        old = sorted(str(v) for v in manager.all())
        manager.set(items)
        new = sorted(str(v) for v in items)
        if old != new:
            changes[name] = [old or None, new]


@transaction.atomic
def add_measure(
    *,
    actor: User,
    plan: ActionPlan,
    title: str,
    goals: Iterable[Goal],
    description: str = "",
    target_groups: Iterable[Term] = (),
    phenomena: Iterable[Term] = (),
    owner_department: str = "",
    partners: Iterable[Organisation] = (),
    budget: Money | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    grant: Award | None = None,
) -> Measure:
    """A planned measure under the plan's charter goals."""
    plan = _open_plan(actor, plan)
    title = _text(title, "title", _("Give the measure a title."))
    goal_list = _check_goals(plan, goals)
    groups = _check_terms(target_groups, Vocabulary.TARGET_GROUP, "target_groups")
    terms = _check_terms(phenomena, Vocabulary.PHENOMENON, "phenomena")
    partner_list = _check_partners(partners)
    budget_minor, currency = _check_budget(budget)
    _check_period(starts_on, ends_on, required=False)
    grant = _check_grant(plan, grant)
    measure = Measure.objects.create(
        plan=plan,
        position=plan.measures.count(),
        title=title,
        description=(description or "").strip(),
        owner_department=(owner_department or "").strip(),
        budget_minor=budget_minor,
        currency=currency,
        starts_on=starts_on,
        ends_on=ends_on,
        grant=grant,
        created_by=actor,
    )
    changes = audit.created(measure, MEASURE_FIELDS)
    changes["plan"] = [None, str(plan)]
    _set_links(
        measure,
        {"goals": goal_list, "target_groups": groups, "phenomena": terms, "partners": partner_list},
        changes,
    )
    audit.record(actor=actor, action="plans.measure.add", target=measure, changes=changes)
    return measure


@transaction.atomic
def update_measure(
    *,
    actor: User,
    measure: Measure,
    title: Maybe[str] = UNCHANGED,
    goals: Maybe[Iterable[Goal]] = UNCHANGED,
    description: Maybe[str] = UNCHANGED,
    target_groups: Maybe[Iterable[Term]] = UNCHANGED,
    phenomena: Maybe[Iterable[Term]] = UNCHANGED,
    owner_department: Maybe[str] = UNCHANGED,
    partners: Maybe[Iterable[Organisation]] = UNCHANGED,
    budget: Maybe[Money | None] = UNCHANGED,
    starts_on: Maybe[date | None] = UNCHANGED,
    ends_on: Maybe[date | None] = UNCHANGED,
    grant: Maybe[Award | None] = UNCHANGED,
) -> Measure:
    """Change a measure; arguments left out stay as they were. Its status moves only through
    progress updates (`post_progress`)."""
    measure = _locked_measure(actor, measure)
    plan = _open_plan(actor, measure.plan)
    before = audit.snapshot(measure, MEASURE_FIELDS)
    if title is not UNCHANGED:
        measure.title = _text(title, "title", _("Give the measure a title."))
    if description is not UNCHANGED:
        measure.description = (description or "").strip()
    if owner_department is not UNCHANGED:
        measure.owner_department = (owner_department or "").strip()
    if budget is not UNCHANGED:
        measure.budget_minor, measure.currency = _check_budget(budget)
    if starts_on is not UNCHANGED:
        measure.starts_on = starts_on
    if ends_on is not UNCHANGED:
        measure.ends_on = ends_on
    _check_period(measure.starts_on, measure.ends_on, required=False)
    if grant is not UNCHANGED:
        measure.grant = _check_grant(plan, grant)
    links: dict[str, Sequence[models.Model] | None] = {
        "goals": None if goals is UNCHANGED else _check_goals(plan, goals),
        "target_groups": None
        if target_groups is UNCHANGED
        else _check_terms(target_groups, Vocabulary.TARGET_GROUP, "target_groups"),
        "phenomena": None
        if phenomena is UNCHANGED
        else _check_terms(phenomena, Vocabulary.PHENOMENON, "phenomena"),
        "partners": None if partners is UNCHANGED else _check_partners(partners),
    }
    measure.save()
    changes = audit.changes_between(before, audit.snapshot(measure, MEASURE_FIELDS))
    _set_links(measure, links, changes)
    if changes:
        audit.record(actor=actor, action="plans.measure.update", target=measure, changes=changes)
    return measure
