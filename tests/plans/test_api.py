"""Action plans in the API, through HTTP with real tokens: public plans with their sections and
measures, drafts only for those who manage them, and progress reports on a measure."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecities.charter.models import Goal
from safecities.core.money import Money
from safecities.core.services import create_api_token
from safecities.plans import services
from safecities.plans.models import Measure, MeasureIndicator, ProgressUpdate
from tests.plans.factories import adopt, make_indicator, make_plan
from tests.utils import unchanged

API = "/api/v1/plans"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def token(user) -> dict:
    return bearer(create_api_token(actor=user, name="Script")[1])


def post(client, url: str, data: dict | None = None, headers: dict | None = None):
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", headers=headers or {}
    )


@pytest.fixture
def goal():
    return Goal.objects.order_by("position").first()


@pytest.fixture
def draft(demo, coordinator):
    return make_plan(actor=coordinator, municipality=demo.oslo, title="Oslo 2025–2028 (draft)")


@pytest.fixture
def measure(draft, coordinator, goal):
    measure = services.add_measure(
        actor=coordinator,
        plan=draft,
        title="Night walkers",
        goals=[goal],
        budget=Money("150000.00", "NOK"),
        starts_on=timezone.localdate().replace(month=1, day=1),
    )
    services.link_indicator(
        actor=coordinator,
        measure=measure,
        indicator=make_indicator("youth-feel-safe"),
        role=MeasureIndicator.Role.OUTCOME,
        direction=MeasureIndicator.Direction.INCREASE,
    )
    services.link_indicator(
        actor=coordinator,
        measure=measure,
        indicator=make_indicator("walks-held", kind="output"),
        role=MeasureIndicator.Role.OUTPUT,
        direction=MeasureIndicator.Direction.INCREASE,
    )
    return measure


@pytest.fixture
def adopted(draft, measure, coordinator):
    return adopt(actor=coordinator, plan=draft)


def test_an_adopted_plan_is_public_with_its_sections_and_measures(
    demo, client, adopted, measure, goal
):
    listed = client.get(API, {"city": "oslo"})
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["city"] == {"slug": "oslo", "name": "Oslo"}
    assert (item["status"], item["case_number"]) == ("adopted", "2025/1234")

    response = client.get(f"{API}/{adopted.pk}")
    assert response.status_code == 200
    plan = response.json()
    assert plan["title"] == "Oslo 2025–2028 (draft)"
    assert [s["goal"] for s in plan["sections"]] == list(
        Goal.objects.order_by("position").values_list("code", flat=True)
    )
    (shown,) = plan["measures"]
    assert shown["title"] == "Night walkers"
    assert shown["goals"] == [goal.code]
    assert (shown["budget"], shown["currency"]) == ("150000.00", "NOK")
    assert shown["status"] == "planned"
    assert shown["outcome_indicators"] == [
        {"indicator": "youth-feel-safe", "direction": "increase"}
    ]
    assert shown["output_indicators"] == [{"indicator": "walks-held", "direction": "increase"}]
    assert shown["progress"] == []


def test_a_city_without_plans_answers_an_empty_list(client, demo):
    response = client.get(API, {"city": "oslo"})
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
    assert client.get(API, {"city": "atlantis"}).status_code == 404


def test_drafts_are_not_public(
    demo, client, draft, coordinator, stockholm_coordinator, secretariat
):
    assert client.get(API, {"city": "oslo"}).json()["count"] == 0
    assert client.get(f"{API}/{draft.pk}").status_code == 404
    assert client.get(f"{API}/{draft.pk}", headers=bearer("sc_forged")).status_code == 404
    other = token(stockholm_coordinator)
    assert client.get(API, {"city": "oslo"}, headers=other).json()["count"] == 0
    assert client.get(f"{API}/{draft.pk}", headers=other).status_code == 404

    for manager in (coordinator, secretariat):
        headers = token(manager)
        assert client.get(API, {"city": "oslo"}, headers=headers).json()["count"] == 1
        assert client.get(f"{API}/{draft.pk}", headers=headers).status_code == 200


def test_a_progress_report_moves_the_measure(client, coordinator, adopted, measure):
    response = post(
        client,
        f"{API}/measures/{measure.pk}/progress",
        {
            "reported_on": str(timezone.localdate()),
            "text": "First walks held.",
            "status": "ongoing",
        },
        token(coordinator),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["measure"], body["status"], body["measure_status"]) == (
        measure.pk,
        "ongoing",
        "ongoing",
    )
    assert Measure.objects.get(pk=measure.pk).status == "ongoing"
    update = ProgressUpdate.objects.get(measure=measure)
    assert update.author == coordinator

    shown = client.get(f"{API}/{adopted.pk}").json()["measures"][0]
    assert shown["status"] == "ongoing"
    assert [p["text"] for p in shown["progress"]] == ["First walks held."]
    assert "author" not in shown["progress"][0]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"status": "done"}, 409, "status"),  # planned cannot jump to done
        ({"status": "finished"}, 400, "status"),
        ({"text": "  "}, 400, "text"),
        ({"reported_on": "tomorrow"}, 422, "reported_on"),
    ],
)
def test_refused_progress_names_the_field_and_changes_nothing(
    client, coordinator, measure, body, status, field
):
    headers = token(coordinator)
    given = {"reported_on": str(timezone.localdate()), "text": "Done.", "status": "ongoing"}
    with unchanged():
        response = post(client, f"{API}/measures/{measure.pk}/progress", given | body, headers)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert Measure.objects.get(pk=measure.pk).status == "planned"


def test_a_future_report_is_refused(client, coordinator, measure):
    headers = token(coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = {"reported_on": str(tomorrow), "text": "Soon.", "status": "ongoing"}
    with unchanged():
        response = post(client, f"{API}/measures/{measure.pk}/progress", body, headers)
    assert response.status_code == 400
    assert response.json()["field"] == "reported_on"


def test_only_the_citys_managers_report_progress(
    client, adopted, measure, stockholm_coordinator, member
):
    body = {"reported_on": str(timezone.localdate()), "text": "Hi.", "status": "ongoing"}
    url = f"{API}/measures/{measure.pk}/progress"
    headers = [token(stockholm_coordinator), token(member)]
    with unchanged():
        assert post(client, url, body).status_code == 401
        for h in headers:
            response = post(client, url, body, h)
            assert response.status_code == 403
            assert response.json()["message"]
        assert post(client, f"{API}/measures/999999/progress", body, headers[0]).status_code == 404


def test_the_plan_answers_in_a_fixed_number_of_queries(client, adopted, measure, coordinator, goal):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/{adopted.pk}").status_code == 200
        return len(captured)

    few = count()
    for i in range(5):
        services.add_measure(actor=coordinator, plan=adopted, title=f"Measure {i}", goals=[goal])
    assert count() == few
