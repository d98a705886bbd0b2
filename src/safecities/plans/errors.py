"""The plans' refusals: one class per rule, raised by the services and listed by the
predicates (`plans.predicates`) that pages ask before they offer an action."""

from safecities.core.errors import DomainError


class NotEditable(DomainError):
    status = 409
    field = "status"


class AlreadyAdopted(DomainError):
    """The city already has an adopted plan: archive it before adopting another."""

    status = 409
    field = "status"


class GoalOutsidePlan(DomainError):
    field = "goals"


class GrantOfAnotherCity(DomainError):
    field = "grant"


class WrongIndicatorKind(DomainError):
    """An output count named as an outcome the measure aims to move, or the reverse."""

    field = "role"


class AlreadyLinked(DomainError):
    status = 409
    field = "indicator"


class NotLinked(DomainError):
    status = 404
    field = "indicator"


class PracticeNotAvailable(DomainError):
    field = "practice"
