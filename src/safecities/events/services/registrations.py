"""Signing up for an event: a place while there is one, else the waiting list; cancelling,
which gives the freed place to the waiting list in order; and marking who came."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.models import User
from safecities.core.permissions import ensure

from .. import computed, inputs, selectors, states
from ..errors import AlreadyRegistered, RegistrationClosed, WrongStatus
from ..models import Event, Registration
from ._shared import Actor, locked

R = Registration.Status


@transaction.atomic
def register(
    *, actor: Actor, event: Event, user: User | None = None, needs: str = ""
) -> Registration:
    """Sign `user` (the actor if not given; an organiser may sign up someone else) up for the
    event: a place while there is one, else the waiting list. Refused outside the registration
    window and for someone signed up already."""
    person = user or actor
    if person != actor:
        ensure(actor, "events.manage", event, field="user")
    ensure(person, "events.register", event, field="event")
    assert isinstance(person, User)  # `ensure` refused anyone not signed in
    event = locked(event)
    needs = inputs.text(needs, "needs", limit=1000)
    if not states.takes_registrations(event):
        raise RegistrationClosed(_("This event does not take registrations."))
    opens, closes = states.registration_window(event)
    now = timezone.now()
    if not states.registration_open(event, at=now):
        if opens is None or now < opens:
            raise RegistrationClosed(_("Registration has not opened yet."))
        raise RegistrationClosed(_("Registration has closed."))
    if event.registrations.filter(user=person, status__in=Registration.ACTIVE).exists():
        raise AlreadyRegistered(
            _("%(name)s is signed up for this event already.") % {"name": person}
        )
    full = event.capacity is not None and selectors.registered_count(event) >= event.capacity
    last = event.registrations.aggregate(last=Max("position"))["last"] or 0
    registration = Registration.objects.create(
        event=event,
        user=person,
        status=R.WAITLISTED if full else R.REGISTERED,
        needs=needs,
        position=last + 1,
    )
    changes: dict[str, list[Any]] = {
        "status": [None, registration.status],
        "user": [None, str(person)],
    }
    if _of_group(event):
        del changes["user"]
    _registration_audit(actor, "events.registration.create", registration, changes)
    outbox.owe("events.registration_received", registration.pk)
    return registration


def _fill_places(event: Event, *, actor: Actor | None) -> list[Registration]:
    """Give free places to the waiting list in order, before the event starts; each person
    promoted is told after commit. The caller holds the event's lock."""
    if not states.takes_registrations(event) or event.starts_at <= timezone.now():
        return []
    waiting = list(selectors.waiting_list(event))
    if event.capacity is not None:
        waiting = waiting[: max(0, event.capacity - selectors.registered_count(event))]
    for registration in waiting:
        states.REGISTRATION.move(registration, R.REGISTERED)
        registration.save(update_fields=["status", "updated_at"])
        _registration_audit(
            actor,
            "events.registration.promote",
            registration,
            {"status": ["waitlisted", "registered"]},
        )
        outbox.owe("events.place_freed", registration.pk)
    return waiting


@transaction.atomic
def cancel_registration(*, actor: Actor, registration: Registration) -> Registration:
    """The person (or an organiser) cancels; a freed place goes to the first on the waiting
    list, who is told by mail."""
    event = registration.event
    if registration.user_id != getattr(actor, "pk", None):
        ensure(actor, "events.manage", event, field="registration")
    event = locked(event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if not states.REGISTRATION.may_move(registration, R.CANCELLED):
        raise WrongStatus(_("This registration is cancelled already."), field="registration")
    if not states.cancellable(registration):
        raise WrongStatus(_("The event is closed or cancelled."), field="registration")
    _cancel(registration, actor=actor)
    _fill_places(event, actor=actor)
    return registration


def _cancel(registration: Registration, *, actor: Actor | None) -> None:
    """Cancel an active registration, audited. The caller holds the event's lock and fills
    the freed place."""
    before = registration.status
    states.REGISTRATION.move(registration, R.CANCELLED)
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    _registration_audit(
        actor, "events.registration.cancel", registration, {"status": [before, "cancelled"]}
    )


def _of_group(event: Event) -> bool:
    """A group's meeting: who signs up for it is the group's business (`_registration_audit`)."""
    return event.audience == Event.Audience.GROUP


def _registration_audit(
    actor: Actor | None, action: str, registration: Registration, changes: dict[str, Any]
) -> None:
    """A registration in the audit trail; for a group's meeting, labelled with the event alone
    and shown without who did it (who is in a group is for its members alone)."""
    if _of_group(registration.event):
        audit.record(
            actor=actor,
            action=action,
            target=registration,
            changes=changes,
            confidential=True,
            label=str(registration.event),
        )
    else:
        audit.record(actor=actor, action=action, target=registration, changes=changes)


@transaction.atomic
def mark_attendance(*, actor: Actor, event: Event, attendance: Mapping[Registration, bool]) -> int:
    """The organiser marks who came, once the event has started and until it is closed:
    {registration: attended}. Returns the number who attended."""
    ensure(actor, "events.see_registrations", event, field="attendance")
    event = locked(event)
    if not states.takes_registrations(event):
        raise WrongStatus(_("Attendance is marked for a published event, until it is closed."))
    if not states.attendance_markable(event, at=timezone.now()):
        raise InvalidInput(_("The event has not started yet."), field="attendance")
    if not isinstance(attendance, Mapping) or any(
        not isinstance(r, Registration) or not isinstance(v, bool) for r, v in attendance.items()
    ):
        raise InvalidInput(_("Mark each registration as attended or not."), field="attendance")
    rows = {
        r.pk: r
        for r in event.registrations.filter(pk__in=[r.pk for r in attendance], status=R.REGISTERED)
    }
    if len(rows) != len(attendance):
        raise InvalidInput(
            _("Only the people registered for this event can be marked."), field="attendance"
        )

    def attended() -> list[int]:
        return list(event.registrations.filter(attended=True).values_list("pk", flat=True))

    before = attended()
    for registration, value in attendance.items():
        row = rows[registration.pk]
        if row.attended != value:
            row.attended = value
            row.save(update_fields=["attended", "updated_at"])
        registration.attended = value
    after = attended()
    if before != after:
        audit.record(
            actor=actor,
            action="events.attendance.mark",
            target=event,
            confidential=_of_group(event),
            changes={"attended": [before, after]},
        )
        computed.refresh_for(event, actor=actor)
    return len(after)
