"""A visitor reads the network: figures, the member directory, a city, the charter, in any language."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_finds_a_member_city_and_reads_the_charter(page, shared_demo, axe):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    figures = page.locator(".sc-figures li")
    expect(figures).to_have_count(4)
    expect(figures.first).to_contain_text(re.compile(r"[1-9]\d*\s+member cities"))
    axe(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Member directory")
    expect(page.get_by_role("heading", name="Norway")).to_be_visible()
    axe(page)

    page.get_by_label("Country").select_option(label="Sweden")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"country=SE"))
    expect(page.get_by_role("heading", name="Sweden")).to_be_visible()
    expect(page.get_by_role("heading", name="Norway")).to_have_count(0)
    expect(page.get_by_role("link", name="Gothenburg")).to_be_visible()
    axe(page)

    page.get_by_label("Search").fill("Stockholm")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"q=Stockholm"))
    expect(page.get_by_label("Country")).to_have_value("SE")
    expect(page.get_by_role("link", name="Gothenburg")).to_have_count(0)
    axe(page)

    page.get_by_role("main").get_by_role("link", name="Stockholm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cities/stockholm/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stockholm")
    expect(page.locator(".sc-dl")).to_contain_text("Sweden")
    expect(page.get_by_role("cell", name="Active")).to_be_visible()
    axe(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Charter").click()
    expect(page).to_have_url(re.compile(r"/charter/$"))
    expect(page.locator(".sc-goal-list > li")).to_have_count(6)
    axe(page)


def test_language_switcher_changes_the_page_language(page, shared_demo, axe):
    page.goto("/charter/")
    switcher = page.locator("#language-select")
    expect(switcher).to_have_value("en")

    switcher.select_option("nb")
    page.locator("#language-select ~ button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page).to_have_url(re.compile(r"/charter/$"))
    expect(page.locator("#language-select")).to_have_value("nb")
    expect(page.locator("#language-select option:checked")).to_have_text(re.compile("bokmål"))
    expect(page.locator(".sc-goal-list > li")).to_have_count(6)
    axe(page)

    page.locator("#language-select").select_option("sv")
    page.locator("#language-select ~ button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("#language-select option:checked")).to_have_text("Svenska")
    expect(page.locator(".sc-goal-list > li")).to_have_count(6)
    axe(page)

    # The choice sticks for the next page the visitor opens.
    page.goto("/members/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("link", name="Stockholm", exact=True)).to_be_visible()
    axe(page)


def test_home_page_fits_a_phone(new_page, shared_demo, axe):
    page = new_page(viewport={"width": 375, "height": 740})
    page.goto("/")
    expect(page.locator(".sc-figures li")).to_have_count(4)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"The home page is {scroll_width}px wide on a 375px phone."
    axe(page)
