"""The knowledge bank in a browser, as Oslo's coordinator uses it: a search in Swedish finds a
Norwegian practice, a filter by charter goal narrows the results (live, with htmx), the
practice opens in Norwegian and switches to its Swedish translation, and "Adopt this practice"
puts it into Oslo's action plan as a measure. axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from safecities.plans.models import Measure
from safecities.practices.models import Practice
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

NORWEGIAN = "Forebygging av radikalisering i skolen"
SWEDISH = "Förebyggande av radikalisering i skolan"


def test_a_coordinator_finds_a_practice_in_swedish_and_adopts_it(demo, page, login):
    practice = Practice.objects.get(title=NORWEGIAN)
    login(page, "coordinator@example.org")

    # --- search in Swedish, live --------------------------------------------------------------
    page.goto("/practices/")
    run_axe(page)
    page.get_by_label("Search", exact=True).fill("förebyggande")
    results = page.locator("#bank-results")
    expect(results.locator("mark").first).to_be_visible()
    expect(results.get_by_role("link", name=NORWEGIAN)).to_be_visible()
    total_before = page.locator("#results-count").inner_text()

    # --- filter by charter goal ---------------------------------------------------------------
    page.locator("#facet-goal").get_by_label("Strong youth engagement").check()
    expect(page).to_have_url(re.compile(r"goal=strong-youth-engagement"))
    expect(page.locator("#results-count")).not_to_have_text(total_before)
    expect(results.get_by_role("link", name=NORWEGIAN)).to_be_visible()
    expect(results.get_by_role("link", name="Forældrenetværk mod had")).to_have_count(0)
    run_axe(page)

    # --- open the Norwegian practice, switch to Swedish ----------------------------------------
    results.get_by_role("link", name=NORWEGIAN).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NORWEGIAN)
    expect(page.locator("#version-note")).to_contain_text("Original")
    run_axe(page)
    page.locator("#languages").get_by_role("link", name="Svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SWEDISH)
    expect(page.locator("#version-note")).to_contain_text("Anna Lindqvist")
    run_axe(page)

    # --- adopt it into Oslo's plan ------------------------------------------------------------
    page.locator("#adopt-link").click()
    run_axe(page)
    expect(page.get_by_label(re.compile("^Title of the measure"))).to_have_value(SWEDISH)
    page.get_by_label(re.compile("^Add it to the plan")).select_option(index=0)
    page.get_by_role("button", name="Adopt this practice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SWEDISH)
    run_axe(page)
    measure = Measure.objects.get(practice=practice)
    assert measure.plan.municipality.slug == "oslo"
    assert measure.title == SWEDISH

    # --- the practice names the plan that adopted it -------------------------------------------
    page.goto(f"/practices/{practice.pk}/")
    expect(page.locator("#adopting-measures")).to_contain_text("Oslo")
