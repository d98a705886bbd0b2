"""Every write to action plans: one function per business action, atomic and audited, in one
module per concern (the template, plans, measures, progress and the logic model, adopting a
practice).

Each service checks the actor's permission, then every input, and only then writes: a refusal
raises a `DomainError` naming the field at fault and leaves the data (and stored files) as they
were. Measures can be added and changed while their plan is a draft or adopted (cities revise
their measures within an adopted plan); an archived plan is closed.
"""

from ..errors import (
    AlreadyAdopted,
    AlreadyLinked,
    GoalOutsidePlan,
    GrantOfAnotherCity,
    NotEditable,
    NotLinked,
    PracticeNotAvailable,
    WrongIndicatorKind,
)
from ._common import UNCHANGED
from .measures import add_measure, update_measure
from .plans import adopt_plan, archive_plan, create_plan, update_plan
from .practices import adopt_practice
from .progress import link_indicator, post_progress, unlink_indicator
from .template import save_template_section

__all__ = [
    "UNCHANGED",
    "AlreadyAdopted",
    "AlreadyLinked",
    "GoalOutsidePlan",
    "GrantOfAnotherCity",
    "NotEditable",
    "NotLinked",
    "PracticeNotAvailable",
    "WrongIndicatorKind",
    "add_measure",
    "adopt_plan",
    "adopt_practice",
    "archive_plan",
    "create_plan",
    "link_indicator",
    "post_progress",
    "save_template_section",
    "unlink_indicator",
    "update_measure",
    "update_plan",
]
