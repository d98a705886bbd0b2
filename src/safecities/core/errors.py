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


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: a lock waited past `lock_timeout`


def is_database_locked(exc: BaseException | None) -> bool:
    """Whether a database error says another writer held the lock it needed past the wait
    allowed (SQLite's busy timeout; PostgreSQL's lock_timeout, when one is set): the request or
    task may simply be tried again."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return (
        "database is locked" in text
        or "database table is locked" in text
        or sqlstate == LOCK_NOT_AVAILABLE
    )
