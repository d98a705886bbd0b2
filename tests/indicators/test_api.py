"""Indicators in the API, through HTTP with real tokens: public reads of definitions and
observations under the small-number rule, and a coordinator writing their own city's values."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecities.charter.models import Goal
from safecities.core.services import create_api_token
from safecities.indicators import services
from safecities.indicators.models import Observation
from safecities.network.models import Country, Municipality
from tests.indicators.conftest import make_indicator
from tests.utils import unchanged

API = "/api/v1/indicators"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def token(user) -> dict:
    return bearer(create_api_token(actor=user, name="Script")[1])


def post(client, url: str, data: dict | None = None, headers: dict | None = None):
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", headers=headers or {}
    )


def record(actor, indicator, municipality, period, value, **kw):
    return services.record_observation(
        actor=actor,
        indicator=indicator,
        municipality=municipality,
        period=period,
        value=Decimal(value),
        **kw,
    )


# --- definitions -------------------------------------------------------------------------------


def test_indicators_are_public_in_every_language(client, secretariat):
    goal = Goal.objects.order_by("position").first()
    make_indicator(secretariat, goal=goal, licence="NLOD 2.0", source_name="Police, table 7")

    response = client.get(API, headers={"Accept-Language": "nb"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item == {
        "code": "hate-crime-reports",
        "name": "Anmeldt hatkriminalitet",
        "names": {"en": "Hate crime reported to the police", "nb": "Anmeldt hatkriminalitet"},
        "description": "Reports of hate crime, per year.",  # no Norwegian: English
        "descriptions": {"en": "Reports of hate crime, per year."},
        "kind": "outcome",
        "unit_type": "count",
        "better": "lower",
        "source": "police",
        "source_name": "Police, table 7",
        "period_type": "year",
        "goal": goal.code,
        "licence": "NLOD 2.0",
    }

    detail = client.get(f"{API}/hate-crime-reports")
    assert detail.status_code == 200
    assert detail.json()["code"] == "hate-crime-reports"
    assert "interpretations" in detail.json()
    missing = client.get(f"{API}/atlantis")
    assert missing.status_code == 404
    assert missing.json()["field"] is None


# --- observations ------------------------------------------------------------------------------


def test_observations_filter_by_indicator_city_and_period(
    demo, client, secretariat, indicator, share_indicator
):
    record(secretariat, indicator, demo.oslo, "2023", "40", source_url="https://ssb.no/t/1")
    record(secretariat, indicator, demo.oslo, "2024", "41.5")
    record(secretariat, indicator, demo.stockholm, "2024", "12")
    record(secretariat, share_indicator, demo.oslo, "2024", "71.2", numerator="712")

    everything = client.get(f"{API}/observations").json()
    assert everything["count"] == 4

    oslo = client.get(f"{API}/observations", {"indicator": indicator.code, "city": "oslo"}).json()
    assert [(o["period"], o["value"]) for o in oslo["items"]] == [("2023", "40"), ("2024", "41.5")]
    first = oslo["items"][0]
    assert first["city"] == {"slug": "oslo", "name": "Oslo", "code": demo.oslo.code}
    assert first["indicator"] == indicator.code
    assert first["suppressed"] is False
    assert first["display"] == "40"
    assert first["source_url"] == "https://ssb.no/t/1"
    assert "entered_by" not in first and "retrieved_at" in first
    assert secretariat.email not in json.dumps(oslo)

    by_code = client.get(f"{API}/observations", {"city": demo.oslo.code, "period": "2024"}).json()
    assert sorted(o["indicator"] for o in by_code["items"]) == [
        indicator.code,
        share_indicator.code,
    ]
    # With an indicator, any spelling of its period type.
    spelt = client.get(f"{API}/observations", {"indicator": indicator.code, "period": "2024A"})
    assert spelt.json()["count"] == 2

    assert client.get(f"{API}/observations", {"city": "atlantis"}).status_code == 404
    assert client.get(f"{API}/observations", {"indicator": "atlantis"}).status_code == 404
    bad = client.get(f"{API}/observations", {"indicator": indicator.code, "period": "2024-Q1"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "period"


def test_a_city_without_observations_answers_an_empty_list(client, demo):
    response = client.get(f"{API}/observations", {"city": "oslo"})
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_small_numbers_never_leave_the_server(
    demo, client, secretariat, indicator, share_indicator
):
    record(secretariat, indicator, demo.oslo, "2024", "3")
    record(
        secretariat,
        share_indicator,
        demo.oslo,
        "2024",
        "2.5",
        numerator="3",
        denominator="120",
        sample_size=120,
        ci_low="0.3",
        ci_high="7.1",
    )
    record(secretariat, indicator, demo.stockholm, "2024", "0")

    response = client.get(f"{API}/observations", {"city": "oslo"})
    items = {o["indicator"]: o for o in response.json()["items"]}
    count = items[indicator.code]
    assert (count["value"], count["display"], count["suppressed"]) == (None, "<5", True)
    rate = items[share_indicator.code]
    assert (rate["value"], rate["display"], rate["suppressed"]) == (None, None, True)
    assert (rate["numerator"], rate["denominator"], rate["ci_low"], rate["ci_high"]) == (
        None,
        None,
        None,
        None,
    )
    assert rate["sample_size"] is None
    # Every value but the clock's: a timestamp like "…:47.1…" is no leak.
    values = [
        str(v)
        for o in response.json()["items"]
        for k, v in o.items()
        if k not in ("updated_at", "retrieved_at", "id")
    ]
    for leaked in ("3", "2.5", "120", "7.1", "0.3"):
        assert leaked not in values
    assert not any(s in v for v in values for s in ("2.5", "7.1", "120"))

    zero = client.get(f"{API}/observations", {"city": "stockholm"}).json()["items"][0]
    assert (zero["value"], zero["display"], zero["suppressed"]) == ("0", "0", False)


def test_listing_observations_costs_the_same_for_3_or_12(
    demo, client, secretariat, indicator, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/observations").status_code == 200
        return len(captured)

    for year in range(2021, 2024):
        record(secretariat, indicator, demo.oslo, str(year), "10")
    few = queries()
    country = Country.objects.get(code="NO")
    for i in range(3):
        city = Municipality.objects.create(
            country=country, code=f"99{i:02d}", name=f"Testby {i}", slug=f"testby-{i}"
        )
        for year in range(2021, 2024):
            record(secretariat, indicator, city, str(year), "10")
    assert Observation.objects.count() == 12
    assert queries() == few
    with django_assert_max_num_queries(3):
        client.get(f"{API}/observations")


# --- writes ------------------------------------------------------------------------------------


def observation_body(of, /, **overrides) -> dict:
    return {
        "indicator": of.code,
        "city": "oslo",
        "period": "2024",
        "value": "12.5",
        **overrides,
    }


def test_a_coordinator_records_their_own_citys_value(demo, client, coordinator, share_indicator):
    response = post(
        client,
        f"{API}/observations",
        observation_body(
            share_indicator,
            numerator="25",
            denominator="200",
            status="final",
            note="Ungdata 2024",
            source_url="https://ungdata.no/oslo",
        ),
        token(coordinator),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["value"], body["numerator"], body["denominator"]) == ("12.5", "25", "200")
    assert (body["status"], body["note"], body["period"]) == ("final", "Ungdata 2024", "2024")
    observation = Observation.objects.get(indicator=share_indicator, municipality=demo.oslo)
    assert observation.value == Decimal("12.5")
    assert observation.entered_by == coordinator

    # By official code, and a second value for the same cell updates it.
    again = post(
        client,
        f"{API}/observations",
        observation_body(share_indicator, city=demo.oslo.code, value="13", numerator="26"),
        token(coordinator),
    )
    assert again.status_code == 201
    assert Observation.objects.get(pk=observation.pk).value == Decimal("13")
    assert observation.revisions.count() == 1


def test_a_coordinator_may_not_write_another_citys_value(demo, client, coordinator, indicator):
    headers = token(coordinator)
    with unchanged():
        response = post(
            client, f"{API}/observations", observation_body(indicator, city="stockholm"), headers
        )
    assert response.status_code == 403
    assert response.json()["field"] == "city"


def test_the_secretariat_writes_any_citys_value(demo, client, secretariat, indicator):
    response = post(
        client,
        f"{API}/observations",
        observation_body(indicator, city="stockholm", value="7"),
        token(secretariat),
    )
    assert response.status_code == 201
    assert response.json()["value"] == "7"


def test_a_small_count_written_is_answered_suppressed(client, coordinator, indicator):
    response = post(
        client, f"{API}/observations", observation_body(indicator, value="3"), token(coordinator)
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["value"], body["display"], body["suppressed"]) == (None, "<5", True)


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"value": "twelve"}, 400, "value"),
        ({"value": "12,5"}, 400, "value"),
        ({"value": 12.5}, 422, "value"),
        ({"value": "-1"}, 400, "value"),
        ({"denominator": "0"}, 400, "denominator"),
        ({"period": "2024-Q3"}, 400, "period"),
        ({"status": "guessed"}, 400, "status"),
        ({"city": "atlantis"}, 400, "city"),
        ({"indicator": "atlantis"}, 400, "indicator"),
        ({"colour": "red"}, 422, "colour"),
    ],
)
def test_refused_values_name_the_field_and_change_nothing(
    client, coordinator, indicator, overrides, status, field
):
    headers = token(coordinator)
    with unchanged():
        response = post(
            client, f"{API}/observations", observation_body(indicator, **overrides), headers
        )
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert response.json()["message"]


def test_without_a_token_writes_answer_401(client, member, indicator):
    member_token = token(member)
    with unchanged():
        assert post(client, f"{API}/observations", observation_body(indicator)).status_code == 401
        forged = post(client, f"{API}/observations", observation_body(indicator), bearer("sc_x"))
        assert forged.status_code == 401
        # A member who coordinates no city may not write.
        refused = post(client, f"{API}/observations", observation_body(indicator), member_token)
    assert refused.status_code == 403
