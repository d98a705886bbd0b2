"""The event and registration workflows, each state and the moves allowed from it in one
table, and the predicates every caller asks: the services before they write, the pages before
they offer a button, the templates and the API.

- An event is drafted, published, then either cancelled or, once over, closed. A draft may be
  cancelled too. While a draft or published it can still be changed.
- A registration holds a place or waits; a waiting one gets a place when one frees up; both can
  be cancelled while the event is neither cancelled nor closed.
"""

from __future__ import annotations

from datetime import datetime

from safecities.core.states import InvalidTransition, Workflow

from .models import Event, Registration

E = Event.Status
R = Registration.Status

EVENT = Workflow(
    Event,
    {
        E.DRAFT: {E.PUBLISHED, E.CANCELLED},
        E.PUBLISHED: {E.CANCELLED, E.CLOSED},
        E.CANCELLED: set(),
        E.CLOSED: set(),
    },
    tones={E.DRAFT: "warning", E.PUBLISHED: "success", E.CANCELLED: "danger", E.CLOSED: "info"},
)

REGISTRATION = Workflow(
    Registration,
    {
        R.REGISTERED: {R.CANCELLED},
        R.WAITLISTED: {R.REGISTERED, R.CANCELLED},
        R.CANCELLED: set(),
    },
    tones={R.REGISTERED: "success", R.WAITLISTED: "warning"},
)


# --- events ------------------------------------------------------------------------------------


def changeable(event: Event) -> bool:
    """A draft or published event can still be edited or cancelled; a cancelled or closed one
    is a record."""
    return EVENT.may_move(event, E.CANCELLED)


def publishable(event: Event, *, at: datetime) -> bool:
    """A draft that is not over yet."""
    return EVENT.may_move(event, E.PUBLISHED) and event.ends_at > at


def closable(event: Event, *, at: datetime) -> bool:
    """A published event that is over."""
    return EVENT.may_move(event, E.CLOSED) and event.ends_at <= at


def attendance_markable(event: Event, *, at: datetime) -> bool:
    """Who came is marked for a published event once it has started, until it is closed."""
    return event.status == E.PUBLISHED and event.starts_at <= at


def takes_registrations(event: Event) -> bool:
    """Only a published event takes registrations (within its window) and fills freed places."""
    return event.status == E.PUBLISHED


def registration_window(event: Event) -> tuple[datetime | None, datetime]:
    """(opens, closes): from the set times, else from publication until the start."""
    opens = event.registration_opens_at or event.published_at
    return opens, event.registration_closes_at or event.starts_at


def registration_open(event: Event, *, at: datetime) -> bool:
    """Published, and `at` within its registration window."""
    opens, closes = registration_window(event)
    return takes_registrations(event) and opens is not None and opens <= at < closes


# --- registrations -----------------------------------------------------------------------------


def has_place(registration: Registration) -> bool:
    return registration.status == R.REGISTERED


def cancellable(registration: Registration) -> bool:
    """An active registration to an event neither cancelled nor closed."""
    return REGISTRATION.may_move(registration, R.CANCELLED) and changeable(registration.event)


__all__ = [
    "EVENT",
    "REGISTRATION",
    "InvalidTransition",
    "attendance_markable",
    "cancellable",
    "changeable",
    "closable",
    "has_place",
    "publishable",
    "registration_open",
    "registration_window",
    "takes_registrations",
]
