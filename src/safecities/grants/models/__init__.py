"""Grants: programmes with budgets, calls, applications, awards and payments.

Every amount is stored as integer minor units (`*_minor`, BigIntegerField) in the currency of
its programme; the `Money` properties read them back. Two kinds of sums are kept on rows so that
pages need not add up tens of thousands of them: each application's weighted review score and
each programme's awarded and paid totals. `services.sums` recomputes them from the rows in the
transaction of every write that changes them, so they always match the rows.

One module per concern; every model is importable from here (`from safecities.grants.models
import Application`) and keeps the app label `grants`.
"""

from .agreements import Agreement, ChangeRequest, ReportResult, ReportSpend
from .applications import (
    Answer,
    Application,
    ApplicationVersion,
    BudgetLine,
    Partner,
    answer_upload_to,
)
from .awards import Award, GrantReport, Payment
from .calls import Call, CallQuerySet, Criterion, Programme, Question, Stage, currency_validator
from .kept import AwardedByGoal, AwardedByLead
from .lines import ProgrammeLine
from .reviews import Review, Score

__all__ = [
    "Agreement",
    "ChangeRequest",
    "ReportResult",
    "ReportSpend",
    "Answer",
    "Application",
    "ApplicationVersion",
    "Award",
    "AwardedByGoal",
    "AwardedByLead",
    "BudgetLine",
    "Call",
    "CallQuerySet",
    "Criterion",
    "GrantReport",
    "Partner",
    "Payment",
    "Programme",
    "ProgrammeLine",
    "Question",
    "Review",
    "Score",
    "Stage",
    "answer_upload_to",
    "currency_validator",
]
