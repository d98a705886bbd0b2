"""Every write to grants: one function per business action, atomic and audited.

The ledger rule: awards never exceed a programme's budget, and scheduled or paid payments never
exceed their award. Both are checked while holding a lock that serialises the writers who could
break them: the programme row (`select_for_update`) for awards, the award row for payments. On
SQLite, where FOR UPDATE does not exist, the settings open every transaction IMMEDIATE, which
takes the database's write lock at BEGIN and so serialises the same writers."""

from safecities.core.errors import DomainError, InvalidInput, NotAllowed

from ..errors import (
    AgreementNotAccepted,
    ApprovedBudgetMismatch,
    AwardOverRequest,
    BudgetExceeded,
    BudgetLinesMismatch,
    CallNotOpen,
    Ineligible,
    NotEditable,
    NotReviewed,
    PartnershipRequired,
    PaymentOverAward,
    RequestOutOfRange,
    ReviewerConflict,
    WrongCurrency,
)
from ._shared import APPLICATION_FIELDS, CALL_FIELDS, EDIT_FIELDS, PROGRAMME_FIELDS
from .agreements import (
    accept_agreement,
    reopen_agreement,
    send_agreement,
    update_agreement,
)
from .applications import (
    create_application,
    invite_full_proposal,
    submit_application,
    update_application,
    withdraw_application,
)
from .calls import (
    call_terms_locked,
    close_call,
    create_call,
    create_programme,
    open_call,
    set_criteria,
    set_questions,
    update_call,
    update_programme,
)
from .changes import approve_change, decline_change, request_change, withdraw_change
from .decisions import award_grant, decline_application
from .lines import (
    add_programme_line,
    call_line_locked,
    delete_programme_line,
    draw_call_on,
    line_in_use,
    update_programme_line,
)
from .partners import confirm_participation, grant_questions, withdraw_participation
from .payments import cancel_payment, mark_paid, return_payment, schedule_payment
from .reports import (
    Reminders,
    accept_report,
    close_award,
    save_report,
    send_report_reminders,
    submit_report,
)
from .reviews import assign_reviewer, declare_conflict, save_review, unassign_reviewer
from .sums import (
    refresh_all,
    refresh_awarded,
    refresh_call_counts,
    refresh_programme_totals,
    refresh_scores,
)

__all__ = [
    "AgreementNotAccepted",
    "ApprovedBudgetMismatch",
    "accept_agreement",
    "reopen_agreement",
    "send_agreement",
    "update_agreement",
    "approve_change",
    "decline_change",
    "request_change",
    "withdraw_change",
    "confirm_participation",
    "grant_questions",
    "withdraw_participation",
    "WrongCurrency",
    "ReviewerConflict",
    "RequestOutOfRange",
    "PaymentOverAward",
    "PartnershipRequired",
    "NotEditable",
    "NotReviewed",
    "Ineligible",
    "CallNotOpen",
    "BudgetLinesMismatch",
    "BudgetExceeded",
    "AwardOverRequest",
    "NotAllowed",
    "InvalidInput",
    "DomainError",
    "APPLICATION_FIELDS",
    "CALL_FIELDS",
    "EDIT_FIELDS",
    "PROGRAMME_FIELDS",
    "Reminders",
    "accept_report",
    "add_programme_line",
    "call_line_locked",
    "delete_programme_line",
    "draw_call_on",
    "line_in_use",
    "update_programme_line",
    "assign_reviewer",
    "award_grant",
    "call_terms_locked",
    "cancel_payment",
    "close_award",
    "close_call",
    "create_application",
    "create_call",
    "create_programme",
    "declare_conflict",
    "decline_application",
    "invite_full_proposal",
    "mark_paid",
    "open_call",
    "refresh_all",
    "refresh_awarded",
    "refresh_call_counts",
    "refresh_programme_totals",
    "refresh_scores",
    "return_payment",
    "save_review",
    "schedule_payment",
    "send_report_reminders",
    "set_criteria",
    "set_questions",
    "submit_application",
    "save_report",
    "submit_report",
    "unassign_reviewer",
    "update_application",
    "update_call",
    "update_programme",
    "withdraw_application",
]
