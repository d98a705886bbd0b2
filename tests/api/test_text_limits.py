"""The API's text inputs: a title or a name is one line of at most 300 characters, a long text at
most 20,000; anything else is refused with 422 naming the field, and nothing changes."""

import json

import pytest

from safecities.core.services import create_api_token
from tests.utils import unchanged


def token(user) -> dict:
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='limits')[1]}"}


def post(client, headers, path, data):
    return client.post(path, json.dumps(data), content_type="application/json", headers=headers)


PRACTICE = {"language": "da", "title": "T", "summary": "S", "goals": ["safe-communities"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Naboskab\r\nX-Injected: yes"}, "title"),
        ({"title": "Naboskab\ti Aarhus"}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"contact_name": "Ann\nBob"}, "contact_name"),
        ({"summary": "x" * 20_001}, "summary"),
    ],
)
def test_a_practice_refuses_text_that_breaks_the_rules(client, member, changes, field):
    headers = token(member)
    with unchanged():
        response = post(client, headers, "/api/v1/practices", {**PRACTICE, **changes})
    assert response.status_code == 422, response.json()
    assert response.json()["field"] == field


def test_a_title_with_a_line_break_names_the_rule(client, member):
    response = post(client, token(member), "/api/v1/practices", {**PRACTICE, "title": "a\nb"})
    assert "on one line" in response.json()["message"]


def test_an_observation_refuses_a_district_of_two_lines(client, secretariat):
    from safecities.indicators.models import Indicator

    indicator = Indicator.objects.exclude(source="computed").filter(period_type="year").first()
    data = {
        "indicator": indicator.code,
        "city": "oslo",
        "period": "2031",
        "value": "4",
        "district": "Grünerløkka\nSagene",
    }
    headers = token(secretariat)
    with unchanged():
        response = post(client, headers, "/api/v1/indicators/observations", data)
    assert response.status_code == 422
    assert response.json()["field"] == "district"
