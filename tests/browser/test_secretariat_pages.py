"""The secretariat's own pages: the audit trail and the shared vocabularies."""

import re

import pytest
from playwright.sync_api import expect

from safecities.charter.models import Term

pytestmark = pytest.mark.browser


def test_secretariat_reads_the_audit_trail_and_adds_a_term(page, demo, axe, login):
    login(page, "secretariat@example.org")
    nav = page.get_by_role("navigation", name="Main")

    nav.locator("summary", has_text="Administration").click()
    nav.get_by_role("link", name="Audit trail").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    # The demo went through the real services, which audit every step.
    expect(page.get_by_role("row").nth(1)).to_be_visible()
    axe(page)
    audit = page.url
    page.goto(audit + "?action=grants.award")
    expect(page.get_by_role("row").filter(has_text="grants.award").first).to_be_visible()
    page.goto(audit + "?action=network")
    expect(page.get_by_role("row").filter(has_text="Stockholm").first).to_be_visible()

    nav.locator("summary", has_text="Administration").click()
    nav.get_by_role("link", name="Vocabularies").click()
    expect(page).to_have_url(re.compile(r"/charter/vocabularies/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared vocabularies")
    axe(page)

    phenomena = page.get_by_role("region", name="Phenomena")
    phenomena.get_by_role("link", name="Add a term").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New term")
    axe(page)

    page.get_by_label("Code").fill("conspiracy-theories")
    page.get_by_label("Name in English").fill("Conspiracy theories")
    page.get_by_label("Name in Norwegian Bokmål").fill("Konspirasjonsteorier")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/charter/vocabularies/$"))
    expect(page.get_by_role("status")).to_contain_text("The term is saved.")
    row = phenomena.get_by_role("row").filter(has_text="conspiracy-theories")
    expect(row).to_contain_text("Conspiracy theories")
    axe(page)
    term = Term.objects.get(vocabulary="phenomenon", code="conspiracy-theories")
    assert term.label["nb"] == "Konspirasjonsteorier"


def test_coordinator_may_not_read_the_audit_trail(page, shared_demo, login):
    login(page, "coordinator@example.org")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("summary", has_text="Administration")).to_have_count(0)
    expect(nav.locator("a", has_text="Audit trail")).to_have_count(0)
    response = page.goto("/audit/")
    assert response.status == 403
