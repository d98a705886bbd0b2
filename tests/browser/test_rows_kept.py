"""Nothing typed is lost, in a browser: rows added to a grant application survive its autosaves,
later changes, "Save draft" and a reload; a save that fails (refused, a server error, the network,
an ended session) says so and keeps what was typed; the other pages with repeating rows (a
call's criteria and questions, a grantee report's links) keep every row through a refused save."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.core.money import Money
from safecities.grants import services
from safecities.grants.models import Application, GrantReport, Programme
from safecities.network.models import Municipality, Organisation
from tests.grants.factories import finish_review

pytestmark = pytest.mark.browser

SAVED = re.compile(r"Saved at \d\d:\d\d")
FAILED = "Not saved: the connection, the server or your session failed."


def nok(amount) -> Money:
    return Money(Decimal(amount), "NOK")


@pytest.fixture
def officer(demo):
    return User.objects.get(email="funder@example.org")


@pytest.fixture
def call(officer):
    """A draft call of the demo's 2024–2026 programme, opened by the tests that need it."""
    now = timezone.now()
    return services.create_call(
        actor=officer,
        programme=Programme.objects.get(slug="safe-cities-norway-2024-2026"),
        title={"en": "Rows kept 2027"},
        text={"en": "Cities and civil society together."},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        max_amount=nok(300_000),
    )


@pytest.fixture
def draft(officer, call):
    """An application of Oslo's coordinator with one saved budget line and no partners."""
    services.open_call(actor=officer, call=call)
    return services.create_application(
        actor=User.objects.get(email="coordinator@example.org"),
        call=call,
        title="Neighbourhood bridges Oslo",
        lead_municipality=Municipality.objects.get(slug="oslo"),
        requested=nok(200_000),
        budget_lines=[("Hosts", nok(150_000))],
    )


def is_autosave(value: str):
    """The autosave request that posts a field holding `value`: the one after the last change."""

    def match(response) -> bool:
        request = response.request
        return (
            request.method == "POST"
            and request.headers.get("hx-request") == "true"
            and f"\r\n\r\n{value}\r\n" in (request.post_data or "")
        )

    return match


def saved_rows(application) -> tuple[list, list]:
    application = Application.objects.get(pk=application.pk)
    partners = [(str(p.party), p.role) for p in application.partners.all()]
    lines = [(b.label, b.amount_minor) for b in application.budget_lines.all()]
    return partners, lines


def test_rows_survive_autosaves_later_changes_save_and_reload(page, login, axe, draft):
    ngo = Organisation.objects.get(slug="ungdom-i-dialog")
    city = Municipality.objects.get(slug="drammen")
    expected = (
        [(str(ngo), "Trains young hosts"), (str(city), "Second city")],
        [("Hosts", 15_000_000), ("Venues", 3_000_000), ("Meals", 2_000_000)],
    )
    login(page, "coordinator@example.org")
    page.goto(reverse("grants:application-edit", args=[draft.pk]))
    status = page.locator("#autosave-status")

    parties, roles = page.locator("select[name$='-party']"), page.locator("input[name$='-role']")
    labels, amounts = page.locator("input[name$='-label']"), page.locator("input[name$='-amount']")
    parties.nth(0).select_option(label=str(ngo))
    roles.nth(0).fill("Trains young hosts")
    parties.nth(1).select_option(label=str(city))
    roles.nth(1).fill("Second city")
    labels.nth(1).fill("Venues")
    amounts.nth(1).fill("30000")
    labels.nth(2).fill("Meals")
    with page.expect_response(is_autosave("20000")) as answer:
        amounts.nth(2).fill("20000")
        amounts.nth(2).blur()
    assert answer.value.headers["x-autosave"] == "saved"
    expect(status).to_have_text(SAVED)
    assert saved_rows(draft) == expected

    # A later field changes: the rows the page shows are saved again, not dropped.
    with page.expect_response(is_autosave("Shared meals across three districts.")):
        page.get_by_label("Summary").fill("Shared meals across three districts.")
        page.get_by_label("Summary").blur()
    expect(status).to_have_text(SAVED)
    assert saved_rows(draft) == expected
    with page.expect_response(is_autosave("2027-12-31")):
        page.get_by_label("Project ends").fill("2027-12-31")  # a date input: changed at once
    assert saved_rows(draft) == expected

    # "Save draft" after the autosaves, then a reload: every row is there.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    assert saved_rows(draft) == expected
    page.reload()
    expect(parties.nth(0).locator("option:checked")).to_have_text(str(ngo))
    expect(roles.nth(0)).to_have_value("Trains young hosts")
    expect(parties.nth(1).locator("option:checked")).to_have_text(str(city))
    expect(roles.nth(1)).to_have_value("Second city")
    # the amounts typed as "150000", shown back as English writes them
    for n, (label, amount) in enumerate([("Hosts", "150,000"), ("Venues", "30,000")]):
        expect(labels.nth(n)).to_have_value(label)
        expect(amounts.nth(n)).to_have_value(amount)
    expect(labels.nth(2)).to_have_value("Meals")
    expect(page.get_by_label("Summary")).to_have_value("Shared meals across three districts.")
    axe(page)


