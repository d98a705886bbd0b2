"""The membership workflows: each state and the moves allowed from it, in one table."""

from safecities.core.states import InvalidTransition, Workflow

from .models import Membership, MembershipApplication

A = MembershipApplication.Status
M = Membership.Status

APPLICATION = Workflow(
    MembershipApplication,
    {
        A.SUBMITTED: {A.APPROVED, A.DECLINED, A.WITHDRAWN},
        A.APPROVED: set(),
        A.DECLINED: set(),
        A.WITHDRAWN: set(),
    },
    tones={A.SUBMITTED: "info", A.APPROVED: "success", A.DECLINED: "danger"},
)

MEMBERSHIP = Workflow(
    Membership, {M.ACTIVE: {M.ENDED}, M.ENDED: set()}, tones={M.ACTIVE: "success"}
)


def awaits_decision(application: MembershipApplication) -> bool:
    """May the application still be approved or declined (or withdrawn)?"""
    return APPLICATION.may_move(application, A.APPROVED)


def may_end(membership: Membership) -> bool:
    return MEMBERSHIP.may_move(membership, M.ENDED)


__all__ = ["APPLICATION", "MEMBERSHIP", "InvalidTransition", "awaits_decision", "may_end"]
