"""The plan and measure workflows: each state and the moves allowed from it, in one table."""

from safecities.network.states import InvalidTransition, check_move

from .models import ActionPlan, Measure

P = ActionPlan.Status
M = Measure.Status

PLAN_MOVES: dict[str, set[str]] = {
    P.DRAFT: {P.ADOPTED, P.ARCHIVED},
    P.ADOPTED: {P.ARCHIVED},
    P.ARCHIVED: set(),
}

MEASURE_MOVES: dict[str, set[str]] = {
    M.PLANNED: {M.ONGOING, M.STOPPED},
    M.ONGOING: {M.DONE, M.STOPPED},
    M.DONE: set(),
    M.STOPPED: set(),
}

__all__ = ["InvalidTransition", "can_move_measure", "check_plan_move", "move_measure", "move_plan"]


def check_plan_move(plan: ActionPlan, new: str) -> None:
    """Refuse (InvalidTransition) unless the plan may move to `new`; changes nothing."""
    check_move(PLAN_MOVES, plan.status, new, P)


def move_plan(plan: ActionPlan, new: str) -> None:
    check_move(PLAN_MOVES, plan.status, new, P)
    plan.status = new


def can_move_measure(current: str, new: str) -> bool:
    return new in MEASURE_MOVES.get(current, set())


def move_measure(measure: Measure, new: str) -> None:
    check_move(MEASURE_MOVES, measure.status, new, M)
    measure.status = new