def test_a_failed_save_says_so_and_keeps_what_was_typed(page, login, axe, draft):
    login(page, "coordinator@example.org")
    url = reverse("grants:application-edit", args=[draft.pk])
    page.goto(url)
    status = page.locator("#autosave-status")
    summary = page.get_by_label("Summary")
    title = page.get_by_label("Project title")

    def change(field, value: str) -> None:
        """Type and leave the field, as a person does: its change starts an autosave."""
        field.fill(value)
        field.blur()

    # The server fails: the page says the draft is not saved, and the text stays.
    def server_error(route):
        if route.request.method == "POST":
            route.fulfill(status=500, body="Server Error")
        else:
            route.continue_()

    page.route(f"**{url}", server_error)
    change(summary, "Typed while the server fails")
    expect(status).to_contain_text(FAILED)
    expect(status).not_to_contain_text("Saved")
    expect(summary).to_have_value("Typed while the server fails")
    axe(page)
    page.unroute(f"**{url}")

    # The next change saves it all.
    with page.expect_response(is_autosave("Bridges 2027")):
        change(title, "Bridges 2027")
    expect(status).to_have_text(SAVED)
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("Bridges 2027", "Typed while the server fails")

    # The network fails.
    page.route(f"**{url}", lambda route: route.abort())
    change(summary, "Typed offline")
    expect(status).to_contain_text(FAILED)
    expect(summary).to_have_value("Typed offline")
    page.unroute(f"**{url}")

    # The session ends (signed out in another tab): the login page is no "Saved".
    with page.expect_response(is_autosave("Typed signed out")):
        page.context.clear_cookies()
        change(summary, "Typed signed out")
    expect(status).to_contain_text(FAILED)
    expect(summary).to_have_value("Typed signed out")
    draft.refresh_from_db()
    assert draft.summary == "Typed while the server fails"

    # Signed in again, a refused save names the field and keeps every typed row on the page.
    login(page, "coordinator@example.org")
    page.goto(url)
    page.locator("input[name$='-label']").nth(1).fill("Venues")
    page.locator("input[name$='-amount']").nth(1).fill("30000")
    page.get_by_label("Project starts").fill("2027-06-01")
    with page.expect_response(is_autosave("2027-01-01")):
        change(page.get_by_label("Project ends"), "2027-01-01")
    expect(status).to_contain_text("Not saved.")
    expect(status).to_contain_text("end on or after its start")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text("end on or after its start")
    expect(page.locator("input[name$='-label']").nth(1)).to_have_value("Venues")
    expect(page.locator("input[name$='-amount']").nth(1)).to_have_value("30000")
    expect(page.get_by_label("Project starts")).to_have_value("2027-06-01")
    assert saved_rows(draft)[1] == [("Hosts", 15_000_000)]
    axe(page)


