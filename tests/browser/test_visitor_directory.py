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

    nav = page.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="Network").click()
    nav.get_by_role("link", name="Members").click()
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

    nav.locator("summary", has_text="Network").click()
    nav.get_by_role("link", name="Charter").click()
    expect(page).to_have_url(re.compile(r"/charter/$"))
    expect(page.locator(".sc-goal-list > li")).to_have_count(6)
    axe(page)


def test_language_switcher_changes_the_page_language(page, shared_demo, axe):
    page.goto("/charter/")
    switcher = page.locator("header details.sc-language")
    expect(switcher.locator("summary")).to_have_text("Language: English")

    # The switch is a disclosure of one button per language, each in its own language.
    switcher.locator("summary").click()
    switcher.get_by_role("button", name=re.compile("bokmål", re.IGNORECASE)).click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page).to_have_url(re.compile(r"/charter/$"))
    expect(switcher.locator("summary")).to_have_text(re.compile(r": Norsk \(bokmål\)"))
    expect(switcher.locator("button[aria-current=true]")).to_have_attribute("lang", "nb")
    expect(page.locator(".sc-goal-list > li")).to_have_count(6)
    axe(page)

    switcher.locator("summary").click()
    expect(switcher.locator("button[value=sv]")).to_have_attribute("lang", "sv")
    axe(page)  # with the switch open
    switcher.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(switcher.locator("summary")).to_have_text(re.compile(r": Svenska$"))
    expect(page.locator(".sc-goal-list > li")).to_have_count(6)
    axe(page)

    # The choice sticks for the next page the visitor opens.
    page.goto("/members/?country=SE")  # a page of 25 members: Sweden's come after page 1
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
