"""The membership workflows: each state and the moves allowed from it, in one table."""

from django.utils.translation import gettext as _

from safecities.core.errors import DomainError

from .models import Membership, MembershipApplication

A = MembershipApplication.Status
M = Membership.Status

APPLICATION_MOVES: dict[str, set[str]] = {
    A.SUBMITTED: {A.APPROVED, A.DECLINED, A.WITHDRAWN},
    A.APPROVED: set(),
    A.DECLINED: set(),
    A.WITHDRAWN: set(),
}

MEMBERSHIP_MOVES: dict[str, set[str]] = {
    M.ACTIVE: {M.ENDED},
    M.ENDED: set(),
}


class InvalidTransition(DomainError):
    status = 409


def check_move(moves: dict[str, set[str]], current: str, new: str, labels) -> None:
    if new not in moves.get(current, set()):
        raise InvalidTransition(
            _("This is already %(current)s; it cannot become %(new)s.")
            % {"current": labels(current).label.lower(), "new": labels(new).label.lower()},
            field="status",
        )


def move_application(application: MembershipApplication, new: str) -> None:
    check_move(APPLICATION_MOVES, application.status, new, A)
    application.status = new


def move_membership(membership: Membership, new: str) -> None:
    check_move(MEMBERSHIP_MOVES, membership.status, new, M)
    membership.status = new
