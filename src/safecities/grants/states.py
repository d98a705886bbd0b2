"""The grant workflows: each state and the moves allowed from it, in one table."""

from safecities.network.states import InvalidTransition, check_move

from .models import Application, Call, GrantReport, Payment, Review

C = Call.Status
A = Application.Status
P = Payment.Status
R = Review.Status
G = GrantReport.Status

CALL_MOVES: dict[str, set[str]] = {
    C.DRAFT: {C.OPEN},
    C.OPEN: {C.CLOSED},
    C.CLOSED: set(),
}

# In a two-stage call a submitted concept note is either declined or invited: the application
# is then edited again, as a full proposal, and submitted a second time.
APPLICATION_MOVES: dict[str, set[str]] = {
    A.DRAFT: {A.SUBMITTED, A.WITHDRAWN},
    A.SUBMITTED: {A.INVITED, A.AWARDED, A.DECLINED, A.WITHDRAWN},
    A.INVITED: {A.SUBMITTED, A.WITHDRAWN},
    A.AWARDED: set(),
    A.DECLINED: set(),
    A.WITHDRAWN: set(),
}

# A returned payment is money back in the programme: it no longer counts as paid.
PAYMENT_MOVES: dict[str, set[str]] = {
    P.SCHEDULED: {P.PAID, P.CANCELLED},
    P.PAID: {P.RETURNED},
    P.RETURNED: set(),
    P.CANCELLED: set(),
}

REVIEW_MOVES: dict[str, set[str]] = {
    R.ASSIGNED: {R.SUBMITTED, R.CONFLICT},
    R.SUBMITTED: set(),
    R.CONFLICT: set(),
}

REPORT_MOVES: dict[str, set[str]] = {
    G.DUE: {G.SUBMITTED},
    G.SUBMITTED: {G.ACCEPTED, G.DUE},  # back to the grantee for more
    G.ACCEPTED: set(),
}

__all__ = [
    "InvalidTransition",
    "move_application",
    "move_call",
    "move_payment",
    "move_report",
    "move_review",
]


def move_call(call: Call, new: str) -> None:
    check_move(CALL_MOVES, call.status, new, C)
    call.status = new


def move_application(application: Application, new: str) -> None:
    check_move(APPLICATION_MOVES, application.status, new, A)
    application.status = new


def move_payment(payment: Payment, new: str) -> None:
    check_move(PAYMENT_MOVES, payment.status, new, P)
    payment.status = new


def move_review(review: Review, new: str) -> None:
    check_move(REVIEW_MOVES, review.status, new, R)
    review.status = new


def move_report(report: GrantReport, new: str) -> None:
    check_move(REPORT_MOVES, report.status, new, G)
    report.status = new
