"""The error pages in a real browser: a missing page and an expired form are pages of the site
that pass axe-core, and the browser finds the site's icon."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_missing_page_is_accessible_and_leads_home(page, shared_demo, axe):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("This page does not exist")
    axe(page)
    icon = page.request.get("/favicon.ico")  # followed to the SVG the page links
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    page.get_by_role("navigation", name="Where to go next").get_by_role(
        "link", name="Go to the start page"
    ).click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_form_sent_after_its_token_expired_says_go_back_and_reload(page, shared_demo, axe):
    page.goto("/accounts/login/")
    page.context.clear_cookies()  # the session and its token are gone, as after a long pause
    page.locator("#id_username").fill("member@example.org")
    page.locator("#id_password").fill("safecities-demo")
    with page.expect_response(re.compile(r"/accounts/login/$")) as sent:
        page.locator("main button[type=submit]").click()
    assert sent.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")
    axe(page)
