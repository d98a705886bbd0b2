"""Grants in the API, through HTTP with real tokens: public reads, an applicant's own
applications, the services' refusals as JSON, and the 360Giving files."""

import csv
import io
import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.money import Money
from safecities.core.services import create_api_token
from safecities.grants import services
from safecities.grants.models import Application, Award, Programme
from tests.grants.factories import (
    accept_agreement,
    finish_review,
    make_application,
    make_call_past_its_concept_deadline,
    make_open_call,
    make_programme,
    nok,
)
from tests.grants.test_giving360 import package_errors
from tests.utils import unchanged

API = "/api/v1/grants"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def token(user) -> dict:
    return bearer(create_api_token(actor=user, name="Script")[1])


def post(client, url: str, data: dict | None = None, headers: dict | None = None):
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", headers=headers or {}
    )


def patch(client, url: str, data: dict, headers: dict | None = None):
    return client.patch(url, json.dumps(data), content_type="application/json", headers=headers)


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(1_000_000))


@pytest.fixture
def call(programme, funder_officer):
    """An open call with two criteria and a number and a choice question."""
    now = timezone.now()
    draft = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Local partnerships 2027", "nb": "Lokale partnerskap 2027"},
        text={"en": "What we fund.", "sv": "Vad vi finansierar."},
        eligibility={"en": "Member cities."},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        max_amount=nok(200_000),
        goals=[Goal.objects.get(code="safe-urban-spaces")],
        time_zone="Europe/Oslo",
    )
    services.set_criteria(
        actor=funder_officer,
        call=draft,
        criteria=[
            {"name": {"en": "Relevance", "nb": "Relevans"}, "weight": 2},
            {"name": {"en": "Partnership"}, "weight": 1},
        ],
    )
    services.set_questions(
        actor=funder_officer,
        call=draft,
        questions=[
            {"kind": "number", "label": {"en": "How many young people take part?"}},
            {
                "kind": "choice",
                "label": {"en": "Where?"},
                "help_text": {"en": "The main arena."},
                "choices": [
                    {"value": "school", "label": {"en": "School", "nb": "Skole"}},
                    {"value": "street", "label": {"en": "Street"}},
                ],
                "required": False,
            },
            {"kind": "file", "label": {"en": "Letter of support"}, "required": False},
        ],
    )
    return services.open_call(actor=funder_officer, call=draft)


@pytest.fixture
def draft_call(programme, funder_officer):
    now = timezone.now()
    return services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Secret plans 2028"},
        opens_at=now + timedelta(days=100),
        closes_at=now + timedelta(days=130),
        max_amount=nok(100_000),
    )


@pytest.fixture
def coordinator_token(coordinator):
    return token(coordinator)


def award(*, officer, applicant, call, amount=None, **fields) -> Award:
    """An application written, submitted, reviewed and awarded through the services."""
    amount = amount or nok(100_000)
    application = make_application(actor=applicant, call=call, requested=amount, **fields)
    services.update_application(
        actor=applicant,
        application=application,
        goals=list(call.goals.all()),
        answers={q.pk: "12" for q in call.questions.all() if q.kind == "number"},
    )
    application = services.submit_application(actor=applicant, application=application)
    finish_review(application, actor=officer)
    return services.award_grant(application=application, amount=amount, actor=officer)


# --- programmes ------------------------------------------------------------------------------


def test_programmes_show_their_ledger_as_decimal_strings(
    demo, client, programme, call, funder_officer, coordinator
):
    granted = award(
        officer=funder_officer, applicant=coordinator, call=call, lead_municipality=demo.oslo
    )
    payment = services.schedule_payment(
        award=granted, amount=nok(80_000), due_on=date(2025, 3, 1), actor=funder_officer
    )
    accept_agreement(granted, runner=funder_officer)
    services.mark_paid(payment=payment, actor=funder_officer)

    response = client.get(f"{API}/programmes")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Programme.objects.count()
    (item,) = [p for p in body["items"] if p["slug"] == programme.slug]
    assert item["funder"] == {
        "slug": "gjensidigestiftelsen",
        "name": "Gjensidigestiftelsen",
        "org_id": demo.funder.org_id,
    }
    assert item["currency"] == "NOK"
    assert (item["budget"], item["awarded"], item["paid"], item["remaining"]) == (
        "1000000.00",
        "100000.00",
        "80000.00",
        "900000.00",
    )
    assert item["period"] == {"starts_on": "2024-01-01", "ends_on": "2026-12-31"}
    assert item["call_count"] == 1

    detail = client.get(f"{API}/programmes/{programme.slug}").json()
    assert detail["awarded"] == "100000.00"
    assert detail["breakdown"]["by_city"] == [{"label": "Oslo", "count": 1, "amount": "100000.00"}]
    assert detail["breakdown"]["by_goal"] == [
        {"label": "Safe urban spaces", "count": 1, "amount": "100000.00"}
    ]
    year = str(timezone.localdate(granted.decided_at).year)
    assert detail["breakdown"]["by_year"] == [{"label": year, "count": 1, "amount": "100000.00"}]

    missing = client.get(f"{API}/programmes/atlantis")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Not found.", "field": None}


