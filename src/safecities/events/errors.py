"""The rules of events that refuse an action, one class each (see `core.errors`)."""

from safecities.core.errors import DomainError, InvalidInput


class WrongStatus(DomainError):
    """The event or registration is not in a state that allows the action."""

    status = 409
    field = "status"


class RegistrationClosed(InvalidInput):
    """Signing up outside the registration window, or for an event not open to it."""

    status = 409
    field = "event"


class AlreadyRegistered(InvalidInput):
    status = 409
    field = "user"


class InvalidFeedToken(InvalidInput):
    """A calendar feed address whose token is wrong or revoked."""

    status = 404
    field = "token"
