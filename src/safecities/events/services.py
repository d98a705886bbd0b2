"""Every write to events: one function per business action, atomic and audited.

Each service checks the actor's permission, then every input, and only then writes: a refusal
raises a `DomainError` naming the field at fault and leaves the data as it was. Mail goes after
commit (`notifications`), with ids.

An event is drafted (`create_event`, `update_event`), published (`publish_event`), cancelled
(`cancel_event`) or, once over, closed with its report (`close_event`). People sign up
(`register`): a place while there is one, else the waiting list; a cancellation
(`cancel_registration`) or a larger capacity gives the freed places to the waiting list in
order, and tells each person promoted. Both lock the event row (`select_for_update`; on SQLite
the settings open every transaction IMMEDIATE), so the capacity holds when many sign up at once.

The small groups' services (`create_group` … `erase_expired_notes`) record note actions in the
audit trail without the note's text: the target's label is the group's name.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.permissions import ensure
from safecities.practices.models import Practice

from . import computed, inputs, selectors
from .errors import AlreadyRegistered, RegistrationClosed, WrongStatus
from .inputs import SCALAR_FIELDS
from .models import (
    Event,
    FeedToken,
    Group,
    GroupMeeting,
    GroupMembership,
    GroupNote,
    Registration,
)

AUDIT_FIELDS = [*SCALAR_FIELDS, "status"]
GROUP_FIELDS = ["name", "description", "notes_retention_days"]


def _m2m_snapshot(event: Event, names: Iterable[str]) -> dict:
    return {name: sorted(str(v) for v in getattr(event, name).all()) for name in names}


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- events ------------------------------------------------------------------------------------


@transaction.atomic
def create_event(*, actor, **data) -> Event:
    """A draft event run by `actor`. `data`: the fields of `SCALAR_FIELDS` and `M2M_FIELDS`
    (records for the many-to-many ones); type, title (English at least), start and end are
    required."""
    ensure(actor, "events.create", field="title")
    scalars, m2m = inputs.clean_event(actor, data)
    event = Event(created_by=_user(actor), **scalars)
    event.save()
    for name, values in m2m.items():
        getattr(event, name).set(values)
    changes = audit.created(event, AUDIT_FIELDS)
    changes.update({k: [None, v] for k, v in _m2m_snapshot(event, m2m).items()})
    audit.record(actor=actor, action="events.event.create", target=event, changes=changes)
    return event


@transaction.atomic
def update_event(*, actor, event: Event, **data) -> Event:
    """Change a draft or published event; fields left out keep their values. The capacity
    cannot fall below the people already registered; a larger one takes people off the waiting
    list, in order."""
    ensure(actor, "events.manage", event, field="title")
    event = _locked(event)
    if event.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
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
    before = audit.snapshot(event, AUDIT_FIELDS) | _m2m_snapshot(event, m2m)
    for name, value in scalars.items():
        setattr(event, name, value)
    event.save()
    for name, values in m2m.items():
        getattr(event, name).set(values)
    after = audit.snapshot(event, AUDIT_FIELDS) | _m2m_snapshot(event, m2m)
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(actor=actor, action="events.event.update", target=event, changes=changes)
    _fill_places(event, actor=actor)
    return event


@transaction.atomic
def publish_event(*, actor, event: Event) -> Event:
    """A draft is published: listed for its audience, open for registration in its window."""
    ensure(actor, "events.manage", event, field="status")
    event = _locked(event)
    if event.status != Event.Status.DRAFT:
        raise WrongStatus(_("Only a draft can be published."))
    if event.ends_at <= timezone.now():
        raise WrongStatus(_("The event is over: it cannot be published."), field="ends_at")
    event.status = Event.Status.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="events.event.publish",
        target=event,
        changes={"status": ["draft", "published"]},
    )
    return event


@transaction.atomic
def cancel_event(*, actor, event: Event, reason: str = "") -> Event:
    """A draft or published event is called off; everyone registered or waiting is told."""
    ensure(actor, "events.manage", event, field="status")
    event = _locked(event)
    reason = inputs.text(reason, "reason", limit=2000)
    if event.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise WrongStatus(_("Only a draft or published event can be cancelled."))
    before = event.status
    event.status = Event.Status.CANCELLED
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


# --- registration ------------------------------------------------------------------------------


@transaction.atomic
def register(*, actor, event: Event, user=None, needs: str = "") -> Registration:
    """Sign `user` (the actor if not given; an organiser may sign up someone else) up for the
    event: a place while there is one, else the waiting list. Refused outside the registration
    window and for someone signed up already."""
    user = user or actor
    if user != actor:
        ensure(actor, "events.manage", event, field="user")
    ensure(user, "events.register", event, field="event")
    event = _locked(event)
    needs = inputs.text(needs, "needs", limit=1000)
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationClosed(_("This event does not take registrations."))
    opens, closes = selectors.registration_window(event)
    now = timezone.now()
    if opens is None or now < opens:
        raise RegistrationClosed(_("Registration has not opened yet."))
    if now >= closes:
        raise RegistrationClosed(_("Registration has closed."))
    if event.registrations.filter(user=user, status__in=Registration.ACTIVE).exists():
        raise AlreadyRegistered(_("%(name)s is signed up for this event already.") % {"name": user})
    full = event.capacity is not None and selectors.registered_count(event) >= event.capacity
    last = event.registrations.aggregate(last=Max("position"))["last"] or 0
    registration = Registration.objects.create(
        event=event,
        user=user,
        status=Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
        needs=needs,
        position=last + 1,
    )
    changes = {"status": [None, registration.status], "user": [None, str(user)]}
    if _of_group(event):
        del changes["user"]
    _registration_audit(actor, "events.registration.create", registration, changes)
    outbox.owe("events.registration_received", registration.pk)
    return registration


def _fill_places(event: Event, *, actor) -> list[Registration]:
    """Give free places to the waiting list in order, before the event starts; each person
    promoted is told after commit. The caller holds the event's lock."""
    if event.status != Event.Status.PUBLISHED or event.starts_at <= timezone.now():
        return []
    waiting = list(selectors.waiting_list(event))
    if event.capacity is not None:
        waiting = waiting[: max(0, event.capacity - selectors.registered_count(event))]
    for registration in waiting:
        registration.status = Registration.Status.REGISTERED
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
def cancel_registration(*, actor, registration: Registration) -> Registration:
    """The person (or an organiser) cancels; a freed place goes to the first on the waiting
    list, who is told by mail."""
    event = registration.event
    if registration.user_id != getattr(actor, "pk", None):
        ensure(actor, "events.manage", event, field="registration")
    event = _locked(event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in Registration.ACTIVE:
        raise WrongStatus(_("This registration is cancelled already."), field="registration")
    if event.status in (Event.Status.CLOSED, Event.Status.CANCELLED):
        raise WrongStatus(_("The event is closed or cancelled."), field="registration")
    _cancel(registration, actor=actor)
    _fill_places(event, actor=actor)
    return registration


def _cancel(registration: Registration, *, actor) -> None:
    """Cancel an active registration, audited. The caller holds the event's lock and fills
    the freed place."""
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    _registration_audit(
        actor, "events.registration.cancel", registration, {"status": [before, "cancelled"]}
    )


def _of_group(event: Event) -> bool:
    """A group's meeting: who signs up for it is the group's business (`_registration_audit`)."""
    return event.audience == Event.Audience.GROUP


def _registration_audit(actor, action: str, registration: Registration, changes: dict) -> None:
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
def mark_attendance(*, actor, event: Event, attendance: Mapping[Registration, bool]) -> int:
    """The organiser marks who came, once the event has started and until it is closed:
    {registration: attended}. Returns the number who attended."""
    ensure(actor, "events.see_registrations", event, field="attendance")
    event = _locked(event)
    if event.status != Event.Status.PUBLISHED:
        raise WrongStatus(_("Attendance is marked for a published event, until it is closed."))
    if event.starts_at > timezone.now():
        raise InvalidInput(_("The event has not started yet."), field="attendance")
    if not isinstance(attendance, Mapping) or any(
        not isinstance(r, Registration) or not isinstance(v, bool) for r, v in attendance.items()
    ):
        raise InvalidInput(_("Mark each registration as attended or not."), field="attendance")
    rows = {
        r.pk: r
        for r in event.registrations.filter(
            pk__in=[r.pk for r in attendance], status=Registration.Status.REGISTERED
        )
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


@transaction.atomic
def close_event(
    *, actor, event: Event, report: str, follow_ups: str = "", practices: Iterable = ()
) -> Event:
    """Close an event that is over: its report, follow-ups and the practices presented, with
    the number who attended and the cities and organisations they came from (their profiles'
    workplaces and their roles)."""
    ensure(actor, "events.manage", event, field="report")
    event = _locked(event)
    report = inputs.text(report, "report", required=True)
    follow_ups = inputs.text(follow_ups, "follow_ups")
    practices = inputs.records(practices, Practice, "practices")
    if event.status != Event.Status.PUBLISHED:
        raise WrongStatus(_("Only a published event can be closed."))
    if event.ends_at > timezone.now():
        raise InvalidInput(_("The event is not over yet."), field="report")
    users = list(
        event.registrations.filter(attended=True).values_list("user_id", flat=True).distinct()
    )
    places = selectors.workplaces(users).values()
    cities = sorted({c for cs, _o in places for c in cs})
    organisations = sorted({o for _c, os in places for o in os})
    event.status = Event.Status.CLOSED
    event.report, event.follow_ups = report, follow_ups
    event.attendee_count = len(users)
    event.closed_at = timezone.now()
    event.save()
    event.practices_presented.set(practices)
    event.attending_municipalities.set(cities)
    event.attending_organisations.set(organisations)
    names = ["practices_presented", "attending_municipalities", "attending_organisations"]
    changes = {
        "status": ["published", "closed"],
        "report": [None, report],
        "follow_ups": [None, follow_ups],
        "attendee_count": [None, len(users)],
    }
    changes.update({k: [None, v] for k, v in _m2m_snapshot(event, names).items()})
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


# --- calendar feed tokens ----------------------------------------------------------------------


@transaction.atomic
def create_feed_token(*, actor) -> tuple[FeedToken, str]:
    """A secret address for the actor's private feed. Returns (token, raw): the raw token is
    shown once, only its hash is kept."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in to have a private calendar."), field="token")
    raw = FeedToken.generate()
    token = FeedToken.objects.create(user=actor, prefix=raw[:10], digest=FeedToken.digest_of(raw))
    audit.record(
        actor=actor,
        action="events.feed_token.create",
        target=token,
        changes={"prefix": [None, token.prefix]},
    )
    return token, raw


@transaction.atomic
def revoke_feed_token(*, actor, token: FeedToken) -> FeedToken:
    if token.user_id != getattr(actor, "pk", None):
        raise NotAllowed(_("This is not your calendar address."), field="token")
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise InvalidInput(_("This calendar address is revoked already."), field="token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="events.feed_token.revoke",
        target=token,
        changes={"revoked_at": [None, token.revoked_at]},
    )
    return token


# --- small groups ------------------------------------------------------------------------------


def _group_values(data: Mapping, *, existing: Group | None = None) -> dict:
    unknown = set(data) - set(GROUP_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    values = {}
    if existing is None or "name" in data:
        values["name"] = inputs.text(data.get("name"), "name", required=True, limit=200)
    if existing is None or "description" in data:
        values["description"] = inputs.text(data.get("description"), "description", limit=5000)
    if existing is None or "notes_retention_days" in data:
        days = data.get("notes_retention_days")
        values["notes_retention_days"] = inputs.whole(
            365 if days in (None, "") else days, "notes_retention_days", low=1, high=3650
        )
    return values


@transaction.atomic
def create_group(*, actor, members: Iterable = (), **data) -> Group:
    """A closed group owned by `actor`, with the members invited."""
    ensure(actor, "events.create_group", field="name")
    values = _group_values(data)
    members = [m for m in inputs.records(members, get_user_model(), "members") if m != actor]
    group = Group.objects.create(created_by=_user(actor), **values)
    GroupMembership.objects.create(group=group, user=actor, role=GroupMembership.Role.OWNER)
    for user in members:
        GroupMembership.objects.create(group=group, user=user)
    changes = audit.created(group, GROUP_FIELDS)
    changes["members"] = [None, len(members) + 1]  # how many, never who
    audit.record(
        actor=actor, action="events.group.create", target=group, changes=changes, confidential=True
    )
    return group


@transaction.atomic
def update_group(*, actor, group: Group, **data) -> Group:
    """The owners rename the group or decide how long its notes are kept."""
    ensure(actor, "events.manage_group", group, field="name")
    group = Group.objects.select_for_update().get(pk=group.pk)
    values = _group_values(data, existing=group)
    before = audit.snapshot(group, GROUP_FIELDS)
    for name, value in values.items():
        setattr(group, name, value)
    group.save()
    changes = audit.changes_between(before, audit.snapshot(group, GROUP_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="events.group.update",
            target=group,
            changes=changes,
            confidential=True,
        )
    return group


@transaction.atomic
def add_group_member(*, actor, group: Group, user, role: str = "member") -> GroupMembership:
    ensure(actor, "events.manage_group", group, field="user")
    role = inputs.choice(role, "role", GroupMembership.Role.choices)
    if not isinstance(user, get_user_model()) or user.pk is None:
        raise InvalidInput(_("Choose a person."), field="user")
    if group.memberships.filter(user=user).exists():
        raise InvalidInput(_("%(name)s is in the group already.") % {"name": user}, field="user")
    membership = GroupMembership.objects.create(group=group, user=user, role=role)
    audit.record(
        actor=actor,
        action="events.group.add_member",
        target=group,
        changes={"role": [None, role]},
        confidential=True,
    )
    return membership


@transaction.atomic
def remove_group_member(*, actor, group: Group, user) -> None:
    """An owner takes someone out, or a member leaves; the last owner cannot."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    membership = group.memberships.filter(user=user).first()
    if membership is None:
        ensure(actor, "events.manage_group", group, field="user")
        raise InvalidInput(_("%(name)s is not in the group.") % {"name": user}, field="user")
    ensure(actor, "events.remove_member", membership, field="user")
    owners = group.memberships.filter(role=GroupMembership.Role.OWNER)
    if membership.role == GroupMembership.Role.OWNER and owners.count() == 1:
        raise InvalidInput(
            _("The group's last owner cannot leave: make someone else an owner first."),
            field="user",
        )
    membership.delete()
    audit.record(
        actor=actor,
        action="events.group.remove_member",
        target=group,
        changes={"role": [membership.role, None]},
        confidential=True,
    )
    _leave_group_events(group, user, actor=actor)


def _leave_group_events(group: Group, user, *, actor) -> None:
    """Who leaves a group leaves its coming meetings too: their place goes (and the online link
    with it), and the next on the waiting list gets it."""
    coming = Event.objects.select_for_update().filter(
        invited_group=group, ends_at__gt=timezone.now()
    )
    for event in coming.order_by("pk"):
        active = list(event.registrations.filter(user=user, status__in=Registration.ACTIVE))
        for registration in active:
            _cancel(registration, actor=actor)
        if active:
            _fill_places(event, actor=actor)


@transaction.atomic
def schedule_group_meeting(
    *, actor, group: Group, date: dt.date, event: Event | None = None
) -> GroupMeeting:
    """One meeting in the group's series, on a day, at an event or not."""
    ensure(actor, "events.manage_group", group, field="date")
    if not isinstance(date, dt.date) or isinstance(date, datetime):
        raise InvalidInput(_("Give a date."), field="date")
    inputs.record(event, Event, "event")
    meeting = GroupMeeting.objects.create(group=group, date=date, event=event)
    audit.record(
        actor=actor,
        action="events.group_meeting.create",
        target=meeting,
        changes=audit.created(meeting, ["date", "event"]),
        confidential=True,
    )
    return meeting


def _note_audit(actor, action: str, note: GroupNote, changes: dict) -> None:
    """Note actions in the audit trail: when, never the text (the label is the group's name, see
    `GroupNote.__str__`), nor who (the trail shows no one in a closed group's business)."""
    assert "text" not in changes
    audit.record(actor=actor, action=action, target=note, changes=changes, confidential=True)


@transaction.atomic
def write_note(*, actor, group: Group, text: str, meeting: GroupMeeting | None = None) -> GroupNote:
    """A member writes a note, read by the group's members alone."""
    ensure(actor, "events.write_note", group, field="text")
    text = inputs.text(text, "text", required=True)
    inputs.record(meeting, GroupMeeting, "meeting")
    if meeting is not None and meeting.group_id != group.pk:
        raise InvalidInput(_("Choose one of the group's meetings."), field="meeting")
    note = GroupNote.objects.create(group=group, meeting=meeting, author=actor, text=text)
    _note_audit(actor, "events.note.write", note, {"note": [None, note.pk]})
    return note


@transaction.atomic
def edit_note(*, actor, note: GroupNote, text: str) -> GroupNote:
    ensure(actor, "events.edit_note", note, field="text")
    text = inputs.text(text, "text", required=True)
    note = GroupNote.objects.select_for_update().get(pk=note.pk)
    before = note.edited_at
    note.text = text
    note.edited_at = timezone.now()
    note.save(update_fields=["text", "edited_at"])
    _note_audit(actor, "events.note.edit", note, {"edited_at": [before, note.edited_at]})
    return note


@transaction.atomic
def delete_note(*, actor, note: GroupNote) -> None:
    ensure(actor, "events.delete_note", note, field="text")
    _note_audit(actor, "events.note.delete", note, {"note": [note.pk, None]})
    note.delete()


@transaction.atomic
def erase_expired_notes(*, now: datetime | None = None) -> int:
    """Delete the notes older than their group's `notes_retention_days`. Returns how many."""
    now = now or timezone.now()
    erased = 0
    for group in Group.objects.filter(notes__isnull=False).distinct():
        expired = group.notes.filter(
            created_at__lt=now - timedelta(days=group.notes_retention_days)
        )
        before = group.notes.count()
        count, _rows = expired.delete()
        if count:
            audit.record(
                actor=None,
                action="events.notes.erase",
                target=group,
                changes={"notes": [before, before - count]},
            )
            erased += count
    return erased
