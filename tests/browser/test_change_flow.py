"""A change to an accepted grant agreement, in a browser: Oslo's coordinator asks to move money
between two budget lines (a first try that does not add up keeps what was typed), and the
funder's officer approves it against the agreement as it stands. axe-core checks each page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.grants.models import ChangeRequest
from tests.browser.conftest import submit
from tests.conftest import demo_namespace
from tests.grants.agreement_helpers import accepted_award
from tests.grants.factories import make_programme

pytestmark = pytest.mark.browser


@pytest.fixture
def award(demo):
    names = demo_namespace()
    officer = User.objects.get(email="funder@example.org")
    return accepted_award(
        demo=names,
        officer=officer,
        coordinator=User.objects.get(email="coordinator@example.org"),
        reviewer=User.objects.get(email="reviewer@example.org"),
        programme=make_programme(actor=officer, funder=names.funder, name="Change flow programme"),
    )


def switch(page, login, email: str) -> None:
    """The next person at the keyboard: sign the last one out, sign in."""
    page.context.clear_cookies()
    login(page, email)


def test_a_reallocation_is_requested_and_approved(page, login, axe, award):
    award_url = reverse("grants:award", args=[award.pk])

    # --- Oslo's coordinator asks for the change -------------------------------------------
    login(page, "coordinator@example.org")
    page.goto(award_url)
    expect(page.locator("#no-changes")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Request a change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Request a change")
    axe(page)
    page.get_by_label("Budget reallocation").check()
    page.get_by_label("Why is the change needed?").fill("The venues were lent for free.")
    facilitators = page.get_by_label("New amount for “Facilitators” (NOK)")
    venues = page.get_by_label("New amount for “Venues” (NOK)")
    facilitators.fill("85000")
    venues.fill("20000")
    submit(page, page.get_by_role("button", name="Send the request"))
    expect(page.locator("#form-errors")).to_contain_text("must add up to the award")
    expect(facilitators).to_have_value("85000")
    expect(venues).to_have_value("20000")
    expect(page.get_by_label("Why is the change needed?")).to_have_value(
        "The venues were lent for free."
    )
    axe(page)
    assert not ChangeRequest.objects.filter(award=award).exists()
    facilitators.fill("80000")
    submit(page, page.get_by_role("button", name="Send the request"))
    expect(page.locator("#changes")).to_contain_text("Budget reallocation")
    expect(page.locator("#changes")).to_contain_text("Submitted")
    axe(page)

    # --- the funder's officer approves it ---------------------------------------------------
    switch(page, login, "funder@example.org")
    page.goto(award_url)
    page.locator("#changes").get_by_role("link", name="Decide").click()
    expect(page.locator("#line-changes")).to_contain_text("80,000")
    axe(page)
    page.get_by_label("Note to the grantee").fill("Agreed at the board meeting.")
    submit(page, page.get_by_role("button", name="Approve the change"))
    expect(page.locator("#changes")).to_contain_text("Approved")
    expect(page.locator("#changes")).to_contain_text("Agreed at the board meeting.")
    axe(page)
    approved = {line.label: line.approved_minor for line in award.application.budget_lines.all()}
    assert approved == {"Facilitators": 8_000_000, "Venues": 2_000_000}
