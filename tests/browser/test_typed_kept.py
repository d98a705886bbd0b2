"""Nothing typed is lost when a full save fails, in a browser: a form marked `data-keep-typed`
keeps a copy of what is typed in this browser until the server has saved it, and offers it back
after a server error, a network failure or an ended session. "Save draft" on a grant application
stays on the page when it fails. A successful save and logging out leave no copy behind.

The failures are made by Playwright's routing (the server or the network failing), never by
changing our own code paths."""

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
from safecities.network.models import Municipality
from safecities.practices.models import Practice

pytestmark = pytest.mark.browser

FAILED = "Not saved: the connection, the server or your session failed."
OFFER = re.compile(r"you typed into this form in this browser, and it was not saved")
RESTORE = re.compile(r"^Restore what you typed on .*\d")
KEPT = "() => Object.keys(localStorage).filter(k => k.startsWith('safecities:typed:'))"


@pytest.fixture
def draft(demo):
    """An open call of the demo's 2024–2026 programme and a draft of Oslo's coordinator."""
    officer = User.objects.get(email="funder@example.org")
    now = timezone.now()
    call = services.create_call(
        actor=officer,
        programme=Programme.objects.get(slug="safe-cities-norway-2024-2026"),
        title={"en": "Typed kept 2027"},
        text={"en": "Cities and civil society together."},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        max_amount=Money(Decimal(300_000), "NOK"),
    )
    services.open_call(actor=officer, call=call)
    return services.create_application(
        actor=User.objects.get(email="coordinator@example.org"),
        call=call,
        title="Neighbourhood bridges Oslo",
        lead_municipality=Municipality.objects.get(slug="oslo"),
        requested=Money(Decimal(200_000), "NOK"),
        budget_lines=[("Hosts", Money(Decimal(150_000), "NOK"))],
    )


def kept(page) -> list[str]:
    page.wait_for_load_state("domcontentloaded")  # the page's deferred scripts have run
    return page.evaluate(KEPT)


def fail_posts(page, url: str, how: str) -> None:
    """Every POST to `url` fails: the server answers 500, or the network drops it."""

    def handler(route):
        if route.request.method != "POST":
            route.continue_()
        elif how == "server":
            route.fulfill(status=500, body="Server Error")
        else:
            route.abort()

    page.route(f"**{url}", handler)


def type_application(page) -> None:
    """Type into the draft: text, a budget row, a date and a goal. No autosave reaches the server
    while the POSTs fail."""
    page.get_by_label("Project title").fill("Bridges across Oslo")
    page.get_by_label("Summary").fill("Twelve shared meals in three districts.")
    page.locator("input[name$='-label']").nth(1).fill("Venues")
    page.locator("input[name$='-amount']").nth(1).fill("30000")
    page.get_by_label("Project starts").fill("2027-02-01")
    page.locator("input[name='goals']").first.check()


def expect_application_typed(page) -> None:
    expect(page.get_by_label("Project title")).to_have_value("Bridges across Oslo")
    expect(page.get_by_label("Summary")).to_have_value("Twelve shared meals in three districts.")
    expect(page.locator("input[name$='-label']").nth(1)).to_have_value("Venues")
    expect(page.locator("input[name$='-amount']").nth(1)).to_have_value("30000")
    expect(page.get_by_label("Project starts")).to_have_value("2027-02-01")
    expect(page.locator("input[name='goals']").first).to_be_checked()


def test_a_failed_save_draft_stays_on_the_page_and_everything_is_restored(page, login, axe, draft):
    url = reverse("grants:application-edit", args=[draft.pk])
    login(page, "coordinator@example.org")
    page.goto(url)
    status = page.locator("#autosave-status")
    save = page.get_by_role("button", name="Save draft")

    # The server fails on "Save draft": the page stays, says so, and shows what was typed.
    fail_posts(page, url, "server")
    type_application(page)
    coordinator = User.objects.get(email="coordinator@example.org")
    assert kept(page) == [f"safecities:typed:{coordinator.pk}:{url}#application-form"]
    with page.expect_response(lambda r: r.request.headers.get("hx-trigger-name") == "save"):
        save.click()
    expect(status).to_contain_text(FAILED)
    assert page.url.endswith(url)
    expect_application_typed(page)

    # Then the network fails.
    page.unroute(f"**{url}")
    fail_posts(page, url, "network")
    with page.expect_event("requestfailed", lambda r: r.headers.get("hx-trigger-name") == "save"):
        save.click()
    expect(status).to_contain_text(FAILED)
    expect_application_typed(page)
    page.unroute(f"**{url}")
    draft.refresh_from_db()
    assert draft.title == "Neighbourhood bridges Oslo"

    # Reloaded, the page shows what is saved and offers what was typed.
    page.reload()
    expect(page.get_by_label("Project title")).to_have_value("Neighbourhood bridges Oslo")
    offer = page.locator("[data-keep-typed-notice]")
    expect(offer).to_have_attribute("role", "status")
    expect(offer).to_contain_text(OFFER)
    restore = offer.get_by_role("button", name=RESTORE)
    expect(restore).to_be_visible()
    expect(offer.get_by_role("button", name="Discard")).to_be_visible()
    axe(page)

    # By keyboard: restore, and every typed value is back.
    restore.focus()
    page.keyboard.press("Enter")
    expect(offer).to_contain_text("What you typed is back in the form.")
    expect(offer.get_by_role("button")).to_have_count(0)
    expect_application_typed(page)

    # A successful "Save draft" saves it all and leaves no copy behind.
    save.click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    expect(page.locator("[data-keep-typed-notice]")).to_have_count(0)
    assert kept(page) == []
    application = Application.objects.get(pk=draft.pk)
    assert application.title == "Bridges across Oslo"
    assert application.summary == "Twelve shared meals in three districts."
    assert [b.label for b in application.budget_lines.all()] == ["Hosts", "Venues"]
    assert application.goals.count() == 1


