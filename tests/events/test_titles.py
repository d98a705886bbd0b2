"""An event's title is one line: a line break or a control character in it is refused by the
service and the organising page, naming the field; a title stored with one before that rule
(old rows) still gives a valid `.ics`, and signing up for that event still works and mails it."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from safecities.core.errors import InvalidInput
from safecities.events import ics, services
from safecities.events.models import Event, Registration
from tests.events.conftest import draft_event, published_event
from tests.events.test_views_organise import form_data
from tests.utils import unchanged

BROKEN = "Summit\r\nATTENDEE:mailto:attacker@example.org"


def test_an_old_title_with_a_line_break_still_gives_a_valid_calendar(secretariat):
    event = published_event(secretariat)
    Event.objects.filter(pk=event.pk).update(title={"en": BROKEN})
    event.refresh_from_db()
    data = ics.event_calendar(event, include_online_url=False)
    calendar = Calendar.from_ical(data)
    (vevent,) = calendar.walk("VEVENT")
    assert "\n" not in str(vevent["SUMMARY"]) and "\r" not in str(vevent["SUMMARY"])
    assert "ATTENDEE" not in vevent
    assert "\n" not in str(calendar["X-WR-CALNAME"])
    assert Calendar.from_ical(ics.public_feed([event])).walk("VEVENT")


def test_signing_up_for_such_an_event_works_and_mails_the_calendar(
    client_for, secretariat, member, django_capture_on_commit_callbacks
):
    event = published_event(secretariat)
    Event.objects.filter(pk=event.pk).update(title={"en": BROKEN})
    client = client_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), {})
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, user=member, status="registered").exists()
    assert mail.outbox[-1].to == [member.email]
    assert client.get(reverse("events:ics", args=[event.pk])).status_code == 200


@pytest.mark.parametrize("title", [BROKEN, "Summit\tday", "Summit\x00", "Summit\u2028two"])
def test_the_service_refuses_a_title_that_is_not_one_line(secretariat, title):
    with unchanged(), pytest.raises(InvalidInput) as exc:
        draft_event(secretariat, title={"en": title})
    assert exc.value.field == "title"
    event = draft_event(secretariat)
    with pytest.raises(InvalidInput):
        services.update_event(actor=secretariat, event=event, data={"title": {"en": title}})


def test_the_organising_page_refuses_it_naming_the_field(secretariat_client, demo):
    with unchanged():
        response = secretariat_client.post(
            reverse("events:create"), form_data(demo, title_en="Workshop\r\non hate")
        )
    assert response.status_code == 200
    assert 'href="#id_title_en"' in response.content.decode()
