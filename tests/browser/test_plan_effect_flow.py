"""A city shows whether its work changes anything, in a browser, as Oslo's coordinator does it:
a new action plan with a measure that names the outcome it aims to move and one that names
none, the adoption (the page says why not while the old plan is in force, then recorded once it is archived),
this year's figure imported from a JSON-stat file as the statistics office serves it, and the
effect page with the change since baseline against the target. axe-core checks each page."""

import json
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from safecities.demo.pdf import simple_pdf
from safecities.indicators.models import Import, Indicator, Observation
from safecities.network.models import Country
from safecities.plans.models import ActionPlan, Measure, MeasureIndicator
from tests.browser.conftest import run_axe, submit

pytestmark = pytest.mark.browser

TITLE = "Trygg by 2027–2030"
# Reported hate crimes per 100,000 inhabitants in Oslo, as a statistics office's JSON-stat
# dataset: one place, two periods, and a content dimension with the count beside the rate.
JSONSTAT = {
    "version": "2.0",
    "class": "dataset",
    "label": "Anmeldt hatkriminalitet",
    "source": "Statistikkbanken (test)",
    "id": ["Region", "ContentsCode", "Tid"],
    "size": [1, 2, 2],
    "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
    "dimension": {
        "Region": {
            "label": "region",
            "category": {"index": {"0301": 0}, "label": {"0301": "Oslo"}},
        },
        "ContentsCode": {
            "label": "statistikkvariabel",
            "category": {
                "index": {"Hatkrim": 0, "HatkrimPer100k": 1},
                "label": {"Hatkrim": "Anmeldt", "HatkrimPer100k": "Per 100 000 innbyggere"},
            },
        },
        "Tid": {
            "label": "år",
            "category": {
                "index": {"2026": 0, "2027": 1},
                "label": {"2026": "2026", "2027": "2027"},
            },
        },
    },
    "value": [480, 460, 67.5, 64.2],
}