# --- calls -----------------------------------------------------------------------------------


def test_a_call_gives_its_texts_deadlines_criteria_and_questions(client, call):
    response = client.get(f"{API}/calls/{call.pk}", headers={"Accept-Language": "nb"})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Lokale partnerskap 2027"
    assert body["titles"] == {"en": "Local partnerships 2027", "nb": "Lokale partnerskap 2027"}
    assert body["texts"] == {"en": "What we fund.", "sv": "Vad vi finansierar."}
    assert body["text"] == "What we fund."  # no Norwegian: English
    assert body["eligibilities"] == {"en": "Member cities."}
    oslo = ZoneInfo("Europe/Oslo")
    assert body["time_zone"] == "Europe/Oslo"
    assert body["closes_at"] == call.closes_at.astimezone(oslo).isoformat()
    assert body["closes_at"][-6:] in ("+01:00", "+02:00")
    assert body["concept_closes_at"] is None
    assert (body["currency"], body["min_amount"], body["max_amount"]) == (
        "NOK",
        "0.00",
        "200000.00",
    )
    assert body["stages"] == 1
    assert body["status"] == "open"
    assert body["goals"] == ["safe-urban-spaces"]
    assert [(c["name"], c["names"]["en"], c["weight"]) for c in body["criteria"]] == [
        ("Relevans", "Relevance", 2),
        ("Partnership", "Partnership", 1),
    ]
    number, choice, letter = body["questions"]
    assert letter["kind"] == "file"
    assert number["kind"] == "number"
    assert number["required"] is True
    assert number["stage"] == "full"
    assert choice["help"] == "The main arena."
    assert choice["required"] is False
    assert choice["choices"] == [
        {"value": "school", "label": "Skole", "labels": {"en": "School", "nb": "Skole"}},
        {"value": "street", "label": "Street", "labels": {"en": "Street"}},
    ]


def test_draft_calls_are_never_public(
    demo, client, call, draft_call, funder_officer, secretariat, member, coordinator
):
    closed = make_open_call(actor=funder_officer, programme=call.programme)
    services.close_call(actor=funder_officer, call=closed)

    def listed(headers=None):
        url = f"{API}/calls?programme={call.programme.slug}"
        return {c["id"] for c in client.get(url, headers=headers).json()["items"]}

    assert listed() == {call.pk, closed.pk}
    assert listed(token(member)) == {call.pk, closed.pk}
    assert listed(token(coordinator)) == {call.pk, closed.pk}
    assert listed(bearer("sc_forged")) == {call.pk, closed.pk}
    assert listed(token(funder_officer)) == {call.pk, closed.pk, draft_call.pk}
    assert listed(token(secretariat)) == {call.pk, closed.pk, draft_call.pk}
    open_only = client.get(f"{API}/calls?status=open&programme={call.programme.slug}").json()
    assert [c["id"] for c in open_only["items"]] == [call.pk]

    url = f"{API}/calls/{draft_call.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=token(coordinator)).status_code == 404
    assert client.get(url, headers=token(funder_officer)).json()["status"] == "draft"
    assert client.get(f"{API}/calls/{closed.pk}").json()["status"] == "closed"


# --- an applicant's applications --------------------------------------------------------------


