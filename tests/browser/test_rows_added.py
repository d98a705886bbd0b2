"""Rows are added and removed with buttons, without saving first: a grant application's partners
and budget lines, a call's criteria and questions. The saved record has exactly the rows typed;
rows added before a failed save come back with "Restore"; buttons are busy while a form is sent."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safecities.core.models import User
from safecities.core.money import Money
from safecities.grants import services
from safecities.grants.models import Application, Programme
from safecities.network.models import Municipality, Organisation

pytestmark = pytest.mark.browser


def nok(amount) -> Money:
    return Money(Decimal(amount), "NOK")


@pytest.fixture
def officer(demo):
    return User.objects.get(email="funder@example.org")


@pytest.fixture
def call(officer):
    now = timezone.now()
    return services.create_call(
        actor=officer,
        programme=Programme.objects.get(slug="safe-cities-norway-2024-2026"),
        title={"en": "Rows added 2027"},
        text={"en": "Cities and civil society together."},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        max_amount=nok(300_000),
    )


@pytest.fixture
def draft(officer, call):
    services.open_call(actor=officer, call=call)
    return services.create_application(
        actor=User.objects.get(email="coordinator@example.org"),
        call=call,
        title="Neighbourhood bridges Oslo",
        lead_municipality=Municipality.objects.get(slug="oslo"),
        requested=nok(200_000),
        budget_lines=[("Hosts", nok(150_000))],
    )


def saved_rows(application) -> tuple[list, list]:
    application = Application.objects.get(pk=application.pk)
    partners = [(str(p.party), p.role) for p in application.partners.all()]
    lines = [(b.label, b.amount_minor) for b in application.budget_lines.all()]
    return partners, lines


def test_partners_and_budget_lines_are_added_and_removed_with_buttons(page, login, axe, draft):
    ngo = Organisation.objects.get(slug="ungdom-i-dialog")
    city = Municipality.objects.get(slug="drammen")
    login(page, "coordinator@example.org")
    page.goto(reverse("grants:application-edit", args=[draft.pk]))
    expect(page.get_by_text("save to get more rows")).to_have_count(0)
    parties, roles = page.locator("select[name$='-party']"), page.locator("input[name$='-role']")
    labels, amounts = page.locator("input[name$='-label']"), page.locator("input[name$='-amount']")
    expect(parties).to_have_count(2)
    expect(labels).to_have_count(3)  # the saved line and two blank ones

    add_partner = page.get_by_role("button", name="Add a partner")
    add_partner.click()
    expect(parties).to_have_count(3)
    expect(parties.nth(2)).to_be_focused()
    expect(page.locator("[data-rows='partners'] [data-rows-status]")).to_have_text(
        "Partner 3 added."
    )
    expect(page.locator("input[name='partners-TOTAL_FORMS']")).to_have_value("3")
    parties.nth(0).select_option(label=str(ngo))
    roles.nth(0).fill("Trains young hosts")
    parties.nth(2).select_option(label=str(city))
    roles.nth(2).fill("Second city")
    # The blank partner 2 goes: partner 3 becomes partner 2.
    page.get_by_role("button", name="Remove partner 2").click()
    expect(parties).to_have_count(2)
    expect(page.locator("[data-rows='partners'] [data-rows-status]")).to_have_text(
        "Partner 2 removed."
    )
    expect(page.get_by_role("group", name="Partner 2")).to_be_visible()
    expect(page.get_by_role("button", name="Remove partner 3")).to_have_count(0)
    expect(parties.nth(1).locator("option:checked")).to_have_text(str(city))
    expect(page.locator("input[name='partners-TOTAL_FORMS']")).to_have_value("2")

    # Budget: two more lines on top of the three, then the saved one and a blank one go.
    add_line = page.get_by_role("button", name="Add a budget line")
    add_line.click()
    add_line.click()
    expect(labels).to_have_count(5)
    labels.nth(1).fill("Venues")
    amounts.nth(1).fill("30000")
    labels.nth(4).fill("Meals")
    amounts.nth(4).fill("20000")
    page.get_by_role("button", name="Remove budget line 1").click()
    expect(labels.nth(0)).to_have_value("Venues")
    expect(labels.nth(0)).to_be_focused()
    page.get_by_role("button", name="Remove budget line 2").click()
    expect(labels).to_have_count(3)
    expect(labels.nth(2)).to_have_value("Meals")
    axe(page)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    assert saved_rows(draft) == (
        [(str(ngo), "Trains young hosts"), (str(city), "Second city")],
        [("Venues", 3_000_000), ("Meals", 2_000_000)],
    )
    # After the save (the page part htmx swapped in), the buttons work again.
    page.get_by_role("button", name="Add a partner").click()
    expect(parties).to_have_count(5)


def test_rows_added_before_a_failed_save_are_restored(page, login, draft):
    url = reverse("grants:application-edit", args=[draft.pk])
    login(page, "coordinator@example.org")
    page.goto(url)
    page.route(
        f"**{url}",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    add_line = page.get_by_role("button", name="Add a budget line")
    add_line.click()
    add_line.click()
    labels = page.locator("input[name$='-label']")
    labels.nth(4).fill("Meals")
    page.locator("input[name$='-amount']").nth(4).fill("20000")
    page.unroute(f"**{url}")
    page.reload()
    expect(labels).to_have_count(3)
    page.get_by_role("button", name=re.compile("^Restore what you typed")).click()
    expect(labels).to_have_count(5)
    expect(labels.nth(4)).to_have_value("Meals")
    expect(page.locator("input[name='budget-TOTAL_FORMS']")).to_have_value("5")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    assert saved_rows(draft)[1] == [("Hosts", 15_000_000), ("Meals", 2_000_000)]


def test_criteria_and_questions_are_added_and_removed_with_buttons(page, login, axe, call):
    login(page, "funder@example.org")
    page.goto(reverse("grants:call-criteria", args=[call.pk]))
    names = page.locator("input[name$='-name_en']")
    weights = page.locator("input[name$='-weight']")
    page.get_by_role("button", name="Add a criterion").click()
    expect(names).to_have_count(3)
    for n, (name, weight) in enumerate([("Relevance", "3"), ("Partnership", "1"), ("Cost", "2")]):
        names.nth(n).fill(name)
        weights.nth(n).fill(weight)
    page.get_by_role("button", name="Remove criterion 2").click()
    expect(names).to_have_count(2)
    axe(page)
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.get_by_text("The criteria are saved.")).to_be_visible()
    assert [(c.name["en"], c.weight) for c in call.criteria.all()] == [
        ("Relevance", 3),
        ("Cost", 2),
    ]

    # A saved criterion is removed by its button (its DELETE box, hidden, is ticked).
    page.goto(reverse("grants:call-criteria", args=[call.pk]))
    expect(page.get_by_label("Remove this criterion")).to_have_count(2)
    expect(page.get_by_label("Remove this criterion").first).to_be_hidden()
    page.get_by_role("button", name="Remove criterion 1").click()
    expect(page.get_by_role("button", name="Remove criterion 2")).to_be_visible()  # blank rows
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.get_by_text("The criteria are saved.")).to_be_visible()
    assert [c.name["en"] for c in call.criteria.all()] == ["Cost"]

    page.goto(reverse("grants:call-questions", args=[call.pk]))
    kinds = page.locator("select[name$='-kind']")
    questions = page.locator("input[name$='-label_en']")
    add = page.get_by_role("button", name="Add a question")
    add.click()
    add.click()
    expect(questions).to_have_count(4)
    for n, label in enumerate(["Who?", "Why?", "When?", "Where?"]):
        kinds.nth(n).select_option("text")
        questions.nth(n).fill(label)
    page.get_by_role("button", name="Remove question 1").click()
    page.get_by_role("button", name="Remove question 2").click()
    expect(questions).to_have_count(2)
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_text("The questions are saved.")).to_be_visible()
    assert [q.label["en"] for q in call.questions.all()] == ["Why?", "Where?"]


RECORD_BUSY = """() => document.addEventListener("submit", (event) => {
    const button = event.submitter;
    const seen = () => ({
        busy: button.getAttribute("aria-busy"), disabled: button.disabled,
        text: button.textContent.trim(),
        copied: [...event.target.querySelectorAll("input[data-busy-copy]")].map(
            (input) => [input.name, input.value]),
    });
    const at = {submit: seen()};
    setTimeout(() => { at.after = seen(); sessionStorage.setItem("busy", JSON.stringify(at)); });
})"""


def busy_seen(page) -> dict:
    """What the pressed button looked like at its submit event and just after: set by
    RECORD_BUSY in this tab's sessionStorage, which outlives the navigation."""
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('busy'))")


