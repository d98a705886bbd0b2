"""A closed group's notes stay in the group (Chatham House rule): no role outside it reaches a
note's text through any API call, the search, an export or the audit trail's data.

The group here is made through the services by a coordinator who is none of the walked roles,
with one invited member, so every role of `tests.conftest.ROLES` is outside it; the demo's own
group note is checked too (no API call and no export carries any note). Every GET route of the
API, and every page whose address is a file (CSV, JSON, iCalendar, PDF, export), is asked by
each role with the records the permission walk uses, and the group's own event in place of any
event.
"""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from safecities.charter.models import Term
from safecities.core.models import AuditEvent
from safecities.core.services import create_api_token
from safecities.events import selectors, services
from safecities.events.models import Event, GroupNote
from safecities.network.models import Membership, Role, RoleAssignment
from safecities.search import api as search
from safecities.search.models import Document
from tests.conftest import ROLES
from tests.events.conftest import people, published_event, soon
from tests.network.factories import submit_city
from tests.test_url_permissions import SAMPLE_KWARGS, url_patterns
from tests.utils import sign_in

READS_DEMO_EVENTS = True  # the demo group's note is checked too (see conftest)
SECRET = "Kvasirhavn: the lighthouse keeper doubts the Tuesday club will last"
EDITED = "Kvasirhavn again: Ørnefjell worries about the funding of the club"
WORDS = ["Kvasirhavn", "lighthouse", "Ørnefjell", "Tuesday club"]
FILE_ROUTE = re.compile(r"(csv|json|\.ics|export|feed|pdf|download)", re.IGNORECASE)


@pytest.fixture
def group_secret(demo, stockholm_coordinator):
    """A group outside every walked role, with a meeting at its own event and two notes."""
    (invited,) = people(1)
    group = services.create_group(
        actor=stockholm_coordinator, members=[invited], data={"name": "Peer group on hard cases"}
    )
    event = published_event(
        stockholm_coordinator,
        type="closed_group_meeting",
        title={"en": "Peer group meeting"},
        audience="group",
        invited_group=group,
        description={"en": "A meeting of the group."},
        starts_at=soon(20),
        ends_at=soon(20, hours=2),
    )
    meeting = services.schedule_group_meeting(
        actor=stockholm_coordinator, group=group, date=soon(20).date(), event=event
    )
    services.register(actor=invited, event=event)
    note = services.write_note(actor=invited, group=group, text=SECRET, meeting=meeting)
    services.edit_note(actor=invited, note=note, text=EDITED)
    gone = services.write_note(actor=stockholm_coordinator, group=group, text=SECRET)
    services.delete_note(actor=stockholm_coordinator, note=gone)
    services.write_note(actor=stockholm_coordinator, group=group, text=SECRET)
    return SimpleNamespace(group=group, event=event, invited=invited, owner=stockholm_coordinator)


def texts() -> list[str]:
    """Every note's text, the demo group's included, and fragments of them."""
    found = [SECRET, EDITED, *WORDS, *GroupNote.objects.values_list("text", flat=True)]
    return [*found, *(t[:30] for t in found)]


def assert_absent(content: bytes | str, where: str, *, but: str = "") -> None:
    """No note's text, nor a piece of one, in `content` (`but`: the word searched for, which a
    search page shows back)."""
    body = content.encode() if isinstance(content, str) else content
    for text in texts():
        if text != but:
            assert text.encode() not in body, f"{text!r} reached through {where}"


@pytest.fixture
def walk(demo):
    """The records the permission walk's sample arguments name, made as the walk makes them."""
    users = demo.users
    return SimpleNamespace(
        users=users,
        tokens={role: create_api_token(actor=u, name="privacy")[0] for role, u in users.items()},
        drammen_application=submit_city(actor=users["coordinator"], municipality=demo.drammen),
        oslo_membership=Membership.objects.get(municipality=demo.oslo, status="active"),
        reviewer_role=RoleAssignment.objects.get(user=users["reviewer"], role=Role.REVIEWER),
        term=Term.objects.order_by("pk").first(),
    )


