"""The grant workflows: each state and the moves allowed from it, in one table."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from safecities.core.states import InvalidTransition, Workflow

from .models import (
    Agreement,
    Application,
    Award,
    Call,
    ChangeRequest,
    GrantReport,
    Payment,
    Review,
    Stage,
)

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
    tones={C.OPEN: "success", C.DRAFT: "warning"},
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
    tones={A.AWARDED: "success", A.DECLINED: "danger", A.SUBMITTED: "info", A.INVITED: "info"},
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
    tones={P.PAID: "success", P.SCHEDULED: "info"},
)

REVIEW = Workflow(
    Review,
    {
        R.ASSIGNED: {R.SUBMITTED, R.CONFLICT},
        R.SUBMITTED: set(),
        R.CONFLICT: set(),
    },
    tones={R.SUBMITTED: "success", R.CONFLICT: "warning", R.ASSIGNED: "info"},
)

REPORT = Workflow(
    GrantReport,
    {
        G.DUE: {G.SUBMITTED},
        G.SUBMITTED: {G.ACCEPTED, G.DUE},  # back to the grantee for more
        G.ACCEPTED: set(),
    },
    tones={G.ACCEPTED: "success", G.SUBMITTED: "info", G.DUE: "warning"},
)

AG = Agreement.Status
CR = ChangeRequest.Status

# The programme drafts the agreement, sends it, may take it back to correct it until the
# grantee accepts it; an accepted agreement changes only through change requests.
AGREEMENT = Workflow(
    Agreement,
    {
        AG.DRAFT: {AG.SENT},
        AG.SENT: {AG.ACCEPTED, AG.DRAFT},
        AG.ACCEPTED: set(),
    },
    tones={AG.ACCEPTED: "success", AG.SENT: "info", AG.DRAFT: "warning"},
)

CHANGE = Workflow(
    ChangeRequest,
    {
        CR.SUBMITTED: {CR.APPROVED, CR.DECLINED, CR.WITHDRAWN},
        CR.APPROVED: set(),
        CR.DECLINED: set(),
        CR.WITHDRAWN: set(),
    },
    tones={CR.APPROVED: "success", CR.DECLINED: "danger", CR.SUBMITTED: "info"},
)


def agreement_editable(agreement: Agreement) -> bool:
    """Whether the programme may still edit the agreement: it is a draft (it may be sent)."""
    return AGREEMENT.may_move(agreement, AG.SENT)


def agreement_accepted(award: Award) -> bool:
    """Whether the grantee accepted the award's agreement (an award may have none yet)."""
    agreement = getattr(award, "agreement", None)
    return agreement is not None and agreement.status == AG.ACCEPTED


def payable(award: Award) -> bool:
    """Whether the award's payments may be marked paid: its grant agreement is accepted. An
    award without an agreement (none drafted yet) is not payable either."""
    return agreement_accepted(award)


def changes_possible(award: Award) -> bool:
    """Whether a change may be asked for on the award now: its agreement is accepted and the
    grant is not closed. (At most one request is open at a time: see `OPEN_CHANGE`.)"""
    return award.closed_at is None and agreement_accepted(award)


# A change request waiting for the programme's decision: the states it may still be decided in.
OPEN_CHANGE = CHANGE.sources(CR.APPROVED)


def may_request_change(award: Award, *, open_change: ChangeRequest | None) -> bool:
    """`changes_possible`, and no other request waits for a decision."""
    return open_change is None and changes_possible(award)


# A report whose figures count (spending per line, results): submitted or accepted, not a due
# report its writers saved on the way.
REPORTED = (G.SUBMITTED, G.ACCEPTED)


def may_invite(application: Application) -> bool:
    """Whether a submitted concept note may be invited to a full proposal now."""
    return application.stage == Stage.CONCEPT and APPLICATION.may_move(application, A.INVITED)


def may_be_decided(application: Application, *, finished_reviews: int) -> bool:
    """Whether a runner may decide on the application now: it is submitted and awaits a
    decision, and, for a full proposal, at least one review of it is finished (submitted).
    A concept note is invited or declined on its own merits. `finished_reviews` is the count of
    its submitted reviews (`selectors.finished_review_count` or the list's `review_count`)."""
    if not APPLICATION.may_move(application, A.DECLINED):
        return False
    return application.stage == Stage.CONCEPT or finished_reviews > 0


def decidable(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """`may_be_decided` as a query: the applications of `queryset` a runner may decide now."""
    finished = Review.objects.filter(application=OuterRef("pk"), status=R.SUBMITTED)
    return queryset.filter(
        Q(stage=Stage.CONCEPT) | Exists(finished),
        status__in=APPLICATION.sources(A.DECLINED),
    )


__all__ = [
    "REPORTED",
    "AGREEMENT",
    "agreement_editable",
    "payable",
    "CHANGE",
    "OPEN_CHANGE",
    "agreement_accepted",
    "changes_possible",
    "may_request_change",
    "APPLICATION",
    "decidable",
    "may_be_decided",
    "may_invite",
    "CALL",
    "PAYMENT",
    "REPORT",
    "REVIEW",
    "InvalidTransition",
]