def test_criteria_and_questions_keep_every_row_through_a_refused_save(page, login, call):
    login(page, "funder@example.org")

    page.goto(reverse("grants:call-criteria", args=[call.pk]))
    names = page.locator("input[name$='-name_en']")
    weights = page.locator("input[name$='-weight']")
    names.nth(0).fill("Relevance to the charter")
    weights.nth(0).fill("3")
    names.nth(1).fill("Strength of the partnership")
    weights.nth(1).fill("0")  # refused: from 1 to 100
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(names.nth(0)).to_have_value("Relevance to the charter")
    expect(names.nth(1)).to_have_value("Strength of the partnership")
    assert call.criteria.count() == 0
    weights.nth(1).fill("1")
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.get_by_text("The criteria are saved.")).to_be_visible()
    page.goto(reverse("grants:call-criteria", args=[call.pk]))
    expect(names.nth(0)).to_have_value("Relevance to the charter")
    expect(names.nth(1)).to_have_value("Strength of the partnership")
    assert [c.weight for c in call.criteria.all()] == [3, 1]

    page.goto(reverse("grants:call-questions", args=[call.pk]))
    kinds = page.locator("select[name$='-kind']")
    questions = page.locator("input[name$='-label_en']")
    choices = page.locator("textarea[name$='-choices']")
    kinds.nth(0).select_option("text")
    questions.nth(0).fill("Who takes part?")
    kinds.nth(1).select_option("choice")
    questions.nth(1).fill("Scale")
    choices.nth(1).fill("local | Local")  # refused: a choice question needs two choices
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(questions.nth(0)).to_have_value("Who takes part?")
    expect(questions.nth(1)).to_have_value("Scale")
    expect(choices.nth(1)).to_have_value("local | Local")
    assert call.questions.count() == 0
    choices.nth(1).fill("local | Local\nnational | National")
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_text("The questions are saved.")).to_be_visible()
    page.goto(reverse("grants:call-questions", args=[call.pk]))
    expect(questions.nth(0)).to_have_value("Who takes part?")
    expect(questions.nth(1)).to_have_value("Scale")
    assert [q.label["en"] for q in call.questions.all()] == ["Who takes part?", "Scale"]


def test_report_links_are_kept_through_a_refused_save(page, login, officer, draft):
    coordinator = User.objects.get(email="coordinator@example.org")
    services.update_application(
        actor=coordinator,
        application=draft,
        summary="Shared meals.",
        budget_lines=[("Hosts", nok(200_000))],
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    draft = services.submit_application(actor=coordinator, application=draft)
    finish_review(draft, actor=officer)
    award = services.award_grant(
        application=draft,
        amount=nok(100_000),
        actor=officer,
        reports=[(GrantReport.Kind.FINAL, date.today() + timedelta(days=90))],
    )
    report = award.reports.get()
    login(page, "coordinator@example.org")
    page.goto(reverse("grants:report", args=[report.pk]))
    titles, urls = page.locator("input[name$='-title']"), page.locator("input[name$='-url']")
    page.get_by_label("What was done").fill("Twelve shared meals.")
    page.get_by_label(re.compile("Spent on")).fill("100001")  # refused: over the award
    titles.nth(0).fill("Toolkit")
    urls.nth(0).fill("https://example.org/kit")
    titles.nth(1).fill("Practice")
    urls.nth(1).fill("https://example.org/practice")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text(re.compile("more than the award")).first).to_be_visible()
    expect(titles.nth(0)).to_have_value("Toolkit")
    expect(urls.nth(1)).to_have_value("https://example.org/practice")
    page.get_by_label(re.compile("Spent on")).fill("90000")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_role("link", name="Practice", exact=True)).to_be_visible()
    report.refresh_from_db()
    assert [link["title"] for link in report.links] == ["Toolkit", "Practice"]
