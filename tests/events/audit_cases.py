"""Audit cases for the events' services, merged into the table of tests/core/test_audit.py.

Each case works on an event or group of its own, made through the real services:
(prepare(demo) -> object or None, act(demo, prepared), expected audit action, names of the fields
the action changes). Note actions name no text field: the trail never holds a note's words.
"""

from datetime import date, timedelta

from django.utils import timezone

from safecities.events import services
from safecities.events.models import Event, GroupNote
from tests.core.factories import UserFactory
from tests.events.conftest import draft_event, move_to_past, published_event

EVENTS_SERVICES_MODULE = services
EVENTS_READS: set[str] = set()


def _secretariat(demo):
    return demo.users["secretariat"]


def _member(demo):
    return demo.users["member"]


def _draft(demo) -> Event:
    return draft_event(_secretariat(demo))


def _published(demo) -> Event:
    return published_event(_secretariat(demo), capacity=1)


def _registered(demo):
    return services.register(actor=_member(demo), event=_published(demo))


def _full_with_waiting_list(demo):
    """(the member's registration, the one waiting after them)."""
    registration = _registered(demo)
    services.register(actor=UserFactory(), event=registration.event)
    return registration


def _held(demo):
    registration = _registered(demo)
    move_to_past(registration.event)
    return registration


def _attended(demo) -> Event:
    registration = _held(demo)
    services.mark_attendance(
        actor=_secretariat(demo), event=registration.event, attendance={registration: True}
    )
    return registration.event


def _needs_expired(demo) -> Event:
    event = published_event(_secretariat(demo))
    services.register(actor=_member(demo), event=event, needs="Vegetarian.")
    return move_to_past(event, days_ago=40)


def _token(demo):
    return services.create_feed_token(actor=_member(demo))[0]


def _group(demo):
    return services.create_group(
        actor=demo.users["organisation_contact"],
        members=[_member(demo)],
        data={"name": "Youth workers"},
    )


def _note(demo) -> GroupNote:
    return services.write_note(actor=_member(demo), group=_group(demo), text="Hard things.")


def _old_note(demo) -> GroupNote:
    note = _note(demo)
    GroupNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=400))
    return note


def _contact(demo):
    return demo.users["organisation_contact"]


EVENTS_CASES = {
    "safecities.events.services.create_event": (
        None,
        lambda d, _: _draft(d),
        "events.event.create",
        {"type", "title", "starts_at", "ends_at", "time_zone", "goals"},
    ),
    "safecities.events.services.update_event": (
        _draft,
        lambda d, e: services.update_event(
            actor=_secretariat(d), event=e, data={"venue": "Kulturhuset", "capacity": 40}
        ),
        "events.event.update",
        {"venue", "capacity"},
    ),
    "safecities.events.services.publish_event": (
        _draft,
        lambda d, e: services.publish_event(actor=_secretariat(d), event=e),
        "events.event.publish",
        {"status"},
    ),
    "safecities.events.services.cancel_event": (
        _published,
        lambda d, e: services.cancel_event(actor=_secretariat(d), event=e, reason="Snow."),
        "events.event.cancel",
        {"status", "cancellation_reason"},
    ),
    "safecities.events.services.register": (
        _published,
        lambda d, e: services.register(actor=_member(d), event=e, needs="Vegetarian."),
        "events.registration.create",
        {"status", "user"},
    ),
    "safecities.events.services.cancel_registration": (
        _full_with_waiting_list,
        lambda d, r: services.cancel_registration(actor=_member(d), registration=r),
        "events.registration.cancel",
        {"status"},
    ),
    "safecities.events.services.mark_attendance": (
        _held,
        lambda d, r: services.mark_attendance(
            actor=_secretariat(d), event=r.event, attendance={r: True}
        ),
        "events.attendance.mark",
        {"attended"},
    ),
    "safecities.events.services.close_event": (
        _attended,
        lambda d, e: services.close_event(
            actor=_secretariat(d), event=e, report="Good talks.", follow_ups="A visit."
        ),
        "events.event.close",
        {"status", "report", "follow_ups", "attendee_count"},
    ),
    "safecities.events.services.erase_expired_needs": (
        _needs_expired,
        lambda d, _: services.erase_expired_needs(),
        "events.needs.erase",
        {"needs"},
    ),
    "safecities.events.services.create_feed_token": (
        None,
        lambda d, _: services.create_feed_token(actor=_member(d)),
        "events.feed_token.create",
        {"prefix"},
    ),
    "safecities.events.services.revoke_feed_token": (
        _token,
        lambda d, t: services.revoke_feed_token(actor=_member(d), token=t),
        "events.feed_token.revoke",
        {"revoked_at"},
    ),
    "safecities.events.services.create_group": (
        None,
        lambda d, _: _group(d),
        "events.group.create",
        {"name", "notes_retention_days", "members"},
    ),
    "safecities.events.services.update_group": (
        _group,
        lambda d, g: services.update_group(
            actor=_contact(d), group=g, data={"notes_retention_days": 30}
        ),
        "events.group.update",
        {"notes_retention_days"},
    ),
    "safecities.events.services.add_group_member": (
        _group,
        lambda d, g: services.add_group_member(actor=_contact(d), group=g, user=UserFactory()),
        "events.group.add_member",
        {"role"},  # never who: the trail names no one in a closed group
    ),
    "safecities.events.services.remove_group_member": (
        _group,
        lambda d, g: services.remove_group_member(actor=_contact(d), group=g, user=_member(d)),
        "events.group.remove_member",
        {"role"},
    ),
    "safecities.events.services.schedule_group_meeting": (
        _group,
        lambda d, g: services.schedule_group_meeting(
            actor=_contact(d), group=g, date=date(2026, 3, 4)
        ),
        "events.group_meeting.create",
        {"date"},
    ),
    "safecities.events.services.write_note": (
        _group,
        lambda d, g: services.write_note(actor=_member(d), group=g, text="Hard things."),
        "events.note.write",
        {"note"},
    ),
    "safecities.events.services.edit_note": (
        _note,
        lambda d, n: services.edit_note(actor=_member(d), note=n, text="Harder things."),
        "events.note.edit",
        {"edited_at"},
    ),
    "safecities.events.services.delete_note": (
        _note,
        lambda d, n: services.delete_note(actor=_member(d), note=n),
        "events.note.delete",
        {"note"},
    ),
    "safecities.events.services.erase_expired_notes": (
        _old_note,
        lambda d, _: services.erase_expired_notes(),
        "events.notes.erase",
        {"notes"},
    ),
}
