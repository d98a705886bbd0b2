"""Change requests through the API: list, create, withdraw, decide, with the pages' rules."""

import json
from datetime import date

import pytest

from safecities.core.services import create_api_token
from safecities.grants.models import ChangeRequest
from tests.grants.agreement_helpers import accepted_award
from tests.grants.factories import make_programme
from tests.utils import unchanged


def token(user) -> dict:
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='changes')[1]}"}


def post(client, url: str, data: dict | None, headers: dict):
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", headers=headers
    )


@pytest.fixture
def award(demo, funder_officer, coordinator, reviewer):
    return accepted_award(
        demo=demo,
        officer=funder_officer,
        coordinator=coordinator,
        reviewer=reviewer,
        programme=make_programme(actor=funder_officer, funder=demo.funder),
    )


def ids(award) -> dict[str, int]:
    return {line.label: line.pk for line in award.application.budget_lines.all()}


def test_the_lead_requests_a_reallocation_and_the_runner_approves_it(
    client, award, coordinator, funder_officer
):
    lead, runner = token(coordinator), token(funder_officer)
    url = f"/api/v1/grants/awards/{award.pk}/changes"
    assert client.get(url, headers=lead).json() == []
    body = {
        "kind": "realloc",
        "reason": "Venues lent for free.",
        "lines": [
            {"line": ids(award)["Facilitators"], "amount": "80000"},
            {"line": ids(award)["Venues"], "amount": "20000.00"},
        ],
    }
    response = post(client, url, body, lead)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "submitted" and created["currency"] == "NOK"
    assert {row["line"]: row["amount"] for row in created["lines"]} == {
        ids(award)["Facilitators"]: "80000.00",
        ids(award)["Venues"]: "20000.00",
    }
    listed = client.get(url, headers=runner).json()
    assert [c["id"] for c in listed] == [created["id"]]

    response = post(
        client, f"/api/v1/grants/changes/{created['id']}/decide", {"decision": "approve"}, runner
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    approved = {line.label: line.approved_minor for line in award.application.budget_lines.all()}
    assert approved == {"Facilitators": 8_000_000, "Venues": 2_000_000}


def test_refusals_name_the_field_and_change_nothing(client, award, coordinator):
    lead = token(coordinator)
    url = f"/api/v1/grants/awards/{award.pk}/changes"
    unbalanced = {
        "kind": "realloc",
        "reason": "More facilitators.",
        "lines": [{"line": ids(award)["Facilitators"], "amount": "90000"}],
    }
    early = {"kind": "extension", "reason": "Later.", "new_ends_on": "2026-01-31"}
    with unchanged():
        response = post(client, url, unbalanced, lead)
        assert response.status_code == 400
        assert response.json()["field"] == "lines"
        response = post(client, url, early, lead)
        assert response.status_code == 400
        assert response.json()["field"] == "new_ends_on"
        response = post(client, url, {"kind": "realloc", "reason": "x", "lines": "no"}, lead)
        assert response.status_code == 422


def test_one_open_request_then_withdraw_then_decline_needs_a_note(
    client, award, coordinator, funder_officer
):
    lead, runner = token(coordinator), token(funder_officer)
    url = f"/api/v1/grants/awards/{award.pk}/changes"
    extension = {"kind": "extension", "reason": "Later.", "new_ends_on": "2026-08-31"}
    first = post(client, url, extension, lead).json()
    response = post(client, url, extension, lead)
    assert response.status_code == 409
    response = post(client, f"/api/v1/grants/changes/{first['id']}/withdraw", None, lead)
    assert response.json()["status"] == "withdrawn"
    second = post(client, url, extension, lead).json()
    decide = f"/api/v1/grants/changes/{second['id']}/decide"
    response = post(client, decide, {"decision": "decline"}, runner)
    assert response.status_code == 400 and response.json()["field"] == "note"
    response = post(client, decide, {"decision": "decline", "note": "Not now."}, runner)
    assert response.json()["status"] == "declined"
    assert response.json()["decision_note"] == "Not now."
    award.application.refresh_from_db()
    assert award.application.ends_on == date(2026, 2, 28)


def test_who_may(client, award, coordinator, funder_officer, member, contact):
    tokens = {u: token(u) for u in (coordinator, funder_officer, member, contact)}
    url = f"/api/v1/grants/awards/{award.pk}/changes"
    extension = {"kind": "extension", "reason": "Later.", "new_ends_on": "2026-08-31"}
    assert client.get(url).status_code == 401
    assert client.get(url, headers=tokens[member]).status_code == 403
    with unchanged():
        assert post(client, url, extension, tokens[funder_officer]).status_code == 403
        assert post(client, url, extension, tokens[member]).status_code == 403
    change = post(client, url, extension, tokens[coordinator]).json()
    decide = f"/api/v1/grants/changes/{change['id']}/decide"
    withdraw = f"/api/v1/grants/changes/{change['id']}/withdraw"
    with unchanged():
        assert post(client, decide, {"decision": "approve"}, tokens[coordinator]).status_code == 403
        assert post(client, withdraw, None, tokens[funder_officer]).status_code == 403
        assert post(client, withdraw, None, tokens[contact]).status_code == 403
    assert ChangeRequest.objects.get(pk=change["id"]).status == "submitted"
