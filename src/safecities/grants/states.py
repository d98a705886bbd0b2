"""The grant workflows: each state and the moves allowed from it, in one table."""

from safecities.core.states import InvalidTransition, Workflow

from .models import Application, Call, GrantReport, Payment, Review

C = Call.Status
A = Application.Status
P = Payment.Status
R = Review.Status
G = GrantReport.Status

CALL = Workflow(
    Call,
    {
        C.DRAFT: {C.OPEN},
        C.OPEN: {C.CLOSED},
        C.CLOSED: set(),
    },
)

# In a two-stage call a submitted concept note is either declined or invited: the application
# is then edited again, as a full proposal, and submitted a second time.
APPLICATION = Workflow(
    Application,
    {
        A.DRAFT: {A.SUBMITTED, A.WITHDRAWN},
        A.SUBMITTED: {A.INVITED, A.AWARDED, A.DECLINED, A.WITHDRAWN},
        A.INVITED: {A.SUBMITTED, A.WITHDRAWN},
        A.AWARDED: set(),
        A.DECLINED: set(),
        A.WITHDRAWN: set(),
    },
)

# A returned payment is money back in the programme: it no longer counts as paid.
PAYMENT = Workflow(
    Payment,
    {
        P.SCHEDULED: {P.PAID, P.CANCELLED},
        P.PAID: {P.RETURNED},
        P.RETURNED: set(),
        P.CANCELLED: set(),
    },
)

REVIEW = Workflow(
    Review,
    {
        R.ASSIGNED: {R.SUBMITTED, R.CONFLICT},
        R.SUBMITTED: set(),
        R.CONFLICT: set(),
    },
)

REPORT = Workflow(
    GrantReport,
    {
        G.DUE: {G.SUBMITTED},
        G.SUBMITTED: {G.ACCEPTED, G.DUE},  # back to the grantee for more
        G.ACCEPTED: set(),
    },
)

__all__ = ["APPLICATION", "CALL", "PAYMENT", "REPORT", "REVIEW", "InvalidTransition"]
