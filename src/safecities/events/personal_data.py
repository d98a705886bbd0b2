"""The events' part of a member's personal data (see `safecities.core.personal_data`).

Registrations stay (attendance counts feed the network's figures) with their needs erased; the
member leaves their small groups; their calendar feed addresses are removed. Notes they wrote
stay with the group (it keeps them for as long as it decided), their names and e-mail addresses
replaced. What an organiser wrote into an event stays, names replaced.
"""

from safecities.core.personal_data import Section, register

from .models import Event, FeedToken, GroupMembership, GroupNote, Registration


def _registrations(user, *, of_groups: bool) -> list[dict]:
    rows = Registration.objects.filter(user=user).select_related("event")
    group = Event.Audience.GROUP
    rows = rows.filter(event__audience=group) if of_groups else rows.exclude(event__audience=group)
    return [
        {
            "event": str(r.event),
            "status": r.status,
            "attended": r.attended,
            "needs": r.needs,
            "signed_up": r.created_at.isoformat(),
        }
        for r in rows.order_by("pk")
    ]


def export(user) -> dict:
    return {
        "registrations": _registrations(user, of_groups=False),
        "calendar_feeds": [
            {"prefix": t.prefix, "created_at": t.created_at.isoformat()}
            for t in FeedToken.objects.filter(user=user)
        ],
        "events_created": [str(e) for e in Event.objects.filter(created_by=user)],
    }


def export_own(user) -> dict:
    """A small group's business, in the person's own download only: the groups they are in,
    their registrations for the groups' meetings and the notes they wrote."""
    return {
        "group_meeting_registrations": _registrations(user, of_groups=True),
        "small_groups": [
            {"group": str(m.group), "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in GroupMembership.objects.filter(user=user).select_related("group")
        ],
        "notes_written": [
            {"group": str(n.group), "written": n.created_at.isoformat(), "text": n.text}
            for n in GroupNote.objects.filter(author=user).select_related("group")
        ],
    }


def erase(user, context) -> None:
    needs = (
        Registration.objects.filter(user=user)
        .exclude(needs="")
        .update(needs="", needs_erased_at=context.now)
    )
    context.count("event_needs", needs)
    context.count("calendar_feeds", FeedToken.objects.filter(user=user).delete()[0])
    context.count("group_memberships", GroupMembership.objects.filter(user=user).delete()[0])
    notes = context.scrub_text(GroupNote, "text")
    notes += context.scrub_text(Registration, "needs")
    notes += context.scrub_text(Event, "venue")
    notes += context.scrub_json(Event, "title") + context.scrub_json(Event, "description")
    context.count("events", notes)


def register_section() -> None:
    register(Section(name="events", export=export, export_own=export_own, erase=erase))
