"""The events' pages for readers through the test client: the calendar (list with filters,
order, pages and empty state; the month grid), an event in the reader's language and its time
zone, signing up with needs, the waiting list, cancelling one's place, the `.ics`, one's
registrations and the calendar feed addresses."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from safecities.events import services
from safecities.events.models import Event, FeedToken, Registration
from safecities.network.models import Municipality
from tests.events.conftest import draft_event, people, published_event, soon
from tests.utils import unchanged

LIST = reverse("events:list")


def html(response) -> str:
    return response.content.decode()


def detail(event) -> str:
    return reverse("events:detail", args=[event.pk])


# --- the calendar ------------------------------------------------------------------------------


@pytest.fixture
def calendar(secretariat, demo):
    """A public summit in Stockholm, a members' workshop in Oslo, a draft, a past debate."""
    summit = published_event(
        secretariat, municipality=demo.stockholm, title={"en": "Summit in Stockholm"}
    )
    workshop = published_event(
        secretariat,
        type="workshop",
        title={"en": "Oslo members gathering"},
        audience="members",
        municipality=demo.oslo,
        starts_at=soon(40),
        ends_at=soon(40, hours=3),
        goals=[],
    )
    draft = draft_event(secretariat, title={"en": "A draft nobody sees"})
    return {"summit": summit, "workshop": workshop, "draft": draft}


def test_a_visitor_sees_the_upcoming_public_events_only(client, calendar):
    page = html(client.get(LIST))
    assert "Summit in Stockholm" in page
    assert "Oslo members gathering" not in page
    assert "A draft nobody sees" not in page
    assert 'href="/api/v1/events.ics"' in page
    assert reverse("events:feeds") not in page  # for signed-in people


def test_a_member_sees_members_events_and_their_links(member_client, calendar):
    page = html(member_client.get(LIST))
    assert "Summit in Stockholm" in page and "Oslo members gathering" in page
    assert "A draft nobody sees" not in page
    assert reverse("events:feeds") in page and reverse("events:mine") in page


def test_the_organiser_sees_their_draft_and_the_new_event_button(secretariat_client, calendar):
    page = html(secretariat_client.get(LIST))
    assert "A draft nobody sees" in page
    assert reverse("events:create") in page


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"type": "workshop"}, "Oslo members gathering", "Summit in Stockholm"),
        ({"city": "stockholm"}, "Summit in Stockholm", "Oslo members gathering"),
        ({"country": "SE"}, "Summit in Stockholm", "Oslo members gathering"),
        ({"goal": "safe-communities"}, "Summit in Stockholm", "Oslo members gathering"),
        ({"audience": "members"}, "Oslo members gathering", "Summit in Stockholm"),
        ({"sort": "-starts"}, "Oslo members gathering", None),
    ],
)
def test_the_filters_narrow_the_calendar(member_client, calendar, params, shown, hidden):
    response = member_client.get(LIST, params)
    page = html(response)
    assert shown in page
    if hidden:
        assert hidden not in page
    else:  # latest first
        assert page.index("Oslo members gathering") < page.index("Summit in Stockholm")


def test_dates_limit_the_period(member_client, calendar):
    day = timezone.localdate() + timedelta(days=35)
    before = html(member_client.get(LIST, {"until": day.isoformat()}))
    assert "Summit in Stockholm" in before and "Oslo members gathering" not in before
    after = html(member_client.get(LIST, {"since": day.isoformat()}))
    assert "Oslo members gathering" in after and "Summit in Stockholm" not in after


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "not-a-date"}, "From: Enter a valid date."),
        ({"since": "2026-05-10", "until": "2026-05-01"}, "To: The end of the period"),
        ({"type": "party"}, "Type: Select a valid choice."),
        ({"goal": "no-such-goal"}, "Charter goal: Select a valid choice."),
    ],
)
def test_bad_filters_name_the_field_and_are_left_out(member_client, calendar, params, message):
    response = member_client.get(LIST, params)
    assert response.status_code == 200
    page = html(response)
    assert message in page
    assert "Summit in Stockholm" in page  # the rest of the calendar still shows


def test_the_empty_state(client, calendar):
    page = html(client.get(LIST, {"type": "webinar"}))
    assert 'id="empty"' in page and "No event matches these filters." in page


def test_the_calendar_pages_and_its_queries_do_not_grow(
    member_client, secretariat, demo, django_assert_max_num_queries
):
    for n in range(45):
        published_event(
            secretariat,
            title={"en": f"Event {n:02d}"},
            municipality=demo.oslo,
            starts_at=soon(20 + n),
            ends_at=soon(20 + n, hours=2),
        )
    with django_assert_max_num_queries(16):
        first = member_client.get(LIST)
    page = html(first)
    assert "Event 00" in page and "Event 20" not in page and "Page 1 of 3" in page
    assert "Event 20" in html(member_client.get(LIST, {"page": 2}))


