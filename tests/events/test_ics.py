"""Calendar files: one event, the public feed, one's private feed and the tokens that open it.
Each is read back with the `icalendar` library, as a calendar would import it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from icalendar import Calendar

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.events import ics, selectors, services
from safecities.events.errors import InvalidFeedToken
from safecities.events.models import FeedToken
from tests.events.conftest import draft_event, people, published_event
from tests.utils import unchanged

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def vevents(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_an_events_file_parses_with_its_start_in_the_events_time_zone(secretariat):
    starts = datetime(2031, 5, 20, 9, 30, tzinfo=STOCKHOLM)
    event = published_event(
        secretariat,
        starts_at=starts,
        ends_at=datetime(2031, 5, 21, 16, 0, tzinfo=STOCKHOLM),
        online_url="https://meet.example.org/summit",
    )
    calendar = Calendar.from_ical(ics.event_calendar(event, include_online_url=False))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert vevent.decoded("DTSTART") == starts
    assert vevent.decoded("DTSTART").utcoffset().total_seconds() == 2 * 3600  # summer time
    assert vevent.decoded("DTSTART").hour == 9
    assert str(vevent["SUMMARY"]) == "Nordic Safe Cities Summit"
    assert str(vevent["LOCATION"]) == "Stockholm City Hall"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["UID"]).startswith(f"event-{event.pk}@")
    assert "URL" not in vevent and "meet.example.org" not in str(vevent.get("DESCRIPTION"))

    (with_link,) = vevents(ics.event_calendar(event, include_online_url=True))
    assert str(with_link["URL"]) == "https://meet.example.org/summit"


def test_the_file_is_in_the_language_asked_for(secretariat):
    event = draft_event(secretariat)
    (vevent,) = vevents(ics.event_calendar(event, include_online_url=False, language="nb"))
    assert str(vevent["SUMMARY"]) == "Nordisk toppmøte"


def test_the_public_feed_has_the_public_events_and_never_a_link(secretariat, member):
    public = published_event(secretariat, online_url="https://meet.example.org/a")
    published_event(secretariat, audience="members", title={"en": "For members"})
    draft_event(secretariat, title={"en": "A draft"})
    cancelled = services.cancel_event(
        actor=secretariat, event=published_event(secretariat, title={"en": "Called off"})
    )
    data = ics.public_feed(selectors.public_events())
    events = {str(v["SUMMARY"]): v for v in vevents(data)}
    assert set(events) == {"Nordic Safe Cities Summit", "Called off"}
    assert str(events["Called off"]["STATUS"]) == "CANCELLED"
    assert b"meet.example.org" not in data
    assert {str(v["UID"]) for v in events.values()} == {
        f"event-{public.pk}@{ics._host()}",
        f"event-{cancelled.pk}@{ics._host()}",
    }


def test_the_personal_feed_has_ones_own_registrations(secretariat, member):
    full = published_event(
        secretariat, capacity=1, title={"en": "Full"}, online_url="https://x.org/f"
    )
    open_ = published_event(secretariat, title={"en": "Open"}, online_url="https://x.org/o")
    published_event(secretariat, title={"en": "Not mine"})
    services.register(actor=people(1)[0], event=full)
    services.register(actor=member, event=full)  # waiting list
    services.register(actor=member, event=open_)
    events = {str(v["SUMMARY"]): v for v in vevents(ics.personal_feed(member))}
    assert set(events) == {"Full", "Open"}
    assert str(events["Open"]["STATUS"]) == "CONFIRMED"
    assert str(events["Open"]["URL"]) == "https://x.org/o"
    assert str(events["Full"]["STATUS"]) == "TENTATIVE" and "URL" not in events["Full"]


# --- feed tokens -------------------------------------------------------------------------------


def test_a_feed_token_opens_its_owners_feed_and_only_its_hash_is_kept(member):
    token, raw = services.create_feed_token(actor=member)
    assert selectors.user_for_feed_token(raw) == member
    assert token.digest == FeedToken.digest_of(raw) and raw not in token.digest
    assert not FeedToken.objects.filter(digest=raw).exists()
    audit = AuditEvent.objects.get(action="events.feed_token.create")
    assert raw not in str(audit.changes)


@pytest.mark.parametrize("raw", ["", "cal_wrong", None, 42])
def test_a_wrong_token_is_refused_clearly(demo, raw):
    with pytest.raises(InvalidFeedToken) as error:
        selectors.user_for_feed_token(raw)
    assert isinstance(error.value, InvalidInput)
    assert error.value.field == "token" and "not valid" in error.value.message


def test_a_revoked_token_is_refused_clearly(member):
    token, raw = services.create_feed_token(actor=member)
    services.revoke_feed_token(actor=member, token=token)
    with pytest.raises(InvalidFeedToken) as error:
        selectors.user_for_feed_token(raw)
    assert "revoked" in error.value.message
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.revoke_feed_token(actor=member, token=token)
    assert error.value.field == "token"


def test_only_the_owner_revokes_a_token(member, secretariat):
    token, raw = services.create_feed_token(actor=member)
    with unchanged(), pytest.raises(NotAllowed):
        services.revoke_feed_token(actor=secretariat, token=token)
    assert selectors.user_for_feed_token(raw) == member


def test_a_visitor_has_no_feed_token(demo):
    with unchanged(), pytest.raises(NotAllowed):
        services.create_feed_token(actor=AnonymousUser())
