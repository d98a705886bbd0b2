"""What may happen to a plan now: each rule asked once, by the services that refuse with it,
the pages that offer (or hide) the action and show why, and the API.

A predicate answers from the plan's state (`plans.states`) and, where it must, the database;
`adoption_problems` returns the refusals themselves, so the page lists word for word what the
service would refuse with.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safecities.core.errors import DomainError
from safecities.core.states import InvalidTransition

from . import selectors, states
from .errors import AlreadyAdopted
from .models import ActionPlan

P = ActionPlan.Status


def measures_open(plan: ActionPlan) -> bool:
    """Measures are added and changed while the plan is a draft or adopted (cities revise
    their measures within an adopted plan); an archived plan is closed."""
    return not states.PLAN.is_final(states.PLAN.state_of(plan))


def may_archive(plan: ActionPlan) -> bool:
    return states.PLAN.may_move(plan, P.ARCHIVED)


def may_adopt(plan: ActionPlan) -> bool:
    """Whether the plan's state allows adoption (`adoption_problems` says everything)."""
    return states.PLAN.may_move(plan, P.ADOPTED)


def adoption_problems(plan: ActionPlan) -> list[DomainError]:
    """What stands in the way of adopting the plan, apart from the decision's own facts (body,
    date, case number, document) that the adoption form asks for: empty when it may be adopted.

    A city has at most one adopted plan at a time, so the one in force is archived first.
    """
    problems: list[DomainError] = []
    if not may_adopt(plan):
        problems.append(
            InvalidTransition(
                _("The plan is %(status)s: only a draft can be adopted.")
                % {"status": plan.get_status_display().lower()},
                field="status",
            )
        )
        return problems
    in_force = selectors.plan_in_force(plan.municipality_id, besides=plan)
    if in_force is not None:
        problems.append(
            AlreadyAdopted(
                _("%(city)s already has an adopted plan, “%(plan)s”: archive it first.")
                % {"city": plan.municipality, "plan": in_force.title}
            )
        )
    return problems