def test_the_month_grid_shows_the_event_on_its_day(member_client, calendar):
    summit = calendar["summit"]
    starts = timezone.localtime(summit.starts_at, ZoneInfo(summit.time_zone))
    response = member_client.get(LIST, {"view": "month", "month": f"{starts:%Y-%m}"})
    page = html(response)
    assert '<table class="ds-table" id="month-grid">' in page
    assert "<caption" in page and 'scope="col"' in page
    assert "Summit in Stockholm" in page
    assert detail(summit) in page
    # The start is shown in the event's own zone, as "H:i".
    assert f"{starts:%H:%M} Summit in Stockholm" in page
    previous = (starts.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert f"month={previous}" in page and 'rel="next"' in page


def test_the_month_grid_keeps_the_filters_and_shows_an_empty_month(member_client, calendar):
    page = html(member_client.get(LIST, {"view": "month", "month": "2001-02", "type": "summit"}))
    assert "No events this month." in page
    assert "type=summit" in page  # the month links keep the filter


def test_a_bad_month_names_the_field_and_shows_this_month(member_client, calendar):
    response = member_client.get(LIST, {"view": "month", "month": "May"}, follow=True)
    assert response.status_code == 200
    assert "Month: give it as year and month" in html(response)
    assert response.context["month"] == timezone.localdate().replace(day=1)


# --- an event ----------------------------------------------------------------------------------


def test_the_event_in_the_readers_language_and_its_time_zone(client, summit):
    page = html(client.get(detail(summit), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "Nordisk toppmøte" in page
    page = html(client.get(detail(summit), HTTP_ACCEPT_LANGUAGE="fi"))
    assert 'lang="en">Nordic Safe Cities Summit' in page  # no Finnish: English, marked
    local = timezone.localtime(summit.starts_at, ZoneInfo("Europe/Stockholm"))
    page = html(client.get(detail(summit)))
    assert "Europe/Stockholm" in page
    assert f"{local:%H:%M}".lstrip("0") in page or f"{local:%H:%M}" in page
    assert "3 places, 3 left" in page
    assert "Stockholm City Hall" in page


def test_the_languages_spoken_are_named(client, summit, secretariat):
    services.update_event(actor=secretariat, event=summit, data={"languages": ["sv", "en"]})
    page = html(client.get(detail(summit)))
    assert '<dd id="languages">Swedish, English</dd>' in page


def test_the_online_link_only_for_the_people_registered(client_for, summit, member):
    link = "https://meet.example.org/summit"
    assert link not in html(client_for(member).get(detail(summit)))
    assert link not in html(client_for(None).get(detail(summit)))
    services.register(actor=member, event=summit)
    assert link in html(client_for(member).get(detail(summit)))


def test_a_draft_or_members_event_does_not_exist_for_those_who_may_not_see_it(
    client_for, secretariat, member
):
    draft = draft_event(secretariat)
    members = published_event(secretariat, audience="members")
    assert client_for(member).get(detail(draft)).status_code == 404
    assert client_for(None).get(detail(members)).status_code == 404
    assert client_for(member).get(detail(members)).status_code == 200
    assert client_for(secretariat).get(detail(draft)).status_code == 200
    assert client_for(None).get(reverse("events:ics", args=[draft.pk])).status_code == 404


def test_signing_up_with_needs(member_client, summit, member, django_capture_on_commit_callbacks):
    page = html(member_client.get(detail(summit)))
    assert 'name="needs"' in page and "erased 30 days after the event" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("events:register", args=[summit.pk]), {"needs": "Vegetarian"}, follow=True
        )
    registration = Registration.objects.get(event=summit, user=member)
    assert registration.status == "registered" and registration.needs == "Vegetarian"
    page = html(response)
    assert "You have a place." in page
    assert "https://meet.example.org/summit" in page
    assert mail.outbox[-1].to == [member.email]


def test_signing_up_twice_is_refused_and_changes_nothing(member_client, summit, member):
    services.register(actor=member, event=summit)
    with unchanged():
        response = member_client.post(reverse("events:register", args=[summit.pk]), {})
    assert response.status_code == 200
    assert "is signed up for this event already" in html(response)


def test_needs_too_long_name_the_field(member_client, summit):
    with unchanged():
        response = member_client.post(
            reverse("events:register", args=[summit.pk]), {"needs": "x" * 1001}
        )
    page = html(response)
    assert 'href="#id_needs"' in page and "Needs (diet, access)" in page


def test_signing_up_after_registration_closed_is_refused(member_client, secretariat):
    event = published_event(secretariat)
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now())
    with unchanged():
        response = member_client.post(reverse("events:register", args=[event.pk]), {})
    assert "Registration has closed." in html(response)
    assert "Registration is not open." in html(member_client.get(detail(event)))


def test_a_full_event_puts_the_next_on_the_waiting_list_with_their_place(
    client_for, summit, member
):
    for person in people(3):
        services.register(actor=person, event=summit)
    client = client_for(member)
    assert "Join the waiting list" in html(client.get(detail(summit)))
    response = client.post(reverse("events:register", args=[summit.pk]), {}, follow=True)
    page = html(response)
    assert "you are on the waiting list" in page
    assert "You are on the waiting list, number 1." in page
    assert "https://meet.example.org/summit" not in page


def test_cancelling_asks_first_then_gives_the_place_to_the_waiting_list(
    client_for, summit, member, django_capture_on_commit_callbacks
):
    first, *others = people(3)
    services.register(actor=member, event=summit)
    for person in others + [first]:
        services.register(actor=person, event=summit)
    waiting = Registration.objects.get(event=summit, user=first)
    assert waiting.status == "waitlisted"
    client = client_for(member)
    url = reverse("events:unregister", args=[summit.pk])
    confirm = html(client.get(url))
    assert "Your place goes to the first person on the waiting list." in confirm
    assert Registration.objects.get(event=summit, user=member).status == "registered"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Your registration is cancelled." in html(response)
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    assert any(first.email in m.to and "A place for you" in m.subject for m in mail.outbox)
    assert "You have a place." in html(client_for(first).get(detail(summit)))


def test_cancelling_without_a_registration_says_so(member_client, summit):
    url = reverse("events:unregister", args=[summit.pk])
    assert "You are not signed up for this event." in html(member_client.get(url))
    with unchanged():
        member_client.post(url)


def test_the_event_calendar_file(client_for, summit, member):
    url = reverse("events:ics", args=[summit.pk])
    response = client_for(None).get(url)
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Nordic Safe Cities Summit"
    assert "meet.example.org" not in response.content.decode()
    services.register(actor=member, event=summit)
    assert "meet.example.org" in client_for(member).get(url).content.decode()


# --- my registrations and calendar feeds ---------------------------------------------------------


def test_my_registrations(client_for, summit):
    (person,) = people(1)
    client = client_for(person)
    empty = html(client.get(reverse("events:mine")))
    assert "You are not signed up for any event." in empty
    services.register(actor=person, event=summit)
    page = html(client.get(reverse("events:mine")))
    assert "Nordic Safe Cities Summit" in page and "Registered" in page


def test_a_feed_address_is_shown_once_then_only_its_prefix(member_client, member):
    response = member_client.post(reverse("events:feeds"))
    token = FeedToken.objects.get(user=member)
    url = response.context["personal_url"]
    assert url.startswith("http://testserver/api/v1/events/feed/cal_") and url.endswith(".ics")
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert FeedToken.digest_of(raw) == token.digest
    again = html(member_client.get(reverse("events:feeds")))
    assert raw not in again and f"{token.prefix}…" in again


def test_revoking_a_feed_address(member_client, member):
    token, _raw = services.create_feed_token(actor=member)
    response = member_client.post(reverse("events:feed-revoke", args=[token.pk]), follow=True)
    assert "no longer opens" in html(response)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert member_client.get(reverse("events:feed-revoke", args=[token.pk])).status_code == 405


def test_nobody_revokes_someone_elses_feed_address(client_for, member, coordinator):
    token, _raw = services.create_feed_token(actor=member)
    with unchanged():
        response = client_for(coordinator).post(reverse("events:feed-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_city_without_listed_events_is_not_offered_as_a_filter(client, calendar):
    page = html(client.get(LIST))
    assert 'value="stockholm"' in page
    unused = Municipality.objects.exclude(events__isnull=False).order_by("slug").first()
    assert f'value="{unused.slug}"' not in page
    assert 'value="oslo"' in page


def test_the_month_grid_shows_each_start_in_the_events_own_zone(member_client, secretariat, demo):
    far = published_event(
        secretariat,
        municipality=demo.stockholm,
        title={"en": "Webinar from Reykjavik"},
        time_zone="Atlantic/Reykjavik",
    )
    starts = timezone.localtime(far.starts_at, ZoneInfo("Atlantic/Reykjavik"))
    page = html(member_client.get(LIST, {"view": "month", "month": f"{starts:%Y-%m}"}))
    assert f"{starts:%H:%M} Webinar from Reykjavik" in page
    oslo = timezone.localtime(far.starts_at, ZoneInfo("Europe/Oslo"))
    assert f"{oslo:%H:%M} Webinar from Reykjavik" not in page
