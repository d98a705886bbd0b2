"""An event's life: drafted, changed, published, cancelled or, once over, closed with its
report; the participants' needs erased after the event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure
from safecities.core.states import move_recorded
from safecities.practices.models import Practice

from .. import computed, inputs, selectors, states
from ..errors import WrongStatus
from ..inputs import EventData
from ..models import Event, Registration
from ._shared import AUDIT_FIELDS, Actor, locked, user_or_none
from .registrations import _fill_places


@transaction.atomic
def create_event(*, actor: Actor, data: EventData) -> Event:
    """A draft event run by `actor`. `data`: the fields of `SCALAR_FIELDS` and `M2M_FIELDS`
    (records for the many-to-many ones); type, title (English at least), start and end are
    required."""
    ensure(actor, "events.create", field="title")
    scalars, m2m = inputs.clean_event(actor, data)
    event = Event(created_by=user_or_none(actor), **scalars)
    event.save()
    for name, values in m2m.items():
        getattr(event, name).set(values)
    changes = audit.created(event, AUDIT_FIELDS)
    changes.update({k: [None, v] for k, v in audit.related_snapshot(event, m2m).items()})
    audit.record(actor=actor, action="events.event.create", target=event, changes=changes)
    return event


@transaction.atomic
def update_event(*, actor: Actor, event: Event, data: EventData) -> Event:
    """Change a draft or published event; fields left out keep their values. The capacity
    cannot fall below the people already registered; a larger one takes people off the waiting
    list, in order."""
    ensure(actor, "events.manage", event, field="title")
    event = locked(event)
    if not states.changeable(event):
        raise WrongStatus(_("A cancelled or closed event cannot be changed."))
    scalars, m2m = inputs.clean_event(actor, data, existing=event)
    capacity = scalars.get("capacity", event.capacity)
    registered = selectors.registered_count(event)
    if capacity is not None and capacity < registered:
        raise InvalidInput(
            _("%(count)d people are registered already: the capacity cannot be lower.")
            % {"count": registered},
            field="capacity",
        )
    before = audit.snapshot(event, AUDIT_FIELDS) | audit.related_snapshot(event, m2m)
    for name, value in scalars.items():
        setattr(event, name, value)
    event.save()
    for name, values in m2m.items():
        getattr(event, name).set(values)
    after = audit.snapshot(event, AUDIT_FIELDS) | audit.related_snapshot(event, m2m)
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(actor=actor, action="events.event.update", target=event, changes=changes)
    _fill_places(event, actor=actor)
    return event


@transaction.atomic
def publish_event(*, actor: Actor, event: Event) -> Event:
    """A draft is published: listed for its audience, open for registration in its window."""
    ensure(actor, "events.manage", event, field="status")
    event = locked(event)
    now = timezone.now()
    if not states.EVENT.may_move(event, Event.Status.PUBLISHED):
        raise WrongStatus(_("Only a draft can be published."))
    if not states.publishable(event, at=now):
        raise WrongStatus(_("The event is over: it cannot be published."), field="ends_at")
    event.published_at = now
    return move_recorded(
        event,
        workflow=states.EVENT,
        to=Event.Status.PUBLISHED,
        actor=actor,
        action="events.event.publish",
        also_save=["published_at", "updated_at"],
    )


@transaction.atomic
def cancel_event(*, actor: Actor, event: Event, reason: str = "") -> Event:
    """A draft or published event is called off; everyone registered or waiting is told."""
    ensure(actor, "events.manage", event, field="status")
    event = locked(event)
    reason = inputs.text(reason, "reason", limit=2000)
    if not states.changeable(event):
        raise WrongStatus(_("Only a draft or published event can be cancelled."))
    before = event.status
    states.EVENT.move(event, Event.Status.CANCELLED)
    event.cancellation_reason = reason
    event.save(update_fields=["status", "cancellation_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="events.event.cancel",
        target=event,
        changes={"status": [before, "cancelled"], "cancellation_reason": [None, reason]},
    )
    if event.registrations.filter(attended=True).exists():
        computed.refresh_for(event, actor=actor)  # its attendance no longer counts
    for pk in event.registrations.filter(status__in=Registration.ACTIVE).values_list(
        "pk", flat=True
    ):
        outbox.owe("events.event_cancelled", event.pk, pk)  # one mail each, retried alone
    return event


@transaction.atomic
def close_event(
    *,
    actor: Actor,
    event: Event,
    report: str,
    follow_ups: str = "",
    practices: Iterable[Practice] = (),
) -> Event:
    """Close an event that is over: its report, follow-ups and the practices presented, with
    the number who attended and the cities and organisations they came from (their profiles'
    workplaces and their roles)."""
    ensure(actor, "events.manage", event, field="report")
    event = locked(event)
    report = inputs.text(report, "report", required=True)
    follow_ups = inputs.text(follow_ups, "follow_ups")
    presented = inputs.records(practices, Practice, "practices")
    now = timezone.now()
    if not states.EVENT.may_move(event, Event.Status.CLOSED):
        raise WrongStatus(_("Only a published event can be closed."))
    if not states.closable(event, at=now):
        raise InvalidInput(_("The event is not over yet."), field="report")
    users = list(
        event.registrations.filter(attended=True).values_list("user_id", flat=True).distinct()
    )
    places = selectors.workplaces(users).values()
    cities = sorted({c for cs, _o in places for c in cs})
    organisations = sorted({o for _c, os in places for o in os})
    states.EVENT.move(event, Event.Status.CLOSED)
    event.report, event.follow_ups = report, follow_ups
    event.attendee_count = len(users)
    event.closed_at = now
    event.save()
    event.practices_presented.set(presented)
    event.attending_municipalities.set(cities)
    event.attending_organisations.set(organisations)
    names = ["practices_presented", "attending_municipalities", "attending_organisations"]
    changes = {
        "status": ["published", "closed"],
        "report": [None, report],
        "follow_ups": [None, follow_ups],
        "attendee_count": [None, len(users)],
    }
    changes.update({k: [None, v] for k, v in audit.related_snapshot(event, names).items()})
    audit.record(actor=actor, action="events.event.close", target=event, changes=changes)
    computed.refresh_for(event, actor=actor)
    return event


@transaction.atomic
def erase_expired_needs(*, now: datetime | None = None) -> int:
    """Blank the needs (diet, access) of registrations to events that ended more than their
    `needs_retention_days` ago. Run daily (`safecities erase_needs`). Returns how many."""
    now = now or timezone.now()
    events = Event.objects.filter(ends_at__lt=now, registrations__needs__gt="").distinct()
    erased = 0
    for event in events:
        if event.ends_at + timedelta(days=event.needs_retention_days) > now:
            continue
        count = event.registrations.exclude(needs="").update(needs="", needs_erased_at=now)
        audit.record(
            actor=None, action="events.needs.erase", target=event, changes={"needs": [count, 0]}
        )
        erased += count
    return erased