def test_an_applicant_creates_patches_and_submits_an_application(
    demo, client, call, coordinator, coordinator_token, contact
):
    response = post(
        client,
        f"{API}/applications",
        {
            "call": call.pk,
            "lead": {"municipality": "oslo"},
            "title": "Summer night walkers",
            "requested": "150000.00",
            "budget_lines": [{"label": "Night walkers", "amount": "100000"}],
            "partners": [{"organisation": "nuorten-aani", "role": "Recruits volunteers"}],
        },
        headers=coordinator_token,
    )
    assert response.status_code == 201, response.getvalue()
    body = response.json()
    application = Application.objects.get(title="Summer night walkers")
    assert body["id"] == application.pk
    assert body["status"] == "draft"
    assert body["lead"] == {"kind": "municipality", "slug": "oslo", "name": "Oslo"}
    assert body["requested"] == "150000.00"
    assert body["budget_lines"] == [{"label": "Night walkers", "amount": "100000.00"}]
    partner = application.partners.get()
    assert body["partners"] == [
        {
            "kind": "organisation",
            "slug": "nuorten-aani",
            "name": "Nuorten ääni ry",
            "role": "Recruits volunteers",
            "id": partner.pk,
            "confirmed": False,
        }
    ]
    assert application.created_by == coordinator
    assert application.requested == nok(150_000)

    number, choice, _letter = call.questions.all()
    youth = Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP).first()
    url = f"{API}/applications/{application.pk}"
    response = patch(
        client,
        url,
        {
            "summary": "Night walkers in the parks all summer.",
            "budget_lines": [
                {"label": "Night walkers", "amount": "100000.00"},
                {"label": "Coffee", "amount": "50000.00"},
            ],
            "goals": ["safe-urban-spaces"],
            "target_groups": [youth.code],
            "starts_on": "2027-06-01",
            "ends_on": "2027-08-31",
            "answers": {str(number.pk): "40", str(choice.pk): "street"},
        },
        headers=coordinator_token,
    )
    assert response.status_code == 200, response.getvalue()
    body = response.json()
    assert body["title"] == "Summer night walkers"  # not sent: unchanged
    assert body["requested"] == "150000.00"
    assert body["summary"] == "Night walkers in the parks all summer."
    assert [line["amount"] for line in body["budget_lines"]] == ["100000.00", "50000.00"]
    assert len(body["partners"]) == 1  # not sent: unchanged
    assert body["goals"] == ["safe-urban-spaces"]
    assert body["target_groups"] == [youth.code]
    assert (body["starts_on"], body["ends_on"]) == ("2027-06-01", "2027-08-31")
    assert body["answers"] == {str(number.pk): "40", str(choice.pk): "street"}

    # The partner has not confirmed: the submission is refused, naming the partner.
    with unchanged():
        response = post(client, f"{url}/submit", headers=coordinator_token)
    assert response.status_code == 400
    assert response.json()["field"] == "partners_confirmed"
    assert "Nuorten ääni ry" in response.json()["message"]
    # The lead cannot confirm for its partner; the partner's contact can, with its own token.
    response = post(client, f"{API}/partners/{partner.pk}/confirm", headers=coordinator_token)
    assert response.status_code == 403
    response = post(client, f"{API}/partners/{partner.pk}/confirm", headers=token(contact))
    assert response.status_code == 200, response.getvalue()
    assert response.json()["partners"][0]["confirmed"] is True

    response = post(client, f"{url}/submit", headers=coordinator_token)
    assert response.status_code == 200, response.getvalue()
    assert response.json()["status"] == "submitted"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.versions.count() == 1

    listed = client.get(f"{API}/applications", headers=coordinator_token).json()
    mine = Application.objects.filter(lead_municipality__in=[demo.oslo, demo.drammen])
    assert {a["id"] for a in listed["items"]} == set(mine.values_list("pk", flat=True))
    (item,) = [a for a in listed["items"] if a["id"] == application.pk]
    assert item["status"] == "submitted"
    assert item["requested"] == "150000.00"

    # Submitted: no longer editable, and the refusal changes nothing.
    with unchanged():
        response = patch(client, url, {"title": "Renamed"}, headers=coordinator_token)
    assert response.status_code == 409
    assert response.json()["field"] == "status"
    application.refresh_from_db()
    assert application.title == "Summer night walkers"

    response = post(client, f"{url}/withdraw", headers=coordinator_token)
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


@pytest.fixture
def draft(demo, call, coordinator):
    """Oslo's draft: 150 000 asked, one budget line of 100 000, no answers yet."""
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(150_000),
        budget_lines=[("Facilitators", nok(100_000))],
        lead_municipality=demo.oslo,
        summary="Debates.",
    )


