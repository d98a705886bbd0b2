"""Closed small groups: members and owners, meetings, and notes under the Chatham House rule —
read by the group's members alone, kept out of the audit trail's data, erased after the days the
group decides."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.core.permissions import has_perm
from safecities.events import selectors, services
from safecities.events.models import GroupNote
from tests.core.factories import UserFactory
from tests.events.conftest import published_event
from tests.utils import unchanged

SECRET = "What we find hard: the threats against our staff in Rinkeby."


@pytest.fixture
def group(contact, member):
    """Owned by the Nuorten ääni contact, with the demo member in it."""
    return services.create_group(
        actor=contact,
        members=[member],
        data={
            "name": "Youth workers Helsinki–Borlänge",
            "description": "Peer learning.",
            "notes_retention_days": 90,
        },
    )


def test_the_creator_owns_the_group_and_the_invited_are_members(group, contact, member):
    roles = {m.user: m.role for m in group.memberships.all()}
    assert roles == {contact: "owner", member: "member"}
    assert list(selectors.groups_of(member)) == [group]
    assert [m.user for m in selectors.group_members(group, user=member)] == [contact, member]


def test_members_without_a_role_do_not_create_groups(member):
    with unchanged(), pytest.raises(NotAllowed):
        services.create_group(actor=member, data={"name": "Mine"})


def test_bad_group_input_is_refused(contact):
    for data, field in (
        ({"name": " "}, "name"),
        ({"name": "G", "notes_retention_days": 0}, "notes_retention_days"),
        ({"name": "G", "members": ["someone"]}, "members"),
        ({"name": "G", "colour": "red"}, "colour"),
    ):
        members = data.pop("members", ())
        with unchanged(), pytest.raises(InvalidInput) as error:
            services.create_group(actor=contact, data=data, members=members)
        assert error.value.field == field


def test_the_owners_manage_members_and_the_last_owner_stays(group, contact, member):
    newcomer = UserFactory()
    with unchanged(), pytest.raises(NotAllowed):
        services.add_group_member(actor=member, group=group, user=newcomer)
    services.add_group_member(actor=contact, group=group, user=newcomer)
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.add_group_member(actor=contact, group=group, user=newcomer)
    assert error.value.field == "user"
    services.remove_group_member(actor=newcomer, group=group, user=newcomer)  # leaves
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.remove_group_member(actor=contact, group=group, user=contact)
    assert error.value.field == "user"
    with unchanged(), pytest.raises(NotAllowed):
        services.remove_group_member(actor=member, group=group, user=contact)


def test_the_owners_decide_how_long_notes_are_kept(group, contact, member):
    services.update_group(actor=contact, group=group, data={"notes_retention_days": 30})
    group.refresh_from_db()
    assert group.notes_retention_days == 30
    with unchanged(), pytest.raises(NotAllowed):
        services.update_group(actor=member, group=group, data={"notes_retention_days": 3650})


def test_meetings_belong_to_the_group(group, contact, secretariat):
    event = published_event(secretariat)
    meeting = services.schedule_group_meeting(
        actor=contact, group=group, date=date(2026, 3, 4), event=event
    )
    assert meeting.event == event
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.schedule_group_meeting(actor=contact, group=group, date="2026-03-04")
    assert error.value.field == "date"
    other = services.create_group(actor=contact, data={"name": "Another group"})
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.write_note(actor=contact, group=other, text="x", meeting=meeting)
    assert error.value.field == "meeting"


# --- notes ---------------------------------------------------------------------------------------


def test_the_groups_members_read_its_notes(group, contact, member):
    note = services.write_note(actor=member, group=group, text=SECRET)
    assert list(selectors.notes_for(group, user=contact)) == [note]
    assert list(selectors.notes_for(group, user=member)) == [note]


@pytest.mark.parametrize(
    "role", ["secretariat", "coordinator", "reviewer", "funder_officer", "superuser", "outsider"]
)
def test_no_other_role_reaches_the_notes(demo, group, member, role):
    services.write_note(actor=member, group=group, text=SECRET)
    if role == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    elif role == "outsider":
        user = UserFactory()
    else:
        user = demo.users[role]
    with pytest.raises(PermissionDenied):
        selectors.notes_for(group, user=user)
    with pytest.raises(PermissionDenied):
        selectors.group_members(group, user=user)
    assert not has_perm(user, "events.read_notes", group)
    with unchanged(), pytest.raises(NotAllowed):
        services.write_note(actor=user, group=group, text="Let me in.")


def test_visitors_do_not_reach_the_notes(group):
    with pytest.raises(PermissionDenied):
        selectors.notes_for(group, user=AnonymousUser())


def test_a_member_who_leaves_no_longer_reads_the_notes(group, contact, member):
    services.write_note(actor=contact, group=group, text=SECRET)
    services.remove_group_member(actor=member, group=group, user=member)
    with pytest.raises(PermissionDenied):
        selectors.notes_for(group, user=member)


def test_who_is_taken_out_loses_their_place_and_link_at_the_groups_coming_meetings(
    group, contact, member
):
    other = UserFactory()
    services.add_group_member(actor=contact, group=group, user=other)
    meeting = published_event(
        contact,
        type="closed_group_meeting",
        audience="group",
        invited_group=group,
        capacity=1,
        online_url="https://meet.example.org/group",
    )
    place = services.register(actor=member, event=meeting)
    waiting = services.register(actor=other, event=meeting)
    assert selectors.online_url_for(meeting, user=member)
    services.remove_group_member(actor=contact, group=group, user=member)
    place.refresh_from_db()
    waiting.refresh_from_db()
    assert place.status == "cancelled"
    assert waiting.status == "registered"  # the place went to the next in line
    assert selectors.online_url_for(meeting, user=member) == ""
    assert not selectors.registrations_for(member).filter(event=meeting).exists()


def test_the_audit_trail_records_note_actions_without_their_text(group, contact, member):
    note = services.write_note(actor=member, group=group, text=SECRET)
    services.edit_note(actor=member, note=note, text=SECRET + " And the budget.")
    services.delete_note(actor=contact, note=note)
    events = AuditEvent.objects.filter(action__startswith="events.note.")
    assert sorted(e.action for e in events) == [
        "events.note.delete",
        "events.note.edit",
        "events.note.write",
    ]
    for event in events:
        assert event.target_label == group.name
        assert "text" not in event.changes
        assert "Rinkeby" not in json.dumps(event.changes) + event.target_label
    everything = json.dumps(list(AuditEvent.objects.values("changes", "target_label")))
    assert "Rinkeby" not in everything


def test_only_the_author_edits_and_the_author_or_an_owner_deletes(group, contact, member):
    note = services.write_note(actor=contact, group=group, text=SECRET)
    with unchanged(), pytest.raises(NotAllowed):
        services.edit_note(actor=member, note=note, text="Changed")
    with unchanged(), pytest.raises(NotAllowed):
        services.delete_note(actor=member, note=note)
    mine = services.write_note(actor=member, group=group, text="Mine.")
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.edit_note(actor=member, note=mine, text=" ")
    assert error.value.field == "text"
    services.delete_note(actor=contact, note=mine)
    assert not GroupNote.objects.filter(pk=mine.pk).exists()


def test_notes_are_erased_after_the_days_the_group_keeps_them(group, contact, member):
    old = services.write_note(actor=member, group=group, text="Old.")
    recent = services.write_note(actor=member, group=group, text="Recent.")
    GroupNote.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    GroupNote.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=89))
    assert services.erase_expired_notes() == 1
    assert list(selectors.notes_for(group, user=member)) == [recent]
    erased = AuditEvent.objects.get(action="events.notes.erase")
    assert erased.changes == {"notes": [2, 1]} and erased.target_label == group.name
