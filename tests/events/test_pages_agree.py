"""The page offers what the service allows, and no more: each button and link asks the same
predicate (`events.states`) the service refuses with."""

from django.urls import reverse

from safecities.events import services
from tests.core.factories import UserFactory
from tests.events.conftest import draft_event, move_to_past, published_event
from tests.utils import unchanged


def html(response) -> str:
    return response.content.decode()


def test_a_draft_that_is_over_offers_no_publish_button(secretariat_client, secretariat):
    """The service refuses to publish an event that is over; the page does not offer it."""
    client = secretariat_client
    event = move_to_past(draft_event(secretariat, title={"en": "Too late to publish"}))
    edit = reverse("events:edit", args=[event.pk])
    page = html(client.get(reverse("events:detail", args=[event.pk])))
    assert edit in page  # the organiser sees the event's actions
    assert reverse("events:publish", args=[event.pk]) not in page
    publish = client.get(reverse("events:publish", args=[event.pk]))
    assert 'id="locked"' in html(publish)
    with unchanged():
        client.post(reverse("events:publish", args=[event.pk]))


def test_a_cancelled_event_offers_no_cancel_my_registration(client, secretariat):
    """The service refuses to cancel a registration to a cancelled event; the page says so
    instead of offering the button."""
    event = published_event(secretariat, title={"en": "Called off"})
    person = UserFactory()
    services.register(actor=person, event=event)
    services.cancel_event(actor=secretariat, event=event, reason="Storm.")
    client.force_login(person)
    page = html(client.get(reverse("events:detail", args=[event.pk])))
    assert 'id="unregister-link"' not in page
    confirm = html(client.get(reverse("events:unregister", args=[event.pk])))
    assert 'id="confirm-unregister"' not in confirm
    assert 'id="locked"' in confirm
