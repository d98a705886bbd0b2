"""The grants rules' refusals: one class per rule, raised by the services (and named by the
submission checklist, which refuses with them)."""

from safecities.core.errors import DomainError


class WrongCurrency(DomainError):
    """An amount is not in the programme's currency."""


class CallNotOpen(DomainError):
    status = 409


class RequestOutOfRange(DomainError):
    pass


class BudgetLinesMismatch(DomainError):
    pass


class PartnershipRequired(DomainError):
    pass


class PartnerNotConfirmed(DomainError):
    """A partner has not confirmed its participation: the lead cannot submit for it."""


class BudgetExceeded(DomainError):
    status = 409


class AwardOverRequest(DomainError):
    pass


class PaymentOverAward(DomainError):
    status = 409


class Ineligible(DomainError):
    """The application does not meet the call's conditions."""


class ReviewerConflict(DomainError):
    status = 409


class NotEditable(DomainError):
    status = 409


class NotReviewed(DomainError):
    """A full proposal is decided before any review of it is finished."""

    status = 409


class AgreementNotAccepted(DomainError):
    """A payment is marked paid, or a change asked for, before the grantee accepted the grant
    agreement (or a change on a closed grant)."""

    status = 409


class ApprovedBudgetMismatch(DomainError):
    """The approved budget lines of an agreement do not add up to the award."""


class ChangeAlreadyOpen(DomainError):
    """A grant has at most one change request waiting for the programme's decision."""

    status = 409


class ReallocationUnbalanced(DomainError):
    """The new approved amounts do not add up to the award."""


class BelowReportedSpending(DomainError):
    """A budget line would be approved for less than the reports say was spent on it."""


__all__ = [
    "AgreementNotAccepted",
    "ApprovedBudgetMismatch",
    "BelowReportedSpending",
    "ChangeAlreadyOpen",
    "ReallocationUnbalanced",
    "AwardOverRequest",
    "BudgetExceeded",
    "BudgetLinesMismatch",
    "CallNotOpen",
    "Ineligible",
    "NotEditable",
    "NotReviewed",
    "PartnerNotConfirmed",
    "PartnershipRequired",
    "PaymentOverAward",
    "RequestOutOfRange",
    "ReviewerConflict",
    "WrongCurrency",
]