def test_submitting_budget_lines_that_do_not_add_up_is_refused(client, draft, coordinator_token):
    with unchanged():
        response = post(client, f"{API}/applications/{draft.pk}/submit", headers=coordinator_token)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "budget_lines"
    assert "add up to NOK" in body["message"]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.submitted_at is None


def test_submitting_without_a_required_answer_names_the_question(
    client, call, draft, coordinator_token
):
    services.update_application(
        actor=draft.created_by,
        application=draft,
        budget_lines=[("Facilitators", nok(150_000))],
        goals=list(call.goals.all()),
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    number = call.questions.get(kind="number")
    with unchanged():
        response = post(client, f"{API}/applications/{draft.pk}/submit", headers=coordinator_token)
    assert response.status_code == 400
    assert response.json()["field"] == f"answers.{number.pk}"


def create_body(call, **overrides) -> dict:
    body = {"call": call.pk, "lead": {"municipality": "oslo"}, "title": "Youth nights"}
    body.update(overrides)
    return body


CREATE_REFUSALS = [
    ("bad-amount", {"requested": "12 345,00"}, 422, "requested", "decimal string"),
    ("number-not-string", {"requested": 12345.5}, 422, "requested", "string"),
    ("too-many-decimals", {"requested": "100.001"}, 400, "requested", "at most 2 decimals"),
    ("negative", {"requested": "-5.00"}, 400, "requested", "negative"),
    (
        "bad-line-amount",
        {"budget_lines": [{"label": "Coffee", "amount": "lots"}]},
        422,
        "budget_lines.0.amount",
        "decimal string",
    ),
    (
        "zero-line",
        {"budget_lines": [{"label": "Coffee", "amount": "0"}]},
        400,
        "budget_lines",
        "above zero",
    ),
    ("unknown-city", {"lead": {"municipality": "atlantis"}}, 400, "lead", "atlantis"),
    (
        "two-leads",
        {"lead": {"municipality": "oslo", "organisation": "nuorten-aani"}},
        400,
        "lead",
        "one municipality",
    ),
    ("other-city", {"lead": {"municipality": "stockholm"}}, 403, "lead", "may not"),
    ("unknown-partner", {"partners": [{"organisation": "nobody"}]}, 400, "partners.0", "nobody"),
    ("no-title", {"title": "  "}, 400, "title", "title"),
    ("unknown-key", {"goals": ["safe-urban-spaces"]}, 422, "goals", "not permitted"),
]


@pytest.mark.parametrize(
    ("overrides", "status", "field", "message"),
    [case[1:] for case in CREATE_REFUSALS],
    ids=[case[0] for case in CREATE_REFUSALS],
)
def test_refused_applications_are_json_naming_the_field(
    client, call, coordinator_token, overrides, status, field, message
):
    with unchanged():
        response = post(
            client, f"{API}/applications", create_body(call, **overrides), coordinator_token
        )
    assert response.status_code == status, response.getvalue()
    body = response.json()
    assert body["field"] == field
    assert message in body["message"]


def test_a_draft_call_takes_no_applications(client, draft_call, coordinator_token):
    with unchanged():
        response = post(client, f"{API}/applications", create_body(draft_call), coordinator_token)
    assert response.status_code == 409
    assert response.json()["field"] == "call"


def test_a_call_past_its_concept_deadline_is_not_offered_for_applying(
    client, call, programme, funder_officer, coordinator_token
):
    """The API says which calls take new applications by the rule the service applies."""
    late = make_call_past_its_concept_deadline(actor=funder_officer, programme=programme)
    assert client.get(f"{API}/calls/{late.pk}").json()["accepts_applications"] is False
    assert client.get(f"{API}/calls/{call.pk}").json()["accepts_applications"] is True
    listed = client.get(f"{API}/calls?accepting=true&programme={programme.slug}").json()
    assert [c["id"] for c in listed["items"]] == [call.pk]
    with unchanged():
        response = post(client, f"{API}/applications", create_body(late), coordinator_token)
    assert response.status_code == 409
    assert response.json()["field"] == "call"


def test_a_draft_says_what_its_submission_still_needs_as_the_service_refuses_it(
    demo, client, programme, funder_officer, coordinator, coordinator_token
):
    """`missing` is the submit page's checklist: a partnership the service does not take (a
    city that is not a member) is missing there, and submitting is refused on that field."""
    partnership = make_open_call(
        actor=funder_officer, programme=programme, requires_partnership=True
    )
    draft = make_application(
        actor=coordinator,
        call=partnership,
        requested=nok(1000),
        lead_municipality=demo.drammen,
        partners=[(demo.nuorten_aani, "")],
    )
    url = f"{API}/applications/{draft.pk}"
    missing = client.get(url, headers=coordinator_token).json()["missing"]
    assert [m["field"] for m in missing] == ["partners"]
    with unchanged():
        refused = post(client, f"{url}/submit", headers=coordinator_token)
    assert refused.status_code == 400
    assert refused.json() == {"message": missing[0]["message"], "field": "partners"}
    services.update_application(
        actor=coordinator,
        application=draft,
        partners=[(demo.nuorten_aani, ""), (demo.oslo, "Hosts the walks")],
    )
    # Nuorten ääni's confirmation is kept (same role); Oslo, new, has yet to confirm.
    missing = client.get(url, headers=coordinator_token).json()["missing"]
    assert [m["field"] for m in missing] == ["partners_confirmed"]
    assert "Oslo has not confirmed" in missing[0]["message"]
    oslo = draft.partners.get(municipality=demo.oslo)
    confirmed = post(client, f"{API}/partners/{oslo.pk}/confirm", headers=coordinator_token)
    assert confirmed.status_code == 200, confirmed.getvalue()
    assert client.get(url, headers=coordinator_token).json()["missing"] == []
    assert post(client, f"{url}/submit", headers=coordinator_token).status_code == 200


def test_a_closed_call_refuses_new_applications(client, call, funder_officer, coordinator_token):
    services.close_call(actor=funder_officer, call=call)
    with unchanged():
        response = post(client, f"{API}/applications", create_body(call), coordinator_token)
    assert response.status_code == 409
    assert response.json()["field"] == "call"
    with unchanged():
        response = post(
            client, f"{API}/applications", {**create_body(call), "call": 999999}, coordinator_token
        )
    assert response.status_code == 400
    assert response.json()["field"] == "call"


PATCH_REFUSALS = [
    ("bad-amount", {"requested": "1.000,00"}, 422, "requested"),
    (
        "bad-line",
        {"budget_lines": [{"label": "Coffee", "amount": "1e5"}]},
        422,
        "budget_lines.0.amount",
    ),
    ("unknown-goal", {"goals": ["world-peace"]}, 400, "goals"),
    ("unknown-target-group", {"target_groups": ["martians"]}, 400, "target_groups"),
    ("ends-before-start", {"starts_on": "2027-06-01", "ends_on": "2027-01-01"}, 400, "ends_on"),
    ("unknown-question", {"answers": {"999999": "x"}}, 400, "answers"),
]


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [case[1:] for case in PATCH_REFUSALS],
    ids=[case[0] for case in PATCH_REFUSALS],
)
def test_refused_changes_are_json_naming_the_field(
    client, draft, coordinator_token, data, status, field
):
    with unchanged():
        response = patch(client, f"{API}/applications/{draft.pk}", data, coordinator_token)
    assert response.status_code == status, response.getvalue()
    assert response.json()["field"] == field
    draft.refresh_from_db()
    assert draft.requested == nok(150_000)
    assert draft.starts_on == date(2025, 3, 1)


