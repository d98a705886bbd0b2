"""The start page a person lands on after login: what needs them now, each item a link to where
it is done."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_coordinator_lands_on_the_start_page_and_follows_a_draft(page, demo, login, axe):
    login(page, "coordinator@example.org")
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you now")
    header_start = page.locator("header").get_by_role("link", name="Start", exact=True)
    expect(header_start).to_have_attribute("aria-current", "page")
    grants = page.get_by_role("region", name="Grant applications and reports")
    expect(grants.get_by_role("link", name="Draft: Safe summer nights")).to_be_visible()
    expect(grants).to_contain_text("overdue since")
    measures = page.get_by_role("region", name="Measures waiting for a progress update")
    expect(measures.get_by_role("link", name="Dialoggrupper i ungdomsskolen")).to_be_visible()
    axe(page)

    page.set_viewport_size({"width": 360, "height": 740})  # a phone
    axe(page)

    grants.get_by_role("link", name="Draft: Safe summer nights").click()
    expect(page).to_have_url(re.compile(r"/grants/applications/\d+/edit/$"))


ROLES = [
    # (login, the panel's name, a link in it, where that link leads)
    (
        "contact@example.org",
        "Your upcoming events",
        "Nordic Safe Cities Summit: the next one",
        r"/events/[\w-]+/$",
    ),
    ("reviewer@example.org", "Reviews to submit", "Dialogue cafés", r"/grants/reviews/\d+/$"),
    (
        "funder@example.org",
        "Decisions, payments and overdue reports",
        "Decide: Neighbourhood hosts Skien",
        r"/grants/applications/\d+/decide/$",
    ),
    (
        "secretariat@example.org",
        "Practices to review",
        "Nabolagsvertskap i Skien",
        r"/practices/\d+/review/$",
    ),
]


@pytest.mark.parametrize(("email", "panel", "link", "leads_to"), ROLES)
def test_each_role_lands_on_what_needs_them(
    page, shared_demo, login, axe, email, panel, link, leads_to
):
    """Each demo role lands on its start page with its own work, on a phone as on a desktop,
    and the item leads to where it is done."""
    login(page, email)
    expect(page).to_have_url(re.compile(r"/start/$"))
    region = page.get_by_role("region", name=panel)
    expect(region.get_by_role("link", name=link)).to_be_visible()
    axe(page)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(region.get_by_role("link", name=link)).to_be_visible()
    axe(page)
    region.get_by_role("link", name=link).click()
    expect(page).to_have_url(re.compile(leads_to))
