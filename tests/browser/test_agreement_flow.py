"""The grant agreement in a browser: the funder officer writes the draft (a budget that does not
add up to the award is refused, keeping what was typed), adds an interim report and sends it;
the lead's coordinator reads it and accepts it through a confirmation; only then are payments
marked paid. axe-core checks each page."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.grants import services
from safecities.grants.models import Agreement, GrantReport
from safecities.network.models import Municipality, Organisation
from tests.browser.conftest import submit
from tests.grants.factories import (
    finish_review,
    make_application,
    make_open_call,
    make_programme,
    nok,
)

pytestmark = pytest.mark.browser

TERMS = "The grant pays for the project as applied for. Report attendance per district."


def switch(page, login, email: str) -> None:
    """The next person at the keyboard: sign the last one out, sign in."""
    page.context.clear_cookies()
    login(page, email)


def write_and_send(page, axe, award, *, wrong: tuple[str, ...], right: tuple[str, ...]) -> None:
    """As the funder officer: from the award to the agreement, the draft refused with the
    `wrong` approved amounts (one per budget line) and saved with the `right` ones and an
    interim report, then sent through its confirmation."""
    page.goto(reverse("grants:award", args=[award.pk]))
    expect(page.locator("#agreement-status")).to_contain_text("Draft")
    page.get_by_role("link", name="Read the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grant agreement")
    axe(page)
    page.get_by_role("link", name="Edit the agreement").click()
    axe(page)
    page.get_by_label("Terms").fill(TERMS)
    for n, amount in enumerate(wrong, start=1):
        page.get_by_label(re.compile(f"Approved for line {n},")).fill(amount)
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_role("alert").first).to_contain_text("add up to")
    expect(page.get_by_label("Terms")).to_have_value(TERMS)  # what was typed is kept
    axe(page)
    assert Agreement.objects.get(award=award).terms == ""
    for n, amount in enumerate(right, start=1):
        page.get_by_label(re.compile(f"Approved for line {n},")).fill(amount)
    new_row = page.locator("select[name$='-kind']").last
    new_row.select_option(label="Interim report")
    page.locator("input[name$='-due_on']").last.fill("2027-06-30")
    submit(page, page.get_by_role("button", name="Save the agreement"))
    expect(page.get_by_text("The agreement is saved.")).to_be_visible()
    assert award.reports.filter(kind=GrantReport.Kind.INTERIM, due_on=date(2027, 6, 30)).exists()

    page.get_by_role("link", name="Send to the grantee").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Send the agreement")
    axe(page)
    submit(page, page.get_by_role("button", name="Send the agreement"))
    expect(page.get_by_text("The agreement is sent to the grantee.")).to_be_visible()
    assert Agreement.objects.get(award=award).status == Agreement.Status.SENT


def accept(page, axe, award) -> None:
    """As the lead's coordinator: the agreement read and accepted through its confirmation."""
    page.goto(reverse("grants:agreement", args=[award.pk]))
    expect(page.locator("#terms")).to_contain_text("Report attendance per district")
    axe(page)
    page.get_by_role("link", name="Accept the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept the agreement")
    axe(page)
    submit(page, page.get_by_role("button", name="Accept the agreement"))
    expect(page.get_by_text("You have accepted the grant agreement.")).to_be_visible()
    axe(page)


@pytest.fixture
def award(demo):
    """Oslo asked for 200,000 (150,000 + 50,000) and was awarded 180,000: the approved budget
    is for the programme to set."""
    officer = User.objects.get(email="funder@example.org")
    coordinator = User.objects.get(email="coordinator@example.org")
    funder = Organisation.objects.get(slug="gjensidigestiftelsen")
    programme = make_programme(actor=officer, funder=funder, name="Agreement programme")
    call = make_open_call(actor=officer, programme=programme, max_amount=nok(300_000))
    application = make_application(
        actor=coordinator,
        call=call,
        requested=nok(200_000),
        lead_municipality=Municipality.objects.get(slug="oslo"),
        budget_lines=[("Hosts", nok(150_000)), ("Venues and meals", nok(50_000))],
    )
    application = services.submit_application(actor=coordinator, application=application)
    finish_review(application, actor=officer)
    return services.award_grant(application=application, amount=nok(180_000), actor=officer)


def test_the_agreement_is_written_sent_and_accepted_before_paying(page, login, axe, award):
    officer = User.objects.get(email="funder@example.org")
    payment = services.schedule_payment(
        award=award, amount=nok(90_000), due_on=date(2027, 2, 1), actor=officer
    )
    login(page, "funder@example.org")
    page.goto(reverse("grants:award", args=[award.pk]))
    expect(page.locator("#not-payable")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Mark as paid"))).to_have_count(0)
    axe(page)
    write_and_send(page, axe, award, wrong=("150000", "50000"), right=("140000", "40000"))

    switch(page, login, "coordinator@example.org")
    accept(page, axe, award)
    agreement = Agreement.objects.get(award=award)
    assert agreement.status == Agreement.Status.ACCEPTED
    assert agreement.accepted_by.email == "coordinator@example.org"

    switch(page, login, "funder@example.org")
    page.goto(reverse("grants:award", args=[award.pk]))
    expect(page.locator("#agreement-status")).to_contain_text("Accepted")
    page.get_by_role("link", name=re.compile("Mark as paid")).click()
    axe(page)
    submit(page, page.get_by_role("button", name=re.compile("paid", re.I)).last)
    payment.refresh_from_db()
    assert payment.status == "paid"