def test_a_wrong_answer_names_its_question(client, call, draft, coordinator_token):
    number = call.questions.get(kind="number")
    with unchanged():
        response = patch(
            client,
            f"{API}/applications/{draft.pk}",
            {"answers": {str(number.pk): "many"}},
            coordinator_token,
        )
    assert response.status_code == 400
    assert response.json()["field"] == f"answers.{number.pk}"
    assert not draft.answers.exists()


def test_file_answers_are_not_given_through_the_api(client, call, draft, coordinator_token):
    letter = call.questions.get(kind="file")
    with unchanged():
        response = patch(
            client,
            f"{API}/applications/{draft.pk}",
            {"summary": "Changed", "answers": {str(letter.pk): "letter.pdf"}},
            coordinator_token,
        )
    assert response.status_code == 400
    assert response.json()["field"] == f"answers.{letter.pk}"
    assert "upload it" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.summary == "Debates."


def test_someone_elses_application_is_403(demo, client, draft, contact, member, funder_officer):
    url = f"{API}/applications/{draft.pk}"
    for user in (contact, member):
        headers = token(user)
        with unchanged():
            assert client.get(url, headers=headers).status_code == 403
            refused = patch(client, url, {"title": "Mine now"}, headers)
            assert post(client, f"{url}/submit", headers=headers).status_code == 403
            assert post(client, f"{url}/withdraw", headers=headers).status_code == 403
        assert refused.status_code == 403
        assert refused.json() == {"message": "You may not do this.", "field": None}
        assert client.get(f"{API}/applications", headers=headers).json() == {
            "items": [],
            "count": 0,
        }
    # The funder officer reads it, but does not write it.
    officer = token(funder_officer)
    assert client.get(url, headers=officer).status_code == 200
    with unchanged():
        assert patch(client, url, {"title": "Ours now"}, officer).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Oslo snakker — youth edition"
    assert client.get(f"{API}/applications/999999", headers=officer).status_code == 404


