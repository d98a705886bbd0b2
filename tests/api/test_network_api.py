"""The network in the API: public paginated reads, and applying with a personal token."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecities.core.services import create_api_token, revoke_api_token
from safecities.network import services
from safecities.network.models import (
    Country,
    Membership,
    MembershipApplication,
    Municipality,
    NationalProgramme,
    Organisation,
)
from tests.network.factories import (
    CityMembershipFactory,
    CountryFactory,
    IndividualMembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PersonFactory,
    decision_pdf,
    submit_city,
)
from tests.utils import unchanged

API = "/api/v1/network"

PUBLIC_LISTS = {
    "countries": Country,
    "municipalities": Municipality,
    "organisations": Organisation,
    "programmes": NationalProgramme,
}


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def coordinator_token(coordinator):
    return create_api_token(actor=coordinator, name="Case system")[1]


def application_form(municipality="drammen", **overrides) -> dict:
    data = {
        "municipality": municipality,
        "case_number": "Sak 2024/88",
        "decision_date": "2024-05-02",
        "contact_name": "Ola Nordmann",
        "contact_email": "ola@example.net",
        "motivation": "Learning from the network.",
        "decision_document": decision_pdf(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- public reads -------------------------------------------------------------------------


@pytest.mark.parametrize("things", sorted(PUBLIC_LISTS))
def test_public_lists_need_no_token_and_are_paginated(demo, client, things):
    response = client.get(f"{API}/{things}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == PUBLIC_LISTS[things].objects.count()
    assert len(body["items"]) == min(body["count"], 50)


def test_memberships_are_the_active_public_members(demo, client, coordinator):
    unlisted = PersonFactory(listed_publicly=False)
    IndividualMembershipFactory(person=unlisted, started_on=date(2022, 1, 1))
    services.end_membership(
        actor=coordinator,
        membership=Membership.objects.get(municipality=demo.oslo),
        reason="Paused.",
    )
    body = client.get(f"{API}/memberships").json()
    members = {item["member"] for item in body["items"]}
    assert body["count"] == len(body["items"])
    assert "Stockholm" in members
    assert "Oslo" not in members
    assert unlisted.full_name not in members
    stockholm = next(i for i in body["items"] if i["member"] == "Stockholm")
    assert stockholm["kind"] == "city"
    assert stockholm["country"] == "SE"
    assert stockholm["status"] == "active"
    assert stockholm["municipality_id"] == demo.stockholm.pk
    assert stockholm["started_on"] == "2018-05-15"


def test_memberships_filter(demo, client):
    cities = client.get(f"{API}/memberships?kind=city&country=se").json()["items"]
    assert sorted(i["member"] for i in cities) == ["Borlänge", "Gothenburg", "Stockholm"]
    assert [i["member"] for i in client.get(f"{API}/memberships?q=nuorten").json()["items"]] == [
        "Nuorten ääni ry"
    ]


def test_municipalities_filter_and_detail(demo, client):
    body = client.get(f"{API}/municipalities?country=dk").json()
    assert [m["name"] for m in body["items"]] == ["Copenhagen"]
    assert body["items"][0]["code"] == "101"
    found = client.get(f"{API}/municipalities", {"q": "bær"}).json()["items"]
    assert [m["slug"] for m in found] == ["baerum"]
    oslo = client.get(f"{API}/municipalities/oslo").json()
    assert oslo == {
        "id": demo.oslo.pk,
        "slug": "oslo",
        "name": "Oslo",
        "country": "NO",
        "code": "0301",
        "region": "Oslo",
        "population": 717_710,
    }
    missing = client.get(f"{API}/municipalities/atlantis")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Not found.", "field": None}


def test_organisations_carry_their_org_id(demo, client):
    items = client.get(f"{API}/organisations?country=fi").json()["items"]
    assert [i["slug"] for i in items] == ["nuorten-aani"]
    assert items[0]["org_id"] == demo.nuorten_aani.org_id
    assert items[0]["org_id"].startswith("FI-PRO-")
    assert [i["slug"] for i in client.get(f"{API}/organisations?type=foundation").json()["items"]]


def test_programmes_describe_the_funder(demo, client):
    (programme,) = client.get(f"{API}/programmes").json()["items"]
    assert programme["slug"] == "safe-cities-norway"
    assert programme["funder"] == "Gjensidigestiftelsen"
    assert programme["country"] == "NO"


def test_lists_page_through_the_rows(empty_db, client):
    norway = CountryFactory(code="NO")
    MunicipalityFactory.create_batch(60, country=norway)
    first = client.get(f"{API}/municipalities").json()
    second = client.get(f"{API}/municipalities?page=2").json()
    assert first["count"] == second["count"] == 60
    assert len(first["items"]) == 50
    assert len(second["items"]) == 10
    assert not {m["id"] for m in first["items"]} & {m["id"] for m in second["items"]}


def test_the_openapi_description_and_docs_load(db, client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/network/countries",
        "/api/v1/network/municipalities",
        "/api/v1/network/organisations",
        "/api/v1/network/memberships",
        "/api/v1/network/programmes",
        "/api/v1/network/membership-applications",
        "/api/v1/network/membership-applications/city",
        "/api/v1/charter/goals",
    ]:
        assert path in paths, path
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


# --- applying with a token --------------------------------------------------------------------


def test_a_coordinator_applies_with_a_token_and_reads_their_applications(
    demo, client, coordinator, coordinator_token
):
    response = client.post(
        f"{API}/membership-applications/city", application_form(), headers=bearer(coordinator_token)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    application = MembershipApplication.objects.get(municipality=demo.drammen)
    assert body["id"] == application.pk
    assert body["status"] == "submitted"
    assert body["applicant"] == "Drammen"
    assert body["case_number"] == "Sak 2024/88"
    assert body["decision_date"] == "2024-05-02"
    assert body["has_decision_document"] is True
    assert application.submitted_by == coordinator
    assert application.decision_document.read().startswith(b"%PDF-")

    listed = client.get(f"{API}/membership-applications", headers=bearer(coordinator_token))
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()["items"]] == [application.pk]
    one = client.get(
        f"{API}/membership-applications/{application.pk}", headers=bearer(coordinator_token)
    )
    assert one.status_code == 200
    assert one.json()["applicant"] == "Drammen"


def test_the_municipality_may_be_given_by_its_official_code(demo, client, coordinator_token):
    response = client.post(
        f"{API}/membership-applications/city",
        application_form(municipality="3301"),
        headers=bearer(coordinator_token),
    )
    assert response.status_code == 201
    assert response.json()["municipality_id"] == demo.drammen.pk


def not_pdf():
    return SimpleUploadedFile("decision.pdf", b"Hello, I am text.", "application/pdf")


def future():
    return (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("make_overrides", "status", "field", "message"),
    [
        (lambda: {"decision_date": future()}, 400, "decision_date", "in the future"),
        (lambda: {"decision_document": not_pdf()}, 400, "decision_document", "not a PDF"),
        (lambda: {"case_number": "as decided"}, 400, "case_number", "case number"),
        (lambda: {"municipality": "atlantis"}, 400, "municipality", "atlantis"),
        (lambda: {"municipality": "stockholm"}, 409, "municipality", "Stockholm is already"),
        (lambda: {"municipality": "oslo"}, 409, "municipality", "already an active member"),
        (lambda: {"decision_date": None}, 422, "decision_date", "required"),
        (lambda: {"decision_date": "11.04.2018"}, 422, "decision_date", "date"),
        (lambda: {"decision_document": None}, 422, "decision_document", "required"),
    ],
    ids=[
        "future-date",
        "not-a-pdf",
        "bad-case-number",
        "unknown-city",
        "other-city",
        "already-member",
        "missing-date",
        "unreadable-date",
        "missing-document",
    ],
)
def test_api_errors_are_json_naming_the_field(
    demo, client, coordinator_token, make_overrides, status, field, message
):
    with unchanged():
        response = client.post(
            f"{API}/membership-applications/city",
            application_form(**make_overrides()),
            headers=bearer(coordinator_token),
        )
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field
    assert message in body["message"]


def test_a_second_pending_application_is_refused_in_the_api(demo, client, coordinator_token):
    url = f"{API}/membership-applications/city"
    assert (
        client.post(url, application_form(), headers=bearer(coordinator_token)).status_code == 201
    )
    with unchanged():
        response = client.post(url, application_form(), headers=bearer(coordinator_token))
    assert response.status_code == 409
    assert response.json()["field"] == "municipality"


def test_without_a_token_the_api_answers_401(demo, client):
    with unchanged():
        response = client.post(f"{API}/membership-applications/city", application_form())
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]
    assert response.json()["field"] is None
    assert client.get(f"{API}/membership-applications").status_code == 401
    assert (
        client.get(f"{API}/membership-applications", headers=bearer("sc_forged")).status_code == 401
    )


def test_a_session_is_not_a_token(demo, coordinator_client):
    assert coordinator_client.get(f"{API}/membership-applications").status_code == 401


def test_a_revoked_token_stops_working(demo, client, coordinator):
    token, raw = create_api_token(actor=coordinator, name="Old script")
    assert client.get(f"{API}/membership-applications", headers=bearer(raw)).status_code == 200
    revoke_api_token(actor=coordinator, token=token)
    with unchanged():
        response = client.post(
            f"{API}/membership-applications/city", application_form(), headers=bearer(raw)
        )
    assert response.status_code == 401
    assert client.get(f"{API}/membership-applications", headers=bearer(raw)).status_code == 401


def test_a_coordinator_may_not_read_another_citys_application(demo, client, coordinator_token):
    response = client.get(
        f"{API}/membership-applications/{demo.stockholm_application.pk}",
        headers=bearer(coordinator_token),
    )
    assert response.status_code == 403
    assert response.json()["message"]
    listed = client.get(f"{API}/membership-applications", headers=bearer(coordinator_token))
    assert listed.json() == {"items": [], "count": 0}
    missing = client.get(f"{API}/membership-applications/999999", headers=bearer(coordinator_token))
    assert missing.status_code == 404


def test_the_secretariat_token_sees_every_application(demo, client, secretariat, coordinator):
    submit_city(actor=coordinator, municipality=demo.drammen)
    raw = create_api_token(actor=secretariat, name="Reports")[1]
    body = client.get(f"{API}/membership-applications?status=submitted", headers=bearer(raw)).json()
    assert [a["applicant"] for a in body["items"]] == ["Drammen"]
    assert client.get(f"{API}/membership-applications", headers=bearer(raw)).json()["count"] == 2


# --- the number of queries does not grow with the rows -------------------------------------


def add_memberships(n: int) -> None:
    for i in range(n):
        country = CountryFactory(code=("NO", "SE", "DK")[i % 3])
        if i % 3 == 0:
            CityMembershipFactory(municipality=MunicipalityFactory(country=country))
        elif i % 3 == 1:
            OrganisationMembershipFactory(organisation=OrganisationFactory(country=country))
        else:
            person = PersonFactory(organisation=OrganisationFactory(country=country))
            IndividualMembershipFactory(person=person, started_on=date(2022, 1, 1))


def add_municipalities(n: int) -> None:
    for i in range(n):
        MunicipalityFactory(country=CountryFactory(code=("NO", "SE")[i % 2]))


def add_organisations(n: int) -> None:
    for i in range(n):
        OrganisationFactory(country=CountryFactory(code=("NO", "SE", "DK")[i % 3]))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


LISTS = [
    (f"{API}/memberships", add_memberships),
    (f"{API}/municipalities", add_municipalities),
    (f"{API}/organisations", add_organisations),
]


@pytest.mark.parametrize(("url", "add_rows"), LISTS, ids=[u for u, _ in LISTS])
def test_api_lists_make_as_many_queries_for_200_rows_as_for_10(db, client, url, add_rows):
    add_rows(10)
    with_10 = count_queries(client, url)
    add_rows(190)
    with_200 = count_queries(client, url)
    assert with_10 == with_200, f"{url}: {with_10} queries with 10 rows, {with_200} with 200"
