"""The plan and measure workflows: each state and the moves allowed from it, in one table."""

from safecities.core.states import InvalidTransition, Workflow

from .models import ActionPlan, Measure, ProgressUpdate

P = ActionPlan.Status
M = Measure.Status

PLAN = Workflow(
    ActionPlan,
    {
        P.DRAFT: {P.ADOPTED, P.ARCHIVED},
        P.ADOPTED: {P.ARCHIVED},
        P.ARCHIVED: set(),
    },
    tones={P.ADOPTED: "success", P.ARCHIVED: "warning"},
)

MEASURE = Workflow(
    Measure,
    {
        M.PLANNED: {M.ONGOING, M.STOPPED},
        M.ONGOING: {M.DONE, M.STOPPED},
        M.DONE: set(),
        M.STOPPED: set(),
    },
    tones={M.DONE: "success", M.ONGOING: "info", M.STOPPED: "warning"},
)

# A progress update records the measure's status on the day it was reported (the measure moves
# along MEASURE); the record itself never moves.
PROGRESS = Workflow(
    ProgressUpdate,
    {state: set() for state in M.values},
    tones=MEASURE.tones,
)

__all__ = ["MEASURE", "PLAN", "PROGRESS", "InvalidTransition"]
