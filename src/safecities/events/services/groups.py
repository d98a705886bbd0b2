"""The small closed groups: their members and meetings, and their notes under the Chatham House
rule (the audit trail records that a note was written, never its text nor who wrote it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.models import User
from safecities.core.permissions import ensure

from .. import inputs
from ..inputs import GroupData
from ..models import Event, Group, GroupMeeting, GroupMembership, GroupNote, Registration
from ._shared import Actor, user_or_none
from .registrations import _cancel, _fill_places

GROUP_FIELDS = ["name", "description", "notes_retention_days"]


def _group_values(data: GroupData, *, existing: Group | None = None) -> dict[str, Any]:
    unknown = set(data) - set(GROUP_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    values: dict[str, Any] = {}
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
def create_group(*, actor: Actor, data: GroupData, members: Iterable[User] = ()) -> Group:
    """A closed group owned by `actor`, with the members invited."""
    ensure(actor, "events.create_group", field="name")
    assert isinstance(actor, User)  # `ensure` refused anyone not signed in
    values = _group_values(data)
    invited = [m for m in inputs.records(members, User, "members") if m != actor]
    group = Group.objects.create(created_by=user_or_none(actor), **values)
    GroupMembership.objects.create(group=group, user=actor, role=GroupMembership.Role.OWNER)
    for user in invited:
        GroupMembership.objects.create(group=group, user=user)
    changes = audit.created(group, GROUP_FIELDS)
    changes["members"] = [None, len(invited) + 1]  # how many, never who
    audit.record(
        actor=actor, action="events.group.create", target=group, changes=changes, confidential=True
    )
    return group


@transaction.atomic
def update_group(*, actor: Actor, group: Group, data: GroupData) -> Group:
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
def add_group_member(
    *, actor: Actor, group: Group, user: User, role: str = "member"
) -> GroupMembership:
    ensure(actor, "events.manage_group", group, field="user")
    role = inputs.choice(role, "role", GroupMembership.Role.choices)
    if not isinstance(user, User) or user.pk is None:
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
def remove_group_member(*, actor: Actor, group: Group, user: User) -> None:
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


def _leave_group_events(group: Group, user: User, *, actor: Actor) -> None:
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
    *, actor: Actor, group: Group, date: dt.date, event: Event | None = None
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


def _note_audit(actor: Actor, action: str, note: GroupNote, changes: dict[str, Any]) -> None:
    """Note actions in the audit trail: when, never the text (the label is the group's name, see
    `GroupNote.__str__`), nor who (the trail shows no one in a closed group's business)."""
    assert "text" not in changes
    audit.record(actor=actor, action=action, target=note, changes=changes, confidential=True)


@transaction.atomic
def write_note(
    *, actor: Actor, group: Group, text: str, meeting: GroupMeeting | None = None
) -> GroupNote:
    """A member writes a note, read by the group's members alone."""
    ensure(actor, "events.write_note", group, field="text")
    assert isinstance(actor, User)  # `ensure` refused anyone not signed in
    text = inputs.text(text, "text", required=True)
    inputs.record(meeting, GroupMeeting, "meeting")
    if meeting is not None and meeting.group_id != group.pk:
        raise InvalidInput(_("Choose one of the group's meetings."), field="meeting")
    note = GroupNote.objects.create(group=group, meeting=meeting, author=actor, text=text)
    _note_audit(actor, "events.note.write", note, {"note": [None, note.pk]})
    return note


@transaction.atomic
def edit_note(*, actor: Actor, note: GroupNote, text: str) -> GroupNote:
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
def delete_note(*, actor: Actor, note: GroupNote) -> None:
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
