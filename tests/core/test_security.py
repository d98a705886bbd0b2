"""Authentication hardening (ASVS L2): passwords, sessions, headers, caching, mails, throttles."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from safecities.core.models import User
from tests.utils import unchanged

DEMO_PASSWORD = "safecities-demo"


# --- passwords -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_refuses_a_password_under_twelve_characters(client):
    with unchanged():
        response = client.post(
            reverse("core:signup"),
            {"full_name": "Kari", "email": "kari@example.org", "password": "trygg-42x"},  # 9
        )
    assert response.status_code == 200
    assert "at least 12 characters" in response.context["form"].errors["password"][0]


def test_the_demo_password_is_long_enough():
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD)  # 15 characters: raises nothing


def test_password_change_page_changes_the_password(member_client, member):
    url = reverse("core:password-change")
    page = member_client.get(url)
    assert page.status_code == 200
    assert b'autocomplete="current-password"' in page.content
    short = member_client.post(
        url,
        {"old_password": DEMO_PASSWORD, "new_password1": "kort-pass", "new_password2": "kort-pass"},
    )
    assert short.status_code == 200 and "at least 12 characters" in str(
        short.context["form"].errors
    )
    response = member_client.post(
        url,
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "et-langt-og-nytt-passord",
            "new_password2": "et-langt-og-nytt-passord",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("et-langt-og-nytt-passord")
    # The session that changed it stays signed in.
    assert member_client.get(reverse("core:security")).status_code == 200


def test_the_header_links_to_the_account_security_page(member_client):
    html = member_client.get(reverse("network:home")).content.decode()
    assert f'href="{reverse("core:security")}"' in html
    page = member_client.get(reverse("core:security")).content.decode()
    assert f'href="{reverse("core:password-change")}"' in page


# --- sessions ------------------------------------------------------------------------------------


def test_sessions_end_after_the_idle_time(client, demo, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE <= 4 * 3600  # hours, not the 14 days of Django's default
    client.post(
        reverse("core:login"), {"username": "member@example.org", "password": DEMO_PASSWORD}
    )
    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    # Idle past the limit: the stored session has expired and the next request is anonymous.
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("network:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_an_active_session_is_refreshed_and_ended_after_the_absolute_limit(client, demo, settings):
    import time

    client.post(
        reverse("core:login"), {"username": "member@example.org", "password": DEMO_PASSWORD}
    )
    session = client.session
    session["_safecities_seen"] = time.time() - settings.SAFECITIES_SESSION_REFRESH_SECONDS - 5
    session.save()
    client.get(reverse("network:profile"))
    assert (
        client.session["_safecities_seen"] > time.time() - 60
    )  # refreshed: the idle clock restarts
    session = client.session
    session["_safecities_started"] = time.time() - settings.SAFECITIES_SESSION_MAX_SECONDS - 1
    session.save()
    response = client.get(reverse("network:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


# --- headers -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_and_a_permissions_policy(client):
    for url in (reverse("network:home"), reverse("core:login"), "/no-such-page/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert (
            "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        )
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_the_api_carries_the_headers_too(client, demo):
    response = client.get("/api/v1/openapi.json")
    assert "default-src" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_no_template_holds_inline_script_or_style():
    from pathlib import Path

    import safecities

    root = Path(safecities.__file__).parent
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        if "/pdf/" in str(path):  # read by WeasyPrint, never by a browser
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)", text) or re.search(
            r"\sstyle=|<style|\son[a-z]+=", text
        ):
            offenders.append(str(path.relative_to(root)))
        if re.search(r"hx-trigger=\"[^\"]*\[", text):  # htmx evaluates trigger filters with eval
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- caching -------------------------------------------------------------------------------------


def test_pages_for_signed_in_people_are_not_stored(member_client, client):
    for url in (reverse("network:profile"), reverse("core:personal-data"), reverse("network:home")):
        assert "no-store" in member_client.get(url)["Cache-Control"]
    download = member_client.post(reverse("core:personal-data"))
    assert "no-store" in download["Cache-Control"]
    assert "no-store" not in client.get(reverse("network:home")).get("Cache-Control", "")


# --- sign-up and reset mails ---------------------------------------------------------------------


def _signup(client, email):
    return client.post(
        reverse("core:signup"),
        {"full_name": "Nina Ny", "email": email, "password": "a-long-pass-phrase"},
    )


def test_signup_answers_the_same_for_a_taken_address_and_mails_its_owner(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = _signup(client, "nina@example.net")
        taken = _signup(Client(), "MEMBER@example.org")
    assert new.status_code == taken.status_code == 302
    assert new.url == taken.url == reverse("core:signup-sent")
    assert "_auth_user_id" not in client.session
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {"nina@example.net", "member@example.org"}
    assert "already has an account" in to["member@example.org"].body
    assert User.objects.get(email="member@example.org").full_name != "Nina Ny"
    # The new account works once its owner follows the link in the mail.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+)", to["nina@example.net"].body)[1]
    assert not User.objects.get(email="nina@example.net").is_active
    response = client.get(link)
    assert response.status_code == 302 and response.url == reverse("network:apply")
    assert User.objects.get(email="nina@example.net").is_active
    assert client.session["_auth_user_id"]
    assert Client().get(link).status_code == 200  # used once: the page says the link is spent


def test_password_reset_mails_are_limited_per_address(client, demo, settings):
    url = reverse("core:password-reset")
    for _ in range(20):
        response = client.post(url, {"email": "member@example.org"})
        assert response.status_code == 302 and response.url == reverse("core:password-reset-sent")
    assert len(mail.outbox) == settings.SAFECITIES_RESET_MAILS_PER_ADDRESS


def test_password_reset_mails_are_limited_per_client(client, demo, settings):
    url = reverse("core:password-reset")
    emails = [
        "member@example.org",
        "coordinator@example.org",
        "contact@example.org",
        "reviewer@example.org",
        "funder@example.org",
        "secretariat@example.org",
    ] * 5
    for email in emails:
        client.post(url, {"email": email}, REMOTE_ADDR="203.0.113.9")
    assert len(mail.outbox) == settings.SAFECITIES_RESET_MAILS_PER_CLIENT
    # Another client is not held back by that one.
    Client().post(url, {"email": "member@example.org"}, REMOTE_ADDR="198.51.100.7")
    assert len(mail.outbox) == settings.SAFECITIES_RESET_MAILS_PER_CLIENT + 1


# --- failed logins -------------------------------------------------------------------------------


def _login(client, email, password, ip="203.0.113.1", **extra):
    return client.post(
        reverse("core:login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_client_address_is_read_from_the_trusted_proxy_header(rf, settings):
    from safecities.core.auth import client_ip

    settings.SAFECITIES_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.5"  # the address the one trusted proxy saw
    settings.SAFECITIES_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"  # no proxy: the header is the client's own words


def test_failures_from_many_addresses_slow_the_account_not_lock_the_owner_out(
    client, demo, settings
):
    free = settings.SAFECITIES_LOGIN_FREE_FAILURES
    for i in range(free):
        response = _login(Client(), "member@example.org", "wrong", ip=f"198.51.100.{i}")
        assert response.status_code == 200
    # The next attempt for that account, from anywhere, waits: refused with a clear message.
    response = _login(Client(), "member@example.org", DEMO_PASSWORD, ip="192.0.2.200")
    assert response.status_code == 429
    assert "Too many failed attempts for this account" in response.content.decode()
    assert "reset your password" in response.content.decode()


def test_the_wait_grows_with_each_failure_and_ends(client, demo, settings):
    from safecities.core import throttle

    key = "member@example.org"
    for _ in range(settings.SAFECITIES_LOGIN_FREE_FAILURES):
        throttle.login_failed(key)
    first = throttle.login_wait(key)
    throttle.login_failed(key)
    second = throttle.login_wait(key)
    assert 0 < first < second <= 2 * first + 1
    throttle.login_succeeded(key)
    assert throttle.login_wait(key) == 0


def test_wrong_passwords_behind_the_proxy_do_not_lock_everyone_out(demo, settings):
    """Many people share the proxy's address: one person's typos do not lock the others out."""
    settings.SAFECITIES_TRUSTED_PROXY_COUNT = 1
    for _ in range(10):
        _login(
            Client(),
            "member@example.org",
            "wrong",
            ip="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = _login(
        Client(),
        "coordinator@example.org",
        DEMO_PASSWORD,
        ip="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.status_code == 302


def test_decision_pdfs_and_grant_applications_are_not_stored(secretariat_client, demo):
    from safecities.grants.models import Application

    decision = secretariat_client.get(
        reverse("network:application-document", args=[demo.stockholm_application.pk])
    )
    assert decision.status_code == 200 and decision["Content-Type"] == "application/pdf"
    assert "no-store" in decision["Cache-Control"]
    application = Application.objects.order_by("pk").first()
    page = secretariat_client.get(reverse("grants:application", args=[application.pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
