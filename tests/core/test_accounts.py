"""Signing up, logging in, and the throttle on failed logins (django-axes)."""

import pytest
from django.urls import reverse

from safecities.core import services
from safecities.core.models import AuditEvent, User
from tests.utils import unchanged


@pytest.mark.django_db
def test_signup_page_creates_an_account_and_signs_in(client):
    response = client.post(
        reverse("core:signup"),
        {"full_name": "Kari Testesen", "email": "Kari@Example.ORG", "password": "lang-og-trygg-42"},
    )
    assert response.status_code == 302
    assert response.url == reverse("network:apply")
    user = User.objects.get(email="kari@example.org")
    assert user.check_password("lang-og-trygg-42")
    assert AuditEvent.objects.filter(action="core.user.register", target_id=str(user.pk)).exists()
    assert client.get(reverse("network:profile")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "A", "email": "not-an-address", "password": "lang-og-trygg-42"}, "email"),
        ({"full_name": "A", "email": "a@example.org", "password": "123"}, "password"),
        ({"full_name": "", "email": "a@example.org", "password": "lang-og-trygg-42"}, "full_name"),
    ],
)
def test_signup_with_bad_input_names_the_field_and_creates_nothing(client, data, field):
    with unchanged():
        response = client.post(reverse("core:signup"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def test_signup_refuses_an_address_in_use(client, demo):
    with unchanged():
        response = client.post(
            reverse("core:signup"),
            {"full_name": "X", "email": "MEMBER@example.org", "password": "lang-og-trygg-42"},
        )
    assert "exists already" in response.context["form"].errors["email"][0]
    with pytest.raises(services.EmailTaken):
        services.register_user(email="member@example.org", full_name="X", password="x")


def test_failed_logins_are_throttled(client, demo, settings):
    url = reverse("core:login")
    statuses = [
        client.post(url, {"username": "member@example.org", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Locked out now: even the right password is refused for a while.
    response = client.post(url, {"username": "member@example.org", "password": "safecities-demo"})
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_works(client, demo):
    response = client.post(
        reverse("core:login"), {"username": "member@example.org", "password": "safecities-demo"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(demo.users["member"].pk)