def test_without_a_token_the_applications_answer_401(client, call, draft):
    url = f"{API}/applications/{draft.pk}"
    with unchanged():
        assert client.get(f"{API}/applications").status_code == 401
        assert client.get(url).status_code == 401
        assert post(client, f"{API}/applications", create_body(call)).status_code == 401
        response = patch(client, url, {"title": "Anonymous"})
        assert post(client, f"{url}/submit").status_code == 401
        assert client.get(url, headers=bearer("sc_forged")).status_code == 401
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]
    # GET on an action answers 405 before asking for a token, as for every POST-only URL.
    assert client.get(f"{url}/submit").status_code == 405


def test_a_reviewer_in_a_blind_call_does_not_see_who_applies(
    demo, client, programme, funder_officer, coordinator, reviewer
):
    blind = make_open_call(actor=funder_officer, programme=programme, blind_review=True)
    application = make_application(
        actor=coordinator,
        call=blind,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Volunteers")],
    )
    application = services.submit_application(actor=coordinator, application=application)
    services.assign_reviewer(actor=funder_officer, application=application, reviewer=reviewer)
    body = client.get(f"{API}/applications/{application.pk}", headers=token(reviewer)).json()
    assert body["lead"] is None
    assert body["partners"] == []
    assert body["title"] == application.title
    seen = client.get(f"{API}/applications/{application.pk}", headers=token(funder_officer))
    assert seen.json()["lead"]["slug"] == "oslo"


# --- awards and 360Giving ---------------------------------------------------------------------


def test_awards_are_public_with_their_360giving_identifier(
    demo, client, call, funder_officer, coordinator, contact, settings
):
    oslo = award(
        officer=funder_officer,
        applicant=coordinator,
        call=call,
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Volunteers")],
        title="Oslo snakker",
    )
    award(
        officer=funder_officer,
        applicant=contact,
        call=call,
        lead_organisation=demo.nuorten_aani,
        title="Nuorten illat",
        amount=nok("2500.50"),
    )
    Application.objects.filter(title="Nuorten illat").update(illustrative=True)

    everything = client.get(f"{API}/awards")
    assert everything.status_code == 200
    assert everything.json()["count"] == Award.objects.count()
    body = client.get(f"{API}/awards?programme={call.programme.slug}").json()
    assert body["count"] == 2
    first = next(a for a in body["items"] if a["id"] == oslo.pk)
    assert first == {
        "id": oslo.pk,
        "identifier": f"{settings.GRANTS_360_PREFIX}-{oslo.pk}",
        "title": "Oslo snakker",
        "lead": {"kind": "municipality", "slug": "oslo", "name": "Oslo"},
        "partners": [
            {
                "kind": "organisation",
                "slug": "nuorten-aani",
                "name": "Nuorten ääni ry",
                "role": "Volunteers",
            }
        ],
        "amount": "100000.00",
        "currency": "NOK",
        "decided_on": timezone.localdate(oslo.decided_at).isoformat(),
        "programme": call.programme.slug,
        "call": call.pk,
        "illustrative": False,
    }
    other = next(a for a in body["items"] if a["title"] == "Nuorten illat")
    assert other["amount"] == "2500.50"
    assert other["lead"]["kind"] == "organisation"
    assert other["illustrative"] is True
    assert client.get(f"{API}/awards?programme=atlantis").status_code == 404