def clients(demo) -> dict[str, tuple[Client, dict]]:
    """role -> (a page client signed in as the role, the API headers with its token)."""
    out = {"anonymous": (Client(), {})}
    for role, user in demo.users.items():
        page = sign_in(Client(), user)
        raw = create_api_token(actor=user, name="privacy api")[1]
        out[role] = (page, {"Authorization": f"Bearer {raw}"})
    return out


def kwargs_for(name: str, route: str, w, secret) -> dict:
    if "<" not in route:
        return {}
    if name.startswith("events:") or name.startswith("api-1.0.0:event"):
        if "token" in route:
            return {"token": services.create_feed_token(actor=secret.invited)[1]}
        if "pk" in route:
            return {"pk": secret.event.pk}
    assert name in SAMPLE_KWARGS, f"{name} has no sample arguments in the permission walk"
    return SAMPLE_KWARGS[name](w)


def test_the_notes_are_there_for_the_group_itself(group_secret):
    """The control: the group's members do read the notes, so their absence below means
    something."""
    readable = selectors.notes_for(group_secret.group, user=group_secret.invited)
    assert {n.text for n in readable} == {EDITED, SECRET}


def test_no_api_call_or_export_carries_a_note(group_secret, walk, demo):
    routes = [
        (name, route)
        for name, route in url_patterns()
        if name.startswith("api-1.0.0:") or FILE_ROUTE.search(route)
    ]
    assert any(name == "api-1.0.0:events-feed" for name, _r in routes)
    assert any(name == "api-1.0.0:grants-360giving-csv" for name, _r in routes)
    by_role = clients(demo)
    asked = 0
    for name, route in routes:
        url = reverse(name, kwargs=kwargs_for(name, route, walk, group_secret))
        for role in ROLES:
            page, headers = by_role[role]
            if name.startswith("api-"):
                response = Client().get(url, headers=headers)
            else:
                response = page.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert_absent(body, f"GET {url} as {role}")
            asked += 1
    assert asked >= 7 * 40


def test_the_group_event_itself_shows_no_note(group_secret, client):
    """The invited member reads the group's event and their feed: still no note in them."""
    raw = create_api_token(actor=group_secret.invited, name="member")[1]
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get(f"/api/v1/events/{group_secret.event.pk}", headers=headers)
    assert body.status_code == 200 and body.json()["title"] == "Peer group meeting"
    assert_absent(body.content, "the group's event")
    listing = client.get("/api/v1/events", {"type": "closed_group_meeting"}, headers=headers)
    assert "Peer group meeting" in listing.content.decode()
    assert_absent(listing.content, "the calendar")
    feed_token = services.create_feed_token(actor=group_secret.invited)[1]
    feed = client.get(f"/api/v1/events/feed/{feed_token}.ics")
    assert b"Peer group meeting" in feed.content
    assert_absent(feed.content, "the private feed")


@pytest.mark.parametrize("word", WORDS)
def test_no_search_finds_a_note(group_secret, demo, word):
    for member in (False, True):
        assert search.search(word, user_is_member=member).total == 0
    by_role = clients(demo)
    for role in ROLES:
        page, headers = by_role[role]
        api = Client().get("/api/v1/practices", {"q": word}, headers=headers)
        assert api.status_code == 200 and api.json()["total"] == 0, role
        found = page.get(reverse("practices:list"), {"q": word})
        assert found.status_code == 200
        assert_absent(found.content, f"search ({role})", but=word)
    for text in texts():
        assert not Document.objects.filter(body__contains=text).exists()
        assert not Document.objects.filter(title__contains=text).exists()


def test_the_audit_trail_never_holds_a_note(group_secret, demo, secretariat_client):
    services.erase_expired_notes(now=soon(10_000))
    notes = AuditEvent.objects.filter(action__startswith="events.note")
    assert {"events.note.write", "events.note.edit", "events.note.delete"} <= set(
        notes.values_list("action", flat=True)
    )
    assert AuditEvent.objects.filter(action="events.notes.erase").exists()
    for audit in AuditEvent.objects.all():
        assert_absent(f"{audit.changes} {audit.target_label} {audit}", f"audit {audit.action}")
    page = secretariat_client.get(reverse("core:audit"))
    assert page.status_code == 200 and "events.note.write" in page.content.decode()
    assert_absent(page.content, "the audit page")
    assert Event.objects.filter(pk=group_secret.event.pk).exists()
