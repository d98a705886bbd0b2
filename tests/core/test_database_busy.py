"""A database that stays locked past the wait allowed is answered 503 "try again" (a page, or
JSON for the API), never a server error; on SQLite (busy timeout) and PostgreSQL (lock_timeout).

Another connection holds the lock, as a long writer would; the request's connection is given a
short wait so the test does not wait the production timeout.
"""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from safecities.core.errors import is_database_locked
from safecities.core.middleware import server_error
from tests.conftest import DEMO_PASSWORD, ROLE_EMAILS
from tests.utils import locked_database


@pytest.mark.django_db(transaction=True)
def test_signing_in_while_another_writer_holds_the_lock_says_try_again(demo):
    client = Client(raise_request_exception=False)
    with locked_database():
        response = client.post(
            reverse("core:login"),
            {"username": ROLE_EMAILS["member"], "password": DEMO_PASSWORD},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Try again in a moment" in response.content.decode()
    # Once the lock is gone, the same request goes through.
    response = client.post(
        reverse("core:login"), {"username": ROLE_EMAILS["member"], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_locked_database_as_json(demo):
    from safecities.core.models import User
    from safecities.core.services import create_api_token
    from safecities.indicators.models import Indicator

    secretariat = User.objects.get(email=ROLE_EMAILS["secretariat"])
    _token, raw = create_api_token(actor=secretariat, name="probe")
    indicator = Indicator.objects.exclude(source="computed").filter(period_type="year").first()
    payload = {"indicator": indicator.code, "city": "oslo", "period": "2031", "value": "4"}
    client = Client(raise_request_exception=False)
    with locked_database("indicators_observation"):
        response = client.post(
            "/api/v1/indicators/observations",
            payload,
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )
    assert response.status_code == 503
    assert response.json()["message"].startswith("The database is busy")
    assert response["Retry-After"] == "5"


def test_a_lock_error_met_outside_a_view_is_a_503_page(rf):
    request = rf.get("/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_other_errors_stay_server_errors(rf):
    request = rf.get("/")
    try:
        raise OperationalError("no such table: x")
    except OperationalError as exc:
        assert not is_database_locked(exc)
        response = server_error(request)
    assert response.status_code == 500
