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
)

MEMBERSHIP = Workflow(Membership, {M.ACTIVE: {M.ENDED}, M.ENDED: set()})

__all__ = ["APPLICATION", "MEMBERSHIP", "InvalidTransition"]