def field(page, label: str):
    """A form field by its label, which may end in "(required)"."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def _fill_date(page, label: str, day: date) -> None:
    field(page, label).fill(day.isoformat())


def test_a_coordinator_adopts_a_plan_imports_figures_and_sees_the_effect(
    demo, page, login, tmp_path
):
    old_plan = ActionPlan.objects.get(municipality__slug="oslo", status="adopted")
    login(page, "coordinator@example.org")

    # --- a new draft plan for Oslo -------------------------------------------------------
    page.goto("/plans/")
    run_axe(page)
    page.get_by_role("link", name="New plan").first.click()
    field(page, "City").select_option(label="Oslo")
    field(page, "Title").fill(TITLE)
    _fill_date(page, "From", date(2027, 1, 1))
    _fill_date(page, "Until", date(2030, 12, 31))
    run_axe(page)
    submit(page, page.get_by_role("button", name="Create the draft"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    plan = ActionPlan.objects.get(title=TITLE)
    assert plan.status == "draft"
    # The new draft opens for writing: one text per charter goal, after the network template.
    run_axe(page)
    page.get_by_label(re.compile("^Safe urban spaces")).fill(
        "Færre skal oppleve hat i nabolaget; vi måler anmeldt hatkriminalitet."
    )
    submit(page, page.get_by_role("button", name=re.compile("Save")))
    expect(page.locator("main")).to_contain_text("Færre skal oppleve hat i nabolaget")
    run_axe(page)

    # --- a measure aimed at an outcome, and one that names none ----------------------------
    page.get_by_role("link", name=re.compile("Add a measure", re.I)).first.click()
    field(page, "Title").fill("Nabolagsvandringer mot hat")
    page.get_by_label("Safe urban spaces").check()
    run_axe(page)
    submit(page, page.get_by_role("button", name="Add the measure"))
    measure = Measure.objects.get(plan=plan, title="Nabolagsvandringer mot hat")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nabolagsvandringer")

    expect(page.locator("#no-outcome")).to_be_visible()  # said plainly until one is named
    page.get_by_text("Link an indicator").click()
    field(page, "Indicator").select_option("hate-crime-rate")
    page.get_by_label("Outcome it aims to move").check()
    field(page, "Decrease").check()
    submit(page, page.get_by_role("button", name="Link the indicator"))
    expect(page.locator("main")).to_contain_text("Reported hate crimes per 100,000 inhabitants")
    link = MeasureIndicator.objects.get(measure=measure)
    assert (link.indicator.code, link.role, link.direction) == (
        "hate-crime-rate",
        "outcome",
        "decrease",
    )
    expect(page.locator("#no-outcome")).to_have_count(0)
    run_axe(page)

    page.get_by_text("Post a progress update").click()
    _fill_date(page, "Date", date(2026, 11, 15))
    field(page, "What happened").fill("Første vandring på Grünerløkka med 40 naboer.")
    page.get_by_label("Ongoing", exact=True).check()
    submit(page, page.get_by_role("button", name="Post the update"))
    expect(page.locator("#updates")).to_contain_text("Første vandring")
    measure.refresh_from_db()
    assert measure.status == "ongoing"

    page.goto(f"/plans/{plan.pk}/measures/new/")
    field(page, "Title").fill("Foreldrekafé")
    page.get_by_label("Safe urban spaces").check()
    submit(page, page.get_by_role("button", name="Add the measure"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Foreldrekafé")

    # --- adoption: the page says why not while the old plan is in force ----------------------
    document = tmp_path / "trygg-by.pdf"
    document.write_bytes(simple_pdf(["Trygg by 2027–2030", "Vedtatt av bystyret"]))

    def adopt():
        page.goto(f"/plans/{plan.pk}/adopt/")
        field(page, "Adopted by").fill("Bystyret")
        _fill_date(page, "Adopted on", date(2026, 11, 1))
        field(page, "Case number").fill("26/1234")
        field(page, "The adopted plan (PDF)").set_input_files(str(document))
        page.get_by_label(re.compile("I confirm that the plan was adopted")).check()
        submit(page, page.get_by_role("button", name="Record the adoption"))

    page.goto(f"/plans/{plan.pk}/adopt/")
    expect(page.locator("#locked")).to_contain_text("already has an adopted plan")
    expect(page.get_by_role("button", name="Record the adoption")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.status == "draft"
    run_axe(page)

    page.goto(f"/plans/{old_plan.pk}/archive/")
    run_axe(page)
    submit(page, page.get_by_role("button", name="Archive the plan"))
    old_plan.refresh_from_db()
    assert old_plan.status == "archived"

    adopt()
    expect(page.locator("main")).to_contain_text("Bystyret")
    plan.refresh_from_db()
    assert (plan.status, plan.case_number) == ("adopted", "26/1234")
    run_axe(page)

    # --- this year's figures from a JSON-stat file -----------------------------------------
    upload = tmp_path / "08487.json"
    upload.write_text(json.dumps(JSONSTAT), encoding="utf-8")
    page.goto("/indicators/imports/new/")
    run_axe(page)
    field(page, "Indicator").select_option(str(Indicator.objects.get(code="hate-crime-rate").pk))
    field(page, "File").set_input_files(str(upload))
    submit(page, page.get_by_role("button", name="Upload and check"))

    field(page, "Country of the municipality codes").select_option(
        str(Country.objects.get(code="NO").pk)
    )
    page.get_by_label("statistikkvariabel (ContentsCode)").select_option("HatkrimPer100k")
    run_axe(page)
    submit(page, page.get_by_role("button", name="Check and preview"))
    expect(page.locator("main")).to_contain_text("2026")
    run_axe(page)
    submit(page, page.get_by_role("button", name="Commit the import"))
    expect(page.locator("main")).to_contain_text(re.compile("Committed", re.I))
    imported = Import.objects.get(filename="08487.json", status="committed")
    assert imported.created_count == 2
    oslo_2027 = Observation.objects.get(
        indicator__code="hate-crime-rate", municipality__slug="oslo", district="", period="2027"
    )
    assert str(oslo_2027.value).rstrip("0").rstrip(".") == "64.2"
    run_axe(page)

    # --- the effect page ------------------------------------------------------------------
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name=re.compile("effect", re.I)).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Nabolagsvandringer mot hat")
    expect(main).to_contain_text("Reported hate crimes per 100,000 inhabitants")
    expect(main).to_contain_text("64.2")  # the imported latest figure, against Oslo's target
    expect(main).to_contain_text("2027")
    expect(main.locator("text=Foreldrekafé").first).to_be_visible()
    expect(main).to_contain_text(re.compile("no outcome indicator", re.I))
    run_axe(page)
