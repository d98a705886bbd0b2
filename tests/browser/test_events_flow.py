"""Signing up for an event in a browser until it is full: with two places, Oslo's coordinator
and the Nuorten ääni contact get them, the member lands on the waiting list; the coordinator
cancels (after a confirmation), and the member is promoted and told — by mail and on the
event's page. axe-core checks each page on the way."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.events import services
from safecities.events.models import Registration
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

TITLE = "Workshop: two places"


@pytest.fixture
def event(demo):
    secretariat = User.objects.get(email="secretariat@example.org")
    starts = (timezone.now() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    event = services.create_event(
        actor=secretariat,
        data={
            "type": "workshop",
            "title": {"en": TITLE},
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "venue": "Oslo City Hall",
            "online_url": "https://meet.example.org/two-places",
            "capacity": 2,
        },
    )
    return services.publish_event(actor=secretariat, event=event)


def sign_up(page, path: str, *, needs: str = "") -> None:
    page.goto(path)
    run_axe(page)
    if needs:
        page.locator("#id_needs").fill(needs)
    page.locator("#register-button").click()
    expect(page.locator("#my-status")).to_be_visible()
    run_axe(page)


def test_register_until_full_wait_and_be_promoted(event, new_page, login):
    path = f"/events/{event.pk}/"
    coordinator, contact, member = new_page(), new_page(), new_page()
    login(coordinator, "coordinator@example.org")
    login(contact, "contact@example.org")
    login(member, "member@example.org")

    # --- two places, two people --------------------------------------------------------------
    sign_up(coordinator, path, needs="Vegetarian")
    expect(coordinator.locator("#my-status")).to_have_text("You have a place.")
    expect(coordinator.locator("#online-link")).to_contain_text("meet.example.org")
    sign_up(contact, path)
    expect(contact.locator("#my-status")).to_have_text("You have a place.")
    expect(contact.locator("#places")).to_have_text("2 places, 0 left")

    # --- full: the third waits -----------------------------------------------------------------
    member.goto(path)
    expect(member.locator("#register-button")).to_have_text("Join the waiting list")
    sign_up(member, path)
    expect(member.locator("#my-status")).to_contain_text("You are on the waiting list, number 1.")
    expect(member.locator("#online-link")).not_to_contain_text("meet.example.org")
    assert Registration.objects.get(event=event, user__email="member@example.org").status == (
        "waitlisted"
    )

    # --- one cancels, after a confirmation -----------------------------------------------------
    mail.outbox.clear()
    coordinator.locator("#unregister-link").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Cancel my registration")
    run_axe(coordinator)
    coordinator.locator("#confirm-unregister").click()
    expect(coordinator.get_by_text("Your registration is cancelled.")).to_be_visible()
    expect(coordinator.locator("#register-button")).to_be_visible()  # the place is gone
    run_axe(coordinator)

    # --- the next is promoted and told ---------------------------------------------------------
    promoted = Registration.objects.get(event=event, user__email="member@example.org")
    assert promoted.status == "registered"
    told = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert told and TITLE in told[0].subject and "A place for you" in told[0].subject
    member.reload()
    expect(member.locator("#my-status")).to_have_text("You have a place.")
    expect(member.locator("#online-link")).to_contain_text("meet.example.org")
    run_axe(member)
    member.goto("/events/mine/")
    expect(member.locator("#registrations")).to_contain_text(TITLE)
    run_axe(member)
