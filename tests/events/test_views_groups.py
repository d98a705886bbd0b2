"""The small groups' pages: one's groups, the group's page with members, meetings and notes
(members only, never cached), writing, editing and deleting notes, adding and removing members,
scheduling meetings — and that a closed group's notes are reached through no events page by
anyone outside it."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.events import services
from safecities.events.models import GroupMembership, GroupNote
from safecities.events.urls import urlpatterns
from tests.core.factories import UserFactory
from tests.events.conftest import published_event
from tests.utils import unchanged

SECRET = "Off the record: the threats against our youth workers in Tensta."


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def group(contact, member):
    """Owned by the Nuorten ääni contact, with the demo member in it."""
    return services.create_group(
        actor=contact,
        members=[member],
        data={"name": "Youth workers (views)", "notes_retention_days": 90},
    )


@pytest.fixture
def note(group, member):
    return services.write_note(actor=member, group=group, text=SECRET)


def group_url(name: str, group, *extra) -> str:
    return reverse(f"events:{name}", args=[group.pk, *extra])


def test_my_groups(client_for, group, member, coordinator):
    assert "Youth workers (views)" in html(client_for(member).get(reverse("events:groups")))
    page = html(client_for(coordinator).get(reverse("events:groups")))
    assert "Youth workers (views)" not in page
    assert reverse("events:group-create") in page  # a coordinator may make one


def test_making_a_group(coordinator_client, coordinator):
    with unchanged():
        response = coordinator_client.post(reverse("events:group-create"), {"name": ""})
    assert "name" in response.context["form"].errors
    response = coordinator_client.post(
        reverse("events:group-create"), {"name": "Oslo peers", "notes_retention_days": "30"}
    )
    membership = GroupMembership.objects.get(group__name="Oslo peers")
    assert membership.user == coordinator and membership.role == "owner"
    assert response["Location"] == group_url("group", membership.group)


def test_the_owners_rename_the_group_and_decide_how_long_notes_are_kept(
    client_for, group, contact, member
):
    owner = client_for(contact)
    page = html(owner.get(group_url("group", group)))
    assert group_url("group-edit", group) in page
    form = html(owner.get(group_url("group-edit", group)))
    assert 'value="Youth workers (views)"' in form and 'value="90"' in form
    with unchanged():
        response = owner.post(
            group_url("group-edit", group), {"name": "Peers", "notes_retention_days": "0"}
        )
    assert "notes_retention_days" in response.context["form"].errors
    response = owner.post(
        group_url("group-edit", group), {"name": "Peers", "notes_retention_days": "30"}
    )
    assert response["Location"] == group_url("group", group)
    group.refresh_from_db()
    assert (group.name, group.notes_retention_days) == ("Peers", 30)
    # A member who is not an owner may not; nothing changes.
    assert group_url("group-edit", group) not in html(
        client_for(member).get(group_url("group", group))
    )
    with unchanged():
        assert (
            client_for(member)
            .post(group_url("group-edit", group), {"name": "Mine", "notes_retention_days": "5"})
            .status_code
            == 403
        )
    group.refresh_from_db()
    assert group.name == "Peers"


def test_the_group_page_for_its_members_never_cached(client_for, group, note, member):
    response = client_for(member).get(group_url("group", group))
    assert response.status_code == 200
    page = html(response)
    assert SECRET in page and "Chatham House rule" in page and "erased after 90 days" in page
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache
    assert reverse("events:note-edit", args=[note.pk]) in page


@pytest.mark.parametrize("role", ["secretariat", "coordinator", "reviewer"])
def test_no_one_outside_the_group_opens_it(client_for, group, note, demo, role):
    response = client_for(demo.users[role]).get(group_url("group", group))
    assert response.status_code == 403
    assert SECRET not in html(response)


def test_writing_a_note(client_for, group, member):
    client = client_for(member)
    meeting = services.schedule_group_meeting(
        actor=group.memberships.get(role="owner").user, group=group, date=date(2026, 6, 1)
    )
    response = client.post(
        group_url("note-create", group), {"text": "We agreed.", "meeting": meeting.pk}
    )
    assert response["Location"] == group_url("group", group)
    assert GroupNote.objects.get(text="We agreed.").meeting == meeting
    with unchanged():
        response = client.post(group_url("note-create", group), {"text": "  "})
    assert "text" in response.context["form"].errors
    assert "no-store" in response["Cache-Control"]


def test_a_note_for_another_groups_meeting_is_refused(client_for, group, member, contact):
    other = services.create_group(actor=contact, members=[member], data={"name": "Other"})
    meeting = services.schedule_group_meeting(actor=contact, group=other, date=date(2026, 6, 1))
    with unchanged():
        response = client_for(member).post(
            group_url("note-create", group), {"text": "Hm.", "meeting": meeting.pk}
        )
    assert "meeting" in response.context["form"].errors


def test_editing_and_deleting_a_note_with_confirmation(client_for, note, member, contact):
    client = client_for(member)
    edit = reverse("events:note-edit", args=[note.pk])
    assert "no-store" in client.get(edit)["Cache-Control"]
    client.post(edit, {"text": "Rephrased."})
    note.refresh_from_db()
    assert note.text == "Rephrased." and note.edited_at is not None
    assert client_for(contact).get(edit).status_code == 403  # not its author
    delete = reverse("events:note-delete", args=[note.pk])
    confirm = client_for(contact).get(delete)  # an owner may delete it
    assert "This cannot be undone." in html(confirm) and "no-store" in confirm["Cache-Control"]
    assert GroupNote.objects.filter(pk=note.pk).exists()
    client_for(contact).post(delete)
    assert not GroupNote.objects.filter(pk=note.pk).exists()


def test_adding_a_member_by_address(client_for, group, contact, member):
    client = client_for(contact)
    newcomer = UserFactory()
    with unchanged():
        response = client.post(
            group_url("member-add", group), {"email": "nobody@example.org", "role": "member"}
        )
    assert "Nobody signs in with this address." in " ".join(
        response.context["form"].errors["email"]
    )
    with unchanged():
        response = client.post(
            group_url("member-add", group), {"email": member.email, "role": "member"}
        )
    assert "is in the group already" in " ".join(response.context["form"].errors["email"])
    client.post(group_url("member-add", group), {"email": newcomer.email, "role": "member"})
    assert group.memberships.filter(user=newcomer).exists()
    assert client_for(member).get(group_url("member-add", group)).status_code == 403


def test_removing_a_member_and_leaving(client_for, group, contact, member):
    remove = group_url("member-remove", group, member.pk)
    assert "Take" in html(client_for(contact).get(remove))
    assert group.memberships.filter(user=member).exists()
    client_for(contact).post(remove)
    assert not group.memberships.filter(user=member).exists()
    leave = group_url("member-remove", group, contact.pk)
    response = client_for(contact).post(leave, follow=True)
    assert "last owner cannot leave" in html(response)
    assert group.memberships.filter(user=contact).exists()


def test_a_member_takes_nobody_else_out(client_for, group, contact, member):
    with unchanged():
        response = client_for(member).post(group_url("member-remove", group, contact.pk))
    assert response.status_code == 403


def test_scheduling_a_meeting(client_for, group, contact, secretariat):
    event = published_event(secretariat, audience="group", invited_group=group)
    client = client_for(contact)
    with unchanged():
        response = client.post(group_url("meeting-create", group), {"date": "yesterday"})
    assert "date" in response.context["form"].errors
    client.post(group_url("meeting-create", group), {"date": "2026-10-01", "event": event.pk})
    meeting = group.meetings.get()
    assert meeting.date == date(2026, 10, 1) and meeting.event == event
    assert "2026" in html(client.get(group_url("group", group)))


# --- the notes reach nobody outside the group -----------------------------------------------------


def _every_events_url(group, note, event) -> list[str]:
    """Every events page, walked with the group, its note and an event of theirs."""
    kwargs = {
        "pk": None,
        "user_pk": group.memberships.get(role="owner").user_id,
    }
    urls = []
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        if "<" not in route:
            urls.append(reverse(f"events:{pattern.name}"))
            continue
        if route.startswith("notes/"):
            pk = note.pk
        elif route.startswith("groups/"):
            pk = group.pk
        elif route.startswith("feeds/"):
            pk = note.pk  # no token of theirs: a 404 either way
        else:
            pk = event.pk
        args = {**kwargs, "pk": pk}
        if "<int:user_pk>" not in route:
            args.pop("user_pk")
        urls.append(reverse(f"events:{pattern.name}", kwargs=args))
    return urls


@pytest.mark.parametrize("role", ["anonymous", "secretariat", "coordinator"])
def test_a_closed_groups_notes_are_reached_through_no_events_page(
    client_for, group, note, secretariat, demo, role
):
    event = published_event(
        secretariat, audience="group", invited_group=group, title={"en": "Group meeting"}
    )
    services.schedule_group_meeting(
        actor=group.memberships.get(role="owner").user, group=group, date=date(2026, 6, 1)
    )
    user = None if role == "anonymous" else demo.users[role]
    client = client_for(user)
    urls = _every_events_url(group, note, event)
    assert len(urls) == len(urlpatterns)
    for url in urls:
        for query in ("", "?view=month"):
            response = client.get(url + query, follow=True)
            body = response.content.decode(errors="replace")
            assert SECRET not in body, f"{role} read the note at {url}"
            assert "Off the record" not in body
        response = client.get(url)
        if f"/groups/{group.pk}/" in url or "/notes/" in url:
            assert response.status_code in (302, 403, 404), url
