"""Signing up, logging in, and the throttle on failed logins (django-axes)."""

import pytest
from django.urls import reverse

from safecities.core import services
from safecities.core.models import AuditEvent, User
from tests.utils import unchanged


@pytest.mark.django_db
def test_signup_page_creates_an_account_waiting_for_its_link(client):
    response = client.post(
        reverse("core:signup"),
        {"full_name": "Kari Testesen", "email": "Kari@Example.ORG", "password": "lang-og-trygg-42"},
    )
    assert response.status_code == 302
    assert response.url == reverse("core:signup-sent")
    user = User.objects.get(email="kari@example.org")
    assert user.check_password("lang-og-trygg-42") and not user.is_active
    assert AuditEvent.objects.filter(action="core.user.register", target_id=str(user.pk)).exists()
    # Not signed in, and the password does not open the account before the link is followed.
    assert "_auth_user_id" not in client.session
    client.post(reverse("core:login"), {"username": user.email, "password": "lang-og-trygg-42"})
    assert "_auth_user_id" not in client.session


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


def test_signup_with_a_taken_address_creates_nothing(client, demo):
    users = User.objects.count()
    response = client.post(
        reverse("core:signup"),
        {"full_name": "X", "email": "MEMBER@example.org", "password": "lang-og-trygg-42"},
    )
    assert response.status_code == 302 and response.url == reverse("core:signup-sent")
    assert User.objects.count() == users
    assert services.register_user(email="member@example.org", full_name="X", password="x") is None


def test_many_failed_logins_from_one_address_lock_that_address_out(client, demo, settings):
    """Per client address (django-axes): spread over accounts, so no account's own wait starts."""
    url = reverse("core:login")
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post(url, {"username": f"guess-{i % 9}@example.org", "password": "w"}).status_code
        for i in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429]
    # Locked out now: even the right password is refused for a while, from this address.
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