def test_a_submit_button_is_busy_while_its_form_is_sent(page, login, call):
    login(page, "funder@example.org")
    page.goto(reverse("grants:call-criteria", args=[call.pk]))
    page.locator("input[name$='-name_en']").first.fill("Relevance")
    page.locator("input[name$='-weight']").first.fill("3")
    page.evaluate(RECORD_BUSY)
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.get_by_text("The criteria are saved.")).to_be_visible()
    seen = busy_seen(page)
    # Disabled only once the submission has started, so the form is still sent.
    assert seen["submit"] == {"busy": "true", "disabled": False, "text": "Saving…", "copied": []}
    assert seen["after"]["disabled"] is True
    # Back from the next page (the back-forward cache): the button is itself again.
    page.go_back()
    button = page.get_by_role("button", name="Save the criteria")
    expect(button).to_be_enabled()
    expect(button).not_to_have_attribute("aria-busy", "true")


def test_save_draft_is_busy_while_its_htmx_request_runs(page, login, draft):
    url = reverse("grants:application-edit", args=[draft.pk])
    login(page, "coordinator@example.org")
    page.goto(url)
    held = []

    def hold_save(route):
        if route.request.headers.get("hx-trigger-name") == "save":
            held.append(route)
        else:
            route.continue_()

    page.route(f"**{url}", hold_save)
    page.get_by_label("Project title").fill("Bridges 2027")
    page.get_by_role("button", name="Save draft").click()
    busy = page.locator("button[name=save]")
    expect(busy).to_have_attribute("aria-busy", "true")
    expect(busy).to_have_text("Saving…")
    expect(busy).to_be_disabled()
    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_be_enabled()
    draft.refresh_from_db()
    assert draft.title == "Bridges 2027"