def test_an_ended_session_loses_nothing(page, login, draft):
    url = reverse("grants:application-edit", args=[draft.pk])
    login(page, "coordinator@example.org")
    page.goto(url)

    # Signed out elsewhere while typing: "Save draft" meets the login page, and says it did not
    # save.
    page.context.clear_cookies()
    type_application(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#autosave-status")).to_contain_text(FAILED)
    draft.refresh_from_db()
    assert draft.summary == ""

    # Signed in again and back on the form: everything typed is offered back.
    login(page, "coordinator@example.org")
    page.goto(url)
    page.locator("[data-keep-typed-notice]").get_by_role("button", name=RESTORE).click()
    expect_application_typed(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.", exact=True)).to_be_visible()
    draft.refresh_from_db()
    assert draft.summary == "Twelve shared meals in three districts."
    assert kept(page) == []


def test_a_plain_form_is_restored_after_an_error_page_and_discarded_on_request(page, login, demo):
    """A form posted without htmx (a practice) meets the server's error page: the copy is there
    when the person comes back, and "Discard" removes it."""
    url = reverse("practices:create")
    login(page, "coordinator@example.org")
    page.goto(url)
    fail_posts(page, url, "server")
    page.get_by_label("Title").fill("Dialogue cafés for parents")
    page.get_by_label("Partners").fill("Red Cross Oslo")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Server Error")).to_be_visible()
    page.unroute(f"**{url}")

    page.goto(url)
    offer = page.locator("[data-keep-typed-notice]")
    offer.get_by_role("button", name=RESTORE).click()
    expect(page.get_by_label("Title")).to_have_value("Dialogue cafés for parents")
    expect(page.get_by_label("Partners")).to_have_value("Red Cross Oslo")
    assert not Practice.objects.filter(title="Dialogue cafés for parents").exists()

    page.goto(url)
    page.locator("[data-keep-typed-notice]").get_by_role("button", name="Discard").click()
    expect(page.locator("[data-keep-typed-notice]")).to_contain_text("discarded")
    expect(page.get_by_label("Title")).to_have_value("")
    assert kept(page) == []
    page.reload()
    expect(page.locator("[data-keep-typed-notice]")).to_have_count(0)


def test_a_refused_save_keeps_the_copy_and_a_successful_one_clears_it(page, login, demo):
    url = reverse("practices:create")
    login(page, "coordinator@example.org")
    page.goto(url)
    page.get_by_label("Partners").fill("Red Cross Oslo")  # no title: refused
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".ds-alert[data-color='danger'], [role='alert']").first).to_be_visible()
    expect(page.get_by_label("Partners")).to_have_value("Red Cross Oslo")
    assert len(kept(page)) == 1
    page.get_by_label("Title").fill("Dialogue cafés for parents")
    page.get_by_label("Summary").fill("Parents meet over coffee, with a host.")
    page.locator("input[name='goals']").first.check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The practice is saved as a draft.")).to_be_visible()
    assert kept(page) == []
    page.goto(url)
    expect(page.locator("[data-keep-typed-notice]")).to_have_count(0)


def test_logging_out_clears_the_copies(page, login, draft):
    url = reverse("grants:application-edit", args=[draft.pk])
    login(page, "coordinator@example.org")
    page.goto(url)
    fail_posts(page, url, "network")
    page.get_by_label("Summary").fill("Kept until I log out.")
    page.goto(reverse("practices:create"))
    page.get_by_label("Title").fill("Kept too")
    assert len(kept(page)) == 2

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert kept(page) == []
    page.unroute(f"**{url}")
    login(page, "coordinator@example.org")
    page.goto(url)
    expect(page.get_by_label("Summary")).to_have_value("")
    expect(page.locator("[data-keep-typed-notice]")).to_have_count(0)


def test_another_person_never_sees_a_copy(page, login, demo):
    """On a shared browser, a person signing in removes the copies of anyone else."""
    url = reverse("practices:create")
    login(page, "coordinator@example.org")
    page.goto(url)
    page.get_by_label("Title").fill("Oslo's unsaved idea")
    page.context.clear_cookies()  # the session ends without logging out
    login(page, "funder@example.org")
    assert kept(page) == []
    page.goto(url)
    expect(page.locator("[data-keep-typed-notice]")).to_have_count(0)
    expect(page.get_by_label("Title")).to_have_value("")
