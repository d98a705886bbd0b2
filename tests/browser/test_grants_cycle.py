"""The whole grant cycle in a browser, by the people who do it: a city applies with an NGO
partner, the secretariat assigns a reviewer, the reviewer scores, the funder awards and sends the
grant agreement, the city accepts it, the funder pays two tranches, the city reports and the
funder accepts the report. axe-core checks each page."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safecities.charter.models import Goal
from safecities.core.models import User
from safecities.core.money import Money
from safecities.grants import services
from safecities.grants.models import Application, GrantReport, Payment, Programme
from safecities.grants.selectors import programme_ledger
from safecities.network.models import Organisation
from tests.browser.conftest import DEMO_PASSWORD, submit
from tests.browser.test_agreement_flow import accept, write_and_send

pytestmark = pytest.mark.browser


def nok(amount) -> Money:
    return Money(Decimal(amount), "NOK")


@pytest.fixture
def call(demo):
    """An open call of the demo's 2024–2026 programme: partnership required, two criteria and a
    required question. Made through the services, as the funder officer would on its pages."""
    officer = User.objects.get(email="funder@example.org")
    programme = Programme.objects.get(slug="safe-cities-norway-2024-2026")
    now = timezone.now()
    call = services.create_call(
        actor=officer,
        programme=programme,
        title={"en": "Bridges between neighbourhoods 2027"},
        text={"en": "Cities and civil society together."},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        max_amount=nok(300_000),
        requires_partnership=True,
        goals=Goal.objects.filter(position__in=[1, 2]),
    )
    services.set_criteria(
        actor=officer,
        call=call,
        criteria=[
            {"name": {"en": "Relevance to the charter"}, "weight": 3},
            {"name": {"en": "Strength of the partnership"}, "weight": 1},
        ],
    )
    services.set_questions(
        actor=officer,
        call=call,
        questions=[{"kind": "text", "label": {"en": "Who takes part?"}, "required": True}],
    )
    return services.open_call(actor=officer, call=call)


def switch(page, login, email: str) -> None:
    """The next person at the keyboard: sign the last one out, sign in."""
    page.context.clear_cookies()
    login(page, email)


def test_apply_review_decide_pay_and_report(page, login, axe, call):
    partner = Organisation.objects.get(slug="ungdom-i-dialog")
    programme = call.programme
    before = programme_ledger(programme)

    # --- the coordinator of Oslo applies, with an NGO partner -----------------------------
    login(page, "coordinator@example.org")
    page.goto(reverse("grants:call", args=[call.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridges between neighbourhoods 2027")
    axe(page)
    page.get_by_role("link", name=re.compile("Apply")).first.click()
    page.get_by_role("group", name=re.compile("Who leads the application")).get_by_label(
        "Oslo"
    ).check()
    page.get_by_label("Project title").fill("Neighbourhood bridges Oslo")
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neighbourhood bridges Oslo")
    axe(page)

    page.get_by_label("Summary").fill("Shared meals and debates across three districts.")
    page.locator("select[name$='party']").first.select_option(label=str(partner))
    page.locator("input[name$='role']").first.fill("Recruits and trains young hosts")
    page.get_by_label("Amount requested (NOK)").fill("200000")
    page.locator("input[name$='label']").nth(0).fill("Hosts")
    page.locator("input[name$='amount']").nth(0).fill("150000")
    page.locator("input[name$='label']").nth(1).fill("Venues and meals")
    page.locator("input[name$='amount']").nth(1).fill("40000")
    page.get_by_label("Project starts").fill("2027-01-01")
    page.get_by_label("Project ends").fill("2027-12-31")
    page.get_by_label(re.compile(str(Goal.objects.get(position=1)))).check()
    page.get_by_label("Who takes part?").fill("Youth clubs, libraries and two mosques.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    application = Application.objects.get(title="Neighbourhood bridges Oslo")
    assert application.status == Application.Status.DRAFT
    assert application.requested == nok(200_000)

    # Submitting is refused while the budget lines do not add up, and nothing changes.
    page.goto(reverse("grants:application-submit", args=[application.pk]))
    axe(page)
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text(re.compile("budget lines add up to")).first).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT

    page.goto(reverse("grants:application-edit", args=[application.pk]))
    page.locator("input[name$='amount']").nth(1).fill("50000")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    # The partner has not confirmed its participation: submitting is refused, naming it.
    page.goto(reverse("grants:application-submit", args=[application.pk]))
    page.get_by_role("button", name="Submit the application").click()
    expect(
        page.get_by_text(re.compile(f"{partner} has not confirmed its participation")).first
    ).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT

    # --- the partner's contact opens the application (a partner sees it) and confirms -----
    contact = User.objects.get(email="ungdom-i-dialog@example.org")  # the demo gives no password
    contact.set_password(DEMO_PASSWORD)
    contact.save(update_fields=["password"])
    switch(page, login, contact.email)
    page.goto(reverse("grants:application", args=[application.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neighbourhood bridges Oslo")
    expect(page.get_by_text("Participation not confirmed yet")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=re.compile("Confirm our participation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Participation of {partner}")
    axe(page)
    page.get_by_role("button", name="Confirm our participation").click()
    expect(page.get_by_text("Participation confirmed")).to_be_visible()

    # --- the lead submits ----------------------------------------------------------------
    switch(page, login, "coordinator@example.org")
    page.goto(reverse("grants:application-submit", args=[application.pk]))
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("Submitted").first).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.versions.count() == 1
    axe(page)

    # --- the secretariat assigns a reviewer -----------------------------------------------
    switch(page, login, "secretariat@example.org")
    page.goto(reverse("grants:call-applications", args=[call.pk]))
    axe(page)
    page.goto(reverse("grants:application-reviewers", args=[application.pk]))
    page.get_by_label(re.compile("Reviewer")).select_option(
        label="Jens Hansen (reviewer@example.org)"
    )
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("cell", name=re.compile("Jens Hansen")).first).to_be_visible()
    axe(page)

    # --- the reviewer scores --------------------------------------------------------------
    switch(page, login, "reviewer@example.org")
    page.goto(reverse("grants:my-reviews"))
    page.get_by_role("link", name="Neighbourhood bridges Oslo").click()
    axe(page)
    page.get_by_role("group", name=re.compile("Relevance to the charter")).get_by_label("4").check()
    page.get_by_role("group", name=re.compile("Strength of the partnership")).get_by_label(
        "5"
    ).check()
    page.get_by_role("group", name=re.compile("Recommendation")).get_by_label(
        "Fund", exact=True
    ).check()
    page.get_by_label("Comment").fill("A strong local partnership.")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text(re.compile("submitted", re.I)).first).to_be_visible()

    # --- the funder officer decides from the decision pack and pays two tranches ----------
    switch(page, login, "funder@example.org")
    page.goto(reverse("grants:decision-pack", args=[call.pk]))
    expect(page.get_by_role("cell", name="4.25")).to_be_visible()  # (4×3 + 5×1) / 4
    axe(page)
    page.goto(reverse("grants:application-decide", args=[application.pk]))
    axe(page)
    page.get_by_label(re.compile("Amount")).first.fill("180000")
    page.get_by_label(re.compile("Conditions")).fill("Report attendance per district.")
    page.get_by_role("button", name="Continue to award").click()
    axe(page)
    page.get_by_role("button", name=re.compile("award", re.I)).last.click()
    expect(page.get_by_text(re.compile(r"NOK\s180,000")).first).to_be_visible()
    award = Application.objects.get(pk=application.pk).award
    assert award.amount == nok(180_000)
    assert programme_ledger(programme)["awarded"] == before["awarded"] + nok(180_000)

    # --- the grant agreement: written and sent by the funder, accepted by the city ---------
    write_and_send(page, axe, award, wrong=("150000", "50000"), right=("140000", "40000"))
    switch(page, login, "coordinator@example.org")
    accept(page, axe, award)
    switch(page, login, "funder@example.org")

    for label, amount in (("First tranche", "100000"), ("Second tranche", "80000")):
        page.goto(reverse("grants:payment-schedule", args=[award.pk]))
        page.get_by_label(re.compile("Tranche")).fill(label)
        page.get_by_label(re.compile("Amount")).fill(amount)
        page.get_by_label(re.compile("Due")).fill("2027-02-01")
        submit(page, page.get_by_role("button", name="Schedule the payment"))
        payment = Payment.objects.get(award=award, label=label)
        page.goto(reverse("grants:payment-paid", args=[payment.pk]))
        submit(page, page.get_by_role("button", name=re.compile("paid", re.I)).last)
        payment.refresh_from_db()
        assert payment.status == Payment.Status.PAID

    # A third tranche would pay more than the award: refused, naming the amount.
    page.goto(reverse("grants:payment-schedule", args=[award.pk]))
    page.get_by_label(re.compile("Amount")).fill("1")
    page.get_by_label(re.compile("Due")).fill("2027-03-01")
    page.get_by_role("button", name="Schedule the payment").click()
    expect(page.locator("#id_amount_error")).to_contain_text("left to pay")
    assert award.payments.count() == 2
    page.goto(reverse("grants:award", args=[award.pk]))
    axe(page)

    # --- the city reports -----------------------------------------------------------------
    report = award.reports.get(kind=GrantReport.Kind.FINAL)
    switch(page, login, "coordinator@example.org")
    page.goto(reverse("grants:report", args=[report.pk]))
    axe(page)
    page.get_by_label("What was done").fill("Twelve shared meals, four debates.")
    page.get_by_label("Results").fill("300 residents took part; two new youth hosts per district.")
    spends = page.get_by_label(re.compile("Spent on"))  # a row per approved budget line
    spends.nth(0).fill("135000")  # within the agreement's 140 000 and 40 000
    spends.nth(1).fill("40000")
    submit(page, page.get_by_role("button", name="Submit the report"))
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED
    assert report.spent == nok(175_000)

    # --- the funder accepts it; the programme overview shows the money --------------------
    switch(page, login, "funder@example.org")
    page.goto(reverse("grants:report", args=[report.pk]))
    page.get_by_role("link", name="Accept report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept the final report")
    axe(page)  # the confirmation: what accepting does
    page.get_by_role("button", name="Accept the report").click()
    expect(page.get_by_role("status")).to_contain_text("is accepted")
    report.refresh_from_db()
    assert report.status == GrantReport.Status.ACCEPTED

    page.goto(reverse("grants:programme", args=[programme.slug]))
    axe(page)
    ledger = programme_ledger(programme)
    assert ledger["paid"] == before["paid"] + nok(180_000)
    budget = page.get_by_role("figure").first
    paid = str(ledger["paid"]).replace("\u00a0", " ").replace("\u202f", " ")
    expect(budget).to_contain_text(re.compile(re.escape(paid).replace("\\ ", r"\s")))
