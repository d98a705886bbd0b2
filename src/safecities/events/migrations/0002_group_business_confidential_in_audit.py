"""The audit trail's records of closed groups' business written before it was kept
confidential: marked confidential, and the members' names taken out of their changes and
labels (who is in a group is for its members alone; see docs/events.md)."""

from django.db import migrations

GROUP_ACTIONS = [
    "events.group.create",
    "events.group.update",
    "events.group.add_member",
    "events.group.remove_member",
    "events.group_meeting.create",
    "events.note.write",
    "events.note.edit",
    "events.note.delete",
]
REGISTRATION_ACTIONS = [
    "events.registration.create",
    "events.registration.promote",
    "events.registration.cancel",
]
NAMES = ("member", "author", "user")


def _without_names(changes: dict) -> dict:
    clean = {k: v for k, v in changes.items() if k not in NAMES}
    if isinstance(clean.get("members"), list) and isinstance(clean["members"][-1], list):
        clean["members"] = [None, len(clean["members"][-1])]
    return clean


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    Event = apps.get_model("events", "Event")
    Registration = apps.get_model("events", "Registration")
    for event in AuditEvent.objects.filter(action__in=GROUP_ACTIONS).iterator():
        event.confidential = True
        event.changes = _without_names(event.changes or {})
        event.save(update_fields=["confidential", "changes"])
    group_events = {
        str(e.pk): (e.title or {}).get("en") or next(iter((e.title or {}).values()), "")
        for e in Event.objects.filter(audience="group")
    }
    registrations = {
        str(r.pk): group_events[str(r.event_id)]
        for r in Registration.objects.filter(event__audience="group")
    }
    for event in AuditEvent.objects.filter(
        action__in=REGISTRATION_ACTIONS, target_id__in=list(registrations)
    ).iterator():
        event.confidential = True
        event.target_label = registrations[event.target_id][:300]
        event.changes = _without_names(event.changes or {})
        event.save(update_fields=["confidential", "target_label", "changes"])
    AuditEvent.objects.filter(
        action="events.attendance.mark", target_id__in=list(group_events)
    ).update(confidential=True)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("core", "0005_auditevent_confidential"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