def test_the_360giving_files_hold_the_real_awards(
    demo, client, call, funder_officer, coordinator, contact, settings
):
    real = [
        award(
            officer=funder_officer,
            applicant=coordinator,
            call=call,
            lead_municipality=demo.oslo,
            title=f"Project {n}",
        )
        for n in range(3)
    ]
    award(
        officer=funder_officer,
        applicant=contact,
        call=call,
        lead_organisation=demo.nuorten_aani,
        title="Fictional",
    )
    Application.objects.filter(title="Fictional").update(illustrative=True)
    published = Award.objects.filter(application__illustrative=False)  # and any the demo has
    prefix = settings.GRANTS_360_PREFIX

    response = client.get(f"{API}/360giving.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.streaming  # written a grant at a time
    data = json.loads(response.getvalue())
    ids = {g["id"] for g in data["grants"]}
    assert ids == {f"{prefix}-{a.pk}" for a in published}
    assert {f"{prefix}-{a.pk}" for a in real} <= ids
    assert data["grants"][0]["currency"] == "NOK"
    assert package_errors(data) == []

    response = client.get(f"{API}/360giving.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="safecities-360giving.csv"'
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))
    assert len(rows) == published.count()
    assert {r["Identifier"] for r in rows} == ids
    assert "Fictional" not in {r["Title"] for r in rows}

    # Asked for, the demo network's fictional grants come too.
    data = json.loads(client.get(f"{API}/360giving.json?illustrative=true").getvalue())
    assert len(data["grants"]) == Award.objects.count()
    assert package_errors(data) == []
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"{API}/360giving.csv?illustrative=true").getvalue().decode())
        )
    )
    assert len(rows) == Award.objects.count()
    assert "Fictional" in {r["Title"] for r in rows}


# --- the number of queries does not grow with the rows ---------------------------------------


def count_queries(client, url: str, headers=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
        response.getvalue()  # a streamed body reads the database as it is sent
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_awards(n: int, *, demo, call, officer, coordinator, contact) -> None:
    for i in range(n):
        if i % 2:
            award(
                officer=officer,
                applicant=contact,
                call=call,
                lead_organisation=demo.nuorten_aani,
                amount=nok(1_000),
                partners=[(demo.oslo, "Host")],
            )
        else:
            award(
                officer=officer,
                applicant=coordinator,
                call=call,
                lead_municipality=demo.oslo,
                amount=nok(1_000),
                partners=[(demo.nuorten_aani, "Volunteers"), (demo.drammen, "Twin city")],
            )


def test_lists_make_as_many_queries_for_12_awards_as_for_3(
    demo, client, call, funder_officer, coordinator, contact
):
    def add(n):
        add_awards(
            n,
            demo=demo,
            call=call,
            officer=funder_officer,
            coordinator=coordinator,
            contact=contact,
        )
        for _i in range(n):
            make_open_call(actor=funder_officer, programme=call.programme)
            make_application(
                actor=coordinator, call=call, requested=nok(1_000), lead_municipality=demo.oslo
            )

    urls = [
        f"{API}/awards",
        f"{API}/programmes",
        f"{API}/calls",
        f"{API}/applications",
        f"{API}/360giving.json",
        f"{API}/360giving.csv",
    ]
    headers = token(coordinator)
    client.get(f"{API}/applications", headers=headers)  # the token's first use is recorded
    add(3)
    with_3 = {url: count_queries(client, url, headers) for url in urls}
    add(9)
    with_12 = {url: count_queries(client, url, headers) for url in urls}
    assert Award.objects.count() >= 12
    assert with_3 == with_12


def test_the_openapi_description_lists_the_grants_paths(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/grants/programmes",
        "/api/v1/grants/programmes/{slug}",
        "/api/v1/grants/calls",
        "/api/v1/grants/calls/{pk}",
        "/api/v1/grants/applications",
        "/api/v1/grants/applications/{pk}",
        "/api/v1/grants/applications/{pk}/submit",
        "/api/v1/grants/applications/{pk}/withdraw",
        "/api/v1/grants/awards",
        "/api/v1/grants/360giving.json",
        "/api/v1/grants/360giving.csv",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/grants/applications/{pk}"]) == {"get", "patch"}
    assert set(paths["/api/v1/grants/applications"]) == {"get", "post"}


def test_money_strings_keep_the_currencys_minor_unit():
    from safecities.api.grants_schemas import decimal_text

    assert decimal_text(nok(10_000_000)) == "10000000.00"
    assert decimal_text(Money.from_minor(0, "NOK")) == "0.00"
    assert decimal_text(Money.from_minor(5_000_000, "ISK")) == "5000000"
