"""Two-factor sign-in: set-up with a QR code and a code, backup codes, and the requirement for
the secretariat and funder officers. Every step goes through the pages a person uses."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecities.core.models import User
from tests.utils import current_code

DEMO_PASSWORD = "safecities-demo"


def _password_step(client, email):
    return client.post(reverse("core:login"), {"username": email, "password": DEMO_PASSWORD})


def test_the_secretariat_is_asked_for_a_code_after_the_password(demo):
    client = Client()
    _password_step(client, "secretariat@example.org")
    response = client.get(reverse("core:audit"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:two-factor"))
    assert client.get("/api/v1/me/personal-data").status_code == 403
    wrong = client.post(reverse("core:two-factor"), {"code": "000000"})
    assert wrong.status_code == 400 and "wrong" in wrong.content.decode()
    user = User.objects.get(email="secretariat@example.org")
    response = client.post(
        reverse("core:two-factor"), {"code": current_code(user), "next": reverse("core:audit")}
    )
    assert response.status_code == 302 and response.url == reverse("core:audit")
    assert client.get(reverse("core:audit")).status_code == 200


def test_a_code_is_accepted_once(demo):
    user = User.objects.get(email="funder@example.org")
    first, second = Client(), Client()
    _password_step(first, user.email)
    _password_step(second, user.email)
    code = current_code(user)
    assert first.post(reverse("core:two-factor"), {"code": code}).status_code == 302
    assert second.post(reverse("core:two-factor"), {"code": code}).status_code == 400


def test_a_required_role_without_a_device_must_set_one_up_first(demo):
    user = User.objects.get(email="funder@example.org")
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    _password_step(client, user.email)
    response = client.get(reverse("grants:programmes"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:two-factor-setup"))
    page = client.get(response.url).content.decode()
    assert "<svg" in page and 'role="img"' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)[1]
    key = b32decode(secret)
    assert client.post(response.url, {"code": "123456"}).status_code == 400
    done = client.post(response.url, {"code": f"{totp(key):06d}"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("grants:programmes")).status_code == 200
    # A backup code signs in once, in place of the app's code.
    again = Client()
    _password_step(again, user.email)
    assert again.post(reverse("core:two-factor"), {"code": codes[0]}).status_code == 302
    third = Client()
    _password_step(third, user.email)
    assert third.post(reverse("core:two-factor"), {"code": codes[0]}).status_code == 400


def test_a_member_without_two_factor_signs_in_with_the_password_alone(demo):
    client = Client()
    response = _password_step(client, "member@example.org")
    assert response.status_code == 302
    assert client.get(reverse("network:profile")).status_code == 200


def test_a_member_may_turn_it_on_and_is_then_asked_for_a_code(member_client, member):
    page = member_client.get(reverse("core:two-factor-setup")).content.decode()
    key = b32decode(re.search(r'id="totp-secret">([A-Z2-7]+)<', page)[1])
    response = member_client.post(reverse("core:two-factor-setup"), {"code": f"{totp(key):06d}"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()
    client = Client()
    _password_step(client, member.email)
    assert client.get(reverse("network:profile")).url.startswith(reverse("core:two-factor"))


@pytest.mark.django_db
def test_the_next_address_never_leaves_the_site(demo):
    client = Client()
    _password_step(client, "secretariat@example.org")
    user = User.objects.get(email="secretariat@example.org")
    response = client.post(
        reverse("core:two-factor"), {"code": current_code(user), "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:start")


def test_erasure_deletes_the_authenticator_key(demo, funder_officer):
    from safecities.core import services

    services.erase_account(actor=funder_officer, user=funder_officer)
    assert not TOTPDevice.objects.filter(user=funder_officer).exists()
