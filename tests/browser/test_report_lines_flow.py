"""The grantee's report by budget line and indicator in a real browser, with axe-core on each
page: a spending past a line's approved amount is refused on that line and everything typed
stays; corrected, the report is sent and the award page shows the spending per line. The
decision pack page offers its two downloads."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safecities.grants.models import Award, GrantReport

pytestmark = pytest.mark.browser


def test_a_report_by_budget_line_and_indicator(page, login, axe, demo):
    award = Award.objects.get(application__title="Young voices Oslo East")
    report = award.reports.get(kind=GrantReport.Kind.INTERIM)
    coordinator_line = award.application.budget_lines.get(label="Youth panel coordinator")
    login(page, "coordinator@example.org")
    page.goto(reverse("grants:report", args=[report.pk]))
    axe(page)
    page.get_by_label("What was done").fill("The panel met four times.")
    spend = page.locator(f"#id_spend_{coordinator_line.pk}")
    spend.fill("700000")  # past the line's 650 000
    note = page.get_by_label("People reached by the measures: comment")
    note.fill("About 300 pupils.")
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state()
    error = page.locator(f"#id_spend_{coordinator_line.pk}_error")
    expect(error).to_contain_text("Youth panel coordinator")
    expect(page.locator(f"#id_spend_{coordinator_line.pk}")).to_have_value("700000")  # as typed
    expect(page.get_by_label("People reached by the measures: comment")).to_have_value(
        "About 300 pupils."
    )
    expect(page.get_by_label("What was done")).to_have_value("The panel met four times.")
    axe(page)

    page.locator(f"#id_spend_{coordinator_line.pk}").fill("300000")
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Spent in this report")).to_be_visible()
    axe(page)

    page.goto(reverse("grants:award", args=[award.pk]))
    table = page.locator("#award-spending + .sc-table-wrap")
    expect(table).to_contain_text("Youth panel coordinator")
    expect(table).to_contain_text("350,000")  # left on the line
    expect(page.get_by_text("About 300 pupils.")).to_be_visible()
    axe(page)


def test_the_decision_pack_offers_its_downloads(page, login, axe, shared_demo):
    call = Award.objects.get(application__title="Young voices Oslo East").application.call
    login(page, "funder@example.org")
    page.goto(reverse("grants:decision-pack", args=[call.pk]))
    expect(page.get_by_role("link", name="Download the pack for the board (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="Download the ranking (CSV)")).to_be_visible()
    axe(page)
