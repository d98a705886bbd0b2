"""The Content-Security-Policy in a real browser: no page the tests walk through breaks on it
(htmx search, charts, the two-factor pages), and the second sign-in step works by hand."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_pages_run_under_the_policy_without_violations(demo, page, login, axe):
    errors = _watch_console(page)
    login(page, "secretariat@example.org")  # password, then the code page
    response = page.goto("/practices/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Search", exact=True).fill("förebyggande")
    expect(page.locator("#bank-live mark").first).to_be_visible()  # htmx swapped the results
    page.goto("/indicators/")
    page.goto("/accounts/security/")
    axe(page)
    assert not [e for e in errors if "Content Security Policy" in e or "htmx" in e.lower()], errors


def test_a_member_sets_up_two_factor_by_hand(demo, page, login, axe):
    errors = _watch_console(page)
    login(page, "member@example.org")
    page.goto("/accounts/security/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.locator(".sc-qr svg")).to_be_visible()
    axe(page)
    secret = page.locator("#totp-secret").inner_text()
    page.locator("#id_code").fill(f"{totp(b32decode(secret)):06d}")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    axe(page)
    # Signing in again asks for the code after the password.
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("member@example.org")
    page.locator("#id_password").fill("safecities-demo")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    axe(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors
