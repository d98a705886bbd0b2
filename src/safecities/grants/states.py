"""The grant workflows: each state and the moves allowed from it, in one table."""

from safecities.network.states import InvalidTransition, check_move

from .models import Application, Call, Payment

C = Call.Status
A = Application.Status
P = Payment.Status

CALL_MOVES: dict[str, set[str]] = {
    C.DRAFT: {C.OPEN},
    C.OPEN: {C.CLOSED},
    C.CLOSED: set(),
}

APPLICATION_MOVES: dict[str, set[str]] = {
    A.DRAFT: {A.SUBMITTED, A.WITHDRAWN},
    A.SUBMITTED: {A.AWARDED, A.DECLINED, A.WITHDRAWN},
    A.AWARDED: set(),
    A.DECLINED: set(),
    A.WITHDRAWN: set(),
}

# A returned payment is money back in the programme: it no longer counts as paid.
PAYMENT_MOVES: dict[str, set[str]] = {
    P.SCHEDULED: {P.PAID},
    P.PAID: {P.RETURNED},
    P.RETURNED: set(),
}

__all__ = ["InvalidTransition", "move_application", "move_call", "move_payment"]


def move_call(call: Call, new: str) -> None:
    check_move(CALL_MOVES, call.status, new, C)
    call.status = new


def move_application(application: Application, new: str) -> None:
    check_move(APPLICATION_MOVES, application.status, new, A)
    application.status = new


def move_payment(payment: Payment, new: str) -> None:
    check_move(PAYMENT_MOVES, payment.status, new, P)
    payment.status = new
