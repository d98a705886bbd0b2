"""Events in the API: the calendar for each reader, one event (the online link only to the
people registered), signing up and cancelling with a member's token, and the iCalendar feeds,
public and private, read back with the `icalendar` library."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from safecities.core.services import create_api_token
from safecities.events import services
from safecities.events.models import Event, Registration
from safecities.practices.models import Practice
from tests.events.conftest import draft_event, people, published_event, soon
from tests.utils import unchanged

API = "/api/v1/events"
READS_DEMO_EVENTS = True  # see conftest


def token(user) -> dict:
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='Script')[1]}"}


def titles(body: dict) -> set[str]:
    return {item["titles"].get("en") or item["title"] for item in body["items"]}


def event_named(title: str) -> Event:
    return Event.objects.get(title__en=title)


def sign_up(client, event: Event, headers: dict, body: dict | None = None):
    return client.post(
        f"{API}/{event.pk}/registration",
        json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


# --- the calendar ------------------------------------------------------------------------------


def test_a_visitor_sees_the_public_events_only(client, demo):
    body = client.get(API).json()
    found = titles(body)
    assert "Nordic Safe Cities Summit" in found
    assert "Safe Cities Norway gathering" not in found  # for members
    assert not any(t.startswith("Youth workers") for t in found)  # the group's
    assert {item["audience"] for item in body["items"]} == {"public"}
    assert body["count"] == Event.objects.filter(audience="public").exclude(status="draft").count()


def test_a_member_sees_the_members_events_and_their_groups(client, demo, member, reviewer):
    mine = titles(client.get(API, headers=token(member)).json())
    assert "Safe Cities Norway gathering" in mine
    assert "Youth workers Helsinki–Borlänge: second meeting" in mine  # member is in the group
    theirs = titles(client.get(API, headers=token(reviewer)).json())
    assert "Safe Cities Norway gathering" in theirs
    assert not any(t.startswith("Youth workers") for t in theirs)


def test_a_bad_token_reads_as_a_visitor(client, demo):
    body = client.get(API, headers={"Authorization": "Bearer sc_wrong"}).json()
    assert "Safe Cities Norway gathering" not in titles(body)


def test_filters_by_type_city_goal_and_days(client, demo, member):
    headers = token(member)
    debates = client.get(API, {"type": "public_debate"}).json()
    assert titles(debates) == {"Oslo talks: trust in politicians"}
    both = client.get(API, {"type": ["public_debate", "webinar"]}, headers=headers).json()
    assert {item["type"] for item in both["items"]} == {"public_debate", "webinar"}
    stockholm = client.get(API, {"city": "stockholm"}).json()
    assert {item["city"]["slug"] for item in stockholm["items"]} == {"stockholm"}
    online = client.get(API, {"goal": "safe-online-sphere"}, headers=headers).json()
    assert titles(online) == {"Webinar: online hate against local politicians"}
    in_2022 = client.get(API, {"from": "2022-01-01", "to": "2022-12-31"}, headers=headers).json()
    assert titles(in_2022) == {"Safe Cities Norway gathering"}
    to_come = client.get(API, {"from": timezone.localdate().isoformat()}).json()
    assert all(item["status"] == "published" for item in to_come["items"])
    assert "Nordic Safe Cities Summit: the next one" in titles(to_come)


def test_a_bad_day_is_refused_naming_the_field(client, demo):
    response = client.get(API, {"from": "next tuesday"})
    assert response.status_code == 422
    assert response.json()["field"] == "from"


def test_the_calendar_is_paginated_and_its_queries_do_not_grow(
    client, demo, secretariat, django_assert_max_num_queries
):
    for n in range(60):
        published_event(secretariat, title={"en": f"Workshop {n}"}, type="workshop")
    first = client.get(API, {"type": "workshop"}).json()
    assert first["count"] == 60 and len(first["items"]) == 50
    second = client.get(API, {"type": "workshop", "page": 2}).json()
    assert len(second["items"]) == 10
    assert not titles(first) & titles(second)
    with django_assert_max_num_queries(6):
        client.get(API, {"type": "workshop"})


# --- one event ---------------------------------------------------------------------------------


def test_the_online_link_is_for_the_people_registered(client, demo, member, reviewer):
    webinar = event_named("Webinar: online hate against local politicians")
    registered = client.get(f"{API}/{webinar.pk}", headers=token(member)).json()
    assert registered["online_url"] == "https://meet.example.org/nsc-webinar"
    assert registered["registration"] == "registered"
    other = client.get(f"{API}/{webinar.pk}", headers=token(reviewer)).json()
    assert other["online"] is True and other["online_url"] == ""
    assert other["registration"] is None
    assert client.get(f"{API}/{webinar.pk}").status_code == 404  # for members


def test_a_closed_event_gives_its_report_and_the_practices_presented(client, demo):
    debate = event_named("Oslo talks: trust in politicians")
    body = client.get(f"{API}/{debate.pk}").json()
    came = debate.registrations.filter(attended=True).count()
    assert body["status"] == "closed" and body["attendee_count"] == came == 5
    assert body["report"] and "oslo" in body["attending_cities"]
    assert body["practices_presented"] == [Practice.objects.get(title="Oslo snakker").pk]


def test_a_waiting_place_is_numbered(client, demo, member):
    summit = event_named("Nordic Safe Cities Summit: the next one")
    body = client.get(f"{API}/{summit.pk}", headers=token(member)).json()
    assert body["registration"] == "waitlisted" and body["waiting_position"] == 1
    assert body["places_left"] == 0


def test_a_draft_or_unknown_event_is_not_found(client, demo, secretariat, member):
    draft = draft_event(secretariat)
    assert client.get(f"{API}/{draft.pk}", headers=token(member)).status_code == 404
    response = client.get(f"{API}/999999")
    assert response.status_code == 404 and response.json()["message"]
    assert client.get(f"{API}/{draft.pk}", headers=token(secretariat)).status_code == 200


# --- registration ------------------------------------------------------------------------------


def test_signing_up_until_full_then_the_waiting_list(client, demo, secretariat):
    event = published_event(secretariat, capacity=2)
    first, second, third = people(3)
    assert sign_up(client, event, token(first)).json()["status"] == "registered"
    response = sign_up(client, event, token(second), {"needs": "Vegetarian"})
    assert response.status_code == 201 and response.json()["status"] == "registered"
    waiting = sign_up(client, event, token(third)).json()
    assert waiting == {"event": event.pk, "status": "waitlisted", "waiting_position": 1}
    assert Registration.objects.get(event=event, user=second).needs == "Vegetarian"


def test_signing_up_twice_is_refused_and_changes_nothing(client, demo, secretariat):
    event = published_event(secretariat)
    (person,) = people(1)
    headers = token(person)
    sign_up(client, event, headers)
    with unchanged():
        response = sign_up(client, event, headers)
    assert response.status_code == 409
    assert response.json()["field"] == "user" and "already" in response.json()["message"]


@pytest.mark.parametrize(
    ("case", "status", "field"),
    [("closed", 409, "event"), ("not_open", 409, "event"), ("needs", 400, "needs")],
)
def test_refusals_name_the_field(client, demo, secretariat, member, case, status, field):
    body = {}
    if case == "closed":
        event = event_named("Nordic Safe Cities Summit")
    elif case == "not_open":
        event = published_event(secretariat, registration_opens_at=soon(10))
    else:
        event = published_event(secretariat)
        body = {"needs": "x" * 1001}
    headers = token(member)
    with unchanged():
        response = sign_up(client, event, headers, body)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field and response.json()["message"]


def test_an_organiser_cannot_sign_up_for_their_draft(client, demo, coordinator):
    draft = draft_event(coordinator)
    headers = token(coordinator)
    with unchanged():
        response = sign_up(client, draft, headers)
    assert response.status_code == 403 and response.json()["field"] == "event"


def test_a_group_event_is_for_the_groups_members(client, demo, reviewer, member):
    meeting = event_named("Youth workers Helsinki–Borlänge: second meeting")
    outsider = token(reviewer)
    with unchanged():
        assert sign_up(client, meeting, outsider).status_code == 404
    assert sign_up(client, meeting, token(member)).json()["status"] == "registered"


def test_signing_up_needs_a_token_and_known_fields(client, demo, secretariat, member):
    event = published_event(secretariat)
    headers = token(member)
    with unchanged():
        assert sign_up(client, event, {}).status_code == 401
        response = sign_up(client, event, headers, {"diet": "vegan"})
    assert response.status_code == 422 and response.json()["field"] == "diet"


def test_cancelling_promotes_the_next_on_the_waiting_list(
    client, demo, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    event = published_event(secretariat, capacity=1)
    first, second = people(2)
    headers = token(first)
    sign_up(client, event, headers)
    sign_up(client, event, token(second))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"{API}/{event.pk}/registration", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    promoted = Registration.objects.get(event=event, user=second)
    assert promoted.status == Registration.Status.REGISTERED
    assert [m.to for m in mailoutbox] == [[second.email]]


def test_cancelling_without_a_registration_is_not_found(client, demo, secretariat, member):
    event = published_event(secretariat)
    headers = token(member)
    with unchanged():
        response = client.delete(f"{API}/{event.pk}/registration", headers=headers)
    assert response.status_code == 404
    assert response.json()["field"] == "registration" and response.json()["message"]


# --- feeds -------------------------------------------------------------------------------------


def summaries(data: bytes) -> set[str]:
    return {str(v["SUMMARY"]) for v in Calendar.from_ical(data).walk("VEVENT")}


def test_the_public_feed_is_a_calendar_of_public_events(client, demo):
    response = client.get(f"{API}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = summaries(response.content)
    assert "Nordic Safe Cities Summit: the next one" in found
    assert "Safe Cities Norway gathering" not in found  # for members, and long ago
    assert "Webinar: online hate against local politicians" not in found
    assert b"meet.example.org" not in response.content


def test_the_public_feed_leaves_out_events_over_for_more_than_a_year(client, demo):
    found = summaries(client.get(f"{API}.ics").content)
    assert "Nordic Safe Cities Summit" not in found  # 2020
    assert "Oslo talks: trust in politicians" not in found  # 2024


def test_the_private_feed_holds_ones_registrations(client, demo, member):
    _token, raw = services.create_feed_token(actor=member)
    response = client.get(f"{API}/feed/{raw}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    by_summary = {str(v["SUMMARY"]): v for v in calendar.walk("VEVENT")}
    webinar = by_summary["Webinar: online hate against local politicians"]
    assert str(webinar["URL"]) == "https://meet.example.org/nsc-webinar"
    assert str(by_summary["Nordic Safe Cities Summit: the next one"]["STATUS"]) == "TENTATIVE"


def test_a_wrong_or_revoked_feed_address_is_not_found(client, demo, member):
    token_, raw = services.create_feed_token(actor=member)
    with unchanged():
        wrong = client.get(f"{API}/feed/cal_not-a-token.ics")
    assert wrong.status_code == 404
    assert wrong.json()["field"] == "token" and "not valid" in wrong.json()["message"]
    services.revoke_feed_token(actor=member, token=token_)
    with unchanged():
        revoked = client.get(f"{API}/feed/{raw}.ics")
    assert revoked.status_code == 404 and "revoked" in revoked.json()["message"]


# --- the document ------------------------------------------------------------------------------


def test_the_routes_are_in_the_api_document_and_the_docs_render(client, demo):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events/{pk}",
        "/api/v1/events/{pk}/registration",
        "/api/v1/events.ics",
        "/api/v1/events/feed/{token}.ics",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/events/{pk}/registration"]) == {"post", "delete"}
    assert "text/calendar" in paths["/api/v1/events.ics"]["get"]["responses"]["200"]["content"]
    assert client.get("/api/v1/docs").status_code == 200


def test_a_past_event_cannot_be_cancelled_from_the_api(client, demo, member):
    debate = event_named("Oslo talks: trust in politicians")
    headers = token(member)
    with unchanged():
        response = client.delete(f"{API}/{debate.pk}/registration", headers=headers)
    assert response.status_code == 409 and response.json()["field"] == "registration"
    assert debate.ends_at < timezone.now() - timedelta(days=1)
