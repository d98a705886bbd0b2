"""Domain errors. One class per rule; views and the API map them to messages in one place."""


class DomainError(Exception):
    """A business rule refused an action. `field` names the input at fault, if any."""

    field: str | None = None
    status: int = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        if field is not None:
            self.field = field

    def as_dict(self) -> dict:
        return {"message": self.message, "field": self.field}


class InvalidInput(DomainError):
    """A value is missing or malformed; `field` names it."""


class NotAllowed(DomainError):
    """The actor may not do this to this object."""

    status = 403
