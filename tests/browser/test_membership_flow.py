"""A city applies for membership after a council decision; the secretariat approves it."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from safecities.demo.pdf import simple_pdf
from safecities.network.models import Membership, MembershipApplication

pytestmark = pytest.mark.browser


def test_city_applies_and_secretariat_approves(page, demo, axe, login, tmp_path):
    not_a_pdf = tmp_path / "decision.txt"
    not_a_pdf.write_text("The council decided to join the network.\n")
    decision = tmp_path / "ks-2026-123.pdf"
    decision.write_bytes(simple_pdf(["Drammen kommune", "Bystyret, sak KS 2026/123"]))
    decided_on = date.today() - timedelta(days=30)
    assert not Membership.objects.filter(municipality__slug="drammen").exists()

    login(page, "coordinator@example.org", check_a11y=True)
    nav = page.get_by_role("navigation", name="Main")

    nav.locator("summary", has_text="Network").click()
    nav.get_by_role("link", name="Become a member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Become a member")
    axe(page)

    page.get_by_role("link", name="Apply for a city").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for a city")
    axe(page)

    def fill_in(document):
        # The registry's long list is narrowed by typing, without regard to case or accents.
        search = page.get_by_label("Find the city by name or official code")
        search.fill("DRÄMM")
        city = page.locator("#id_municipality")
        expect(city.locator("option:checked")).to_have_text(re.compile(r"^Drammen \(\d{4}\)$"))
        expect(page.locator("#" + search.get_attribute("aria-describedby"))).to_contain_text(
            re.compile(r"^1 of \d+ shown$")
        )
        page.get_by_label("Case number").fill("KS 2026/123")
        page.get_by_label("Date of the council decision").fill(decided_on.isoformat())
        page.get_by_label("Council decision (PDF, at most 10 MB)").set_input_files(document)
        page.get_by_label("Contact person").fill("Kari Nordmann")
        page.get_by_label("Contact e-mail").fill("kari.nordmann@example.org")
        page.get_by_label("Motivation").fill("Drammen wants to share its dialogue work.")
        page.get_by_role("button", name="Submit the application").click()

    # A text file passed off as the decision: the form names the field and nothing is created.
    fill_in(not_a_pdf)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Please correct the following")
    expect(alert).to_contain_text("Council decision (PDF, at most 10 MB)")
    expect(alert).to_contain_text("decision.txt is not a PDF file")
    expect(page.locator("#id_decision_document_error")).to_contain_text(
        "decision.txt is not a PDF file"
    )
    expect(page.get_by_label("Case number")).to_have_value("KS 2026/123")
    axe(page)
    assert not MembershipApplication.objects.filter(municipality__slug="drammen").exists()

    fill_in(decision)
    expect(page).to_have_url(re.compile(r"/membership/applications/\d+/$"))
    expect(page.locator("#application-status")).to_have_text("Awaiting decision")
    expect(page.locator(".sc-dl")).to_contain_text("KS 2026/123")
    axe(page)
    application = MembershipApplication.objects.get(municipality__slug="drammen")
    assert application.case_number == "KS 2026/123"
    assert application.decision_date == decided_on

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    login(page, "secretariat@example.org")
    nav.locator("summary", has_text="Administration").click()
    nav.get_by_role("link", name="Membership applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Membership applications")
    row = page.get_by_role("row").filter(has_text="KS 2026/123")
    expect(row).to_contain_text("Awaiting decision")
    axe(page)

    row.get_by_role("link", name="Drammen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Drammen")
    expect(page.locator("#application-status")).to_have_text("Awaiting decision")
    axe(page)

    page.get_by_role("link", name="Approve the membership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the membership of Drammen?")
    axe(page)  # the confirmation: what approving does, who is told
    page.get_by_role("button", name="Approve the membership").click()
    expect(page.locator("#application-status")).to_have_text("Approved")
    expect(page.get_by_role("status")).to_contain_text("Drammen is now a member")
    axe(page)
    assert Membership.objects.filter(municipality__slug="drammen", status="active").exists()

    page.goto("/cities/drammen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drammen")
    expect(page.get_by_role("cell", name="Active")).to_be_visible()
    expect(page.get_by_text("Not a member of the network.")).to_have_count(0)
    axe(page)

    nav.locator("summary", has_text="Network").click()
    nav.get_by_role("link", name="Members").click()
    page.get_by_label("Search").fill("Drammen")
    page.get_by_role("button", name="Show").click()
    member = page.get_by_role("row").filter(has=page.get_by_role("link", name="Drammen"))
    expect(member).to_contain_text("City")
    axe(page)
