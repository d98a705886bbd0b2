"""The secretariat declines a membership application: the application page leads to a page that
says what declining does and asks the reason there; without a reason nothing changes."""

import re

import pytest
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.network.models import MembershipApplication, Municipality
from tests.network.factories import submit_city

pytestmark = pytest.mark.browser


def test_secretariat_declines_through_the_confirmation(page, demo, axe, login):
    application = submit_city(
        actor=User.objects.get(email="coordinator@example.org"),
        municipality=Municipality.objects.get(slug="drammen"),
    )
    login(page, "secretariat@example.org")
    page.goto(f"/membership/applications/{application.pk}/")
    expect(page.locator("#application-status")).to_have_text("Awaiting decision")
    expect(page.get_by_label("Reason")).to_have_count(0)  # asked with the decline, not here

    page.get_by_role("link", name="Decline", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/membership/applications/{application.pk}/decline/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Drammen")
    expect(page.locator("main")).to_contain_text("told by e-mail")
    expect(page.locator("main")).to_contain_text("cannot be taken back")
    axe(page)

    # Without a reason: the field is named, nothing changes.
    page.get_by_role("button", name="Decline the application").click()
    expect(page.locator("#id_reason_error")).to_be_visible()
    axe(page)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED

    page.get_by_label("Reason").fill("The council decision is not signed.")
    page.get_by_role("button", name="Decline the application").click()
    expect(page).to_have_url(re.compile(rf"/membership/applications/{application.pk}/$"))
    expect(page.locator("#application-status")).to_have_text("Declined")
    expect(page.locator("main")).to_contain_text("The council decision is not signed.")
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.DECLINED
