"""The network's pages: what people see and what their forms do."""

import html
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecities.charter.models import Endorsement
from safecities.core import audit
from safecities.core.models import AuditEvent
from safecities.demo.pdf import simple_pdf
from safecities.network.models import (
    MemberKind,
    Membership,
    MembershipApplication,
    Organisation,
    Role,
    RoleAssignment,
)
from tests.core.factories import UserFactory
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


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str:
    """The error the page shows for `field`, as the form holds it."""
    form = response.context["form"]
    assert field in form.errors, f"no error on {field}: {form.errors.as_data()}"
    assert f'id="id_{field}_error"' in response.content.decode()
    return " ".join(form.errors[field])


def city_form(municipality, **overrides) -> dict:
    data = {
        "municipality": municipality.pk,
        "case_number": "Sak 2024/77",
        "decision_date": "2024-02-01",
        "decision_document": decision_pdf(),
        "contact_name": "Ola Nordmann",
        "contact_email": "ola@example.net",
        "motivation": "We want to learn from other cities.",
    }
    data.update(overrides)
    return data


# --- public pages -------------------------------------------------------------------------


def test_home_shows_the_network_figures(demo, client):
    response = client.get("/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["cities"] == Membership.objects.filter(kind="city", status="active").count()
    assert figures["countries"] == 5
    assert "Safe Cities Norway" in text(response)


def members_shown(client, query: str) -> list[str]:
    return sorted(str(m.member) for m in client.get(f"/members/?{query}").context["page"])


def test_the_directory_lists_active_members_by_country(demo, client):
    page = text(client.get("/members/?kind=city"))
    assert "Oslo" in page
    assert "Stockholm" in page
    assert "Drammen" not in page  # not a member yet
    assert "Trygge nabolag Skien" not in text(client.get("/members/?kind=organisation"))


def test_the_directory_names_each_country_in_the_readers_language(demo, client):
    """Individual members are grouped under their country's name too, never its code."""
    individuals = client.get("/members/?kind=individual", HTTP_ACCEPT_LANGUAGE="nb")
    page = text(individuals)
    codes = {m.country_code for m in individuals.context["page"] if m.country_code}
    assert "NO" in codes
    assert 'id="country-NO">Norge</h2>' in page
    for code in codes:
        assert f'id="country-{code}">{code}</h2>' not in page
    finnish = text(client.get("/members/?kind=individual", HTTP_ACCEPT_LANGUAGE="fi"))
    assert 'id="country-NO">Norja</h2>' in finnish


def test_the_directory_filters_by_country_kind_and_search(demo, client):
    assert members_shown(client, "country=SE&kind=city") == ["Borlänge", "Gothenburg", "Stockholm"]
    assert members_shown(client, "country=SE&kind=organisation") == ["Föreningen Trygga grannar"]
    organisations = client.get("/members/?kind=organisation").context["page"]
    assert {m.kind for m in organisations} == {"organisation"}
    assert members_shown(client, "q=rogaland") == ["Haugesund", "Stavanger"]


def test_an_ended_membership_leaves_the_directory(demo, client, coordinator):
    from safecities.network import services

    membership = Membership.objects.get(municipality=demo.oslo, status="active")
    assert "Oslo" in members_shown(client, "country=NO&kind=city")
    services.end_membership(actor=coordinator, membership=membership, reason="Paused.")
    assert "Oslo" not in members_shown(client, "country=NO&kind=city")


def test_people_lists_only_those_who_agreed(demo, client):
    page = text(client.get("/people/"))
    assert "Ingrid Berg" in page
    assert "Jens Hansen" not in page  # the reviewer did not agree to be listed
    assert "Anne Hansen" not in page


def test_a_city_page_shows_its_membership_and_endorsement(demo, client):
    response = client.get("/cities/stockholm/")
    assert response.status_code == 200
    assert "Stockholm" in text(response)
    assert response.context["can_manage"] is False
    assert client.get("/cities/no-such-city/").status_code == 404


def test_a_coordinator_may_manage_their_city_page(demo, coordinator_client):
    assert coordinator_client.get("/cities/oslo/").context["can_manage"] is True
    assert coordinator_client.get("/cities/stockholm/").context["can_manage"] is False


def test_programme_pages(demo, client):
    assert "Safe Cities Norway" in text(client.get("/programmes/"))
    response = client.get("/programmes/safe-cities-norway/")
    cities = {m.name: m.is_member for m in response.context["programme"].municipalities.all()}
    assert len(cities) == 12
    assert cities["Oslo"] is True
    assert client.get("/programmes/nope/").status_code == 404


# --- applying for a city ------------------------------------------------------------------


def test_the_city_form_offers_every_municipality_not_a_member_by_country(demo, member_client):
    country = demo.oslo.country
    MunicipalityFactory(
        country=country, name="Trondheim", code="5001", names={"nb": "Trondheim", "sma": "Tråante"}
    )
    response = member_client.get("/membership/apply/city/")
    page = response.content.decode()
    choices = response.context["form"].fields["municipality"].queryset
    assert {m.name for m in choices} >= {"Drammen", "Trondheim", "Oslo"}
    assert "Oslo (0301), a member already</option>" in page
    # Grouped by country, each with its official code and other official names; a search box
    # label for the script that narrows the list.
    assert f'<optgroup label="{country.display_name}">' in page
    assert "Trondheim – Tråante (5001)</option>" in html.unescape(page)
    assert 'data-search-label="Find the city by name or official code"' in page


def test_anyone_applies_for_a_city_of_the_registry_and_becomes_its_coordinator(
    demo, member, member_client, secretariat_client
):
    trondheim = MunicipalityFactory(country=demo.oslo.country, name="Trondheim", code="5001")
    response = member_client.post("/membership/apply/city/", city_form(trondheim))
    assert response.status_code == 302, response.context and response.context["form"].errors
    application = MembershipApplication.objects.get(municipality=trondheim)
    page = text(secretariat_client.get(f"/membership/applications/{application.pk}/approve/"))
    assert (
        f"({member.email}), who applied, is given the role “City coordinator” for Trondheim" in page
    )
    secretariat_client.post(f"/membership/applications/{application.pk}/approve/")
    assert RoleAssignment.objects.filter(
        user=member, role=Role.COORDINATOR, municipality=trondheim
    ).exists()
    assert Membership.objects.get(municipality=trondheim).status == "active"


def test_a_coordinator_applies_for_their_city_on_the_page(
    demo, coordinator, coordinator_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post("/membership/apply/city/", city_form(demo.drammen))
    application = MembershipApplication.objects.get(municipality=demo.drammen)
    assert response.status_code == 302
    assert response["Location"] == f"/membership/applications/{application.pk}/"
    assert application.submitted_by == coordinator
    assert application.case_number == "Sak 2024/77"
    assert len(mailoutbox) == 1
    page = coordinator_client.get(response["Location"])
    assert 'id="application-status">Awaiting decision<' in page.content.decode()
    document = coordinator_client.get(f"/membership/applications/{application.pk}/decision.pdf")
    assert document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("make_overrides", "field", "message"),
    [
        (lambda: {"case_number": "the decision of spring"}, "case_number", "case number"),
        (
            lambda: {"decision_document": SimpleUploadedFile("d.pdf", b"GIF89a not a pdf")},
            "decision_document",
            "d.pdf is not a PDF file",
        ),
        (
            lambda: {
                "decision_document": SimpleUploadedFile(
                    "d.pdf", simple_pdf(["x"])[:60] + b"\0" * 99
                )
            },
            "decision_document",
            "damaged",
        ),
        (
            lambda: {
                "decision_document": SimpleUploadedFile(
                    "big.pdf", simple_pdf(["Vedtak " + "x" * 1000] * 10_600)
                )
            },
            "decision_document",
            "the limit is 10 MB",
        ),
        (lambda: {"decision_date": "11.04.2018"}, "decision_date", "valid date"),
    ],
    ids=["bad-case-number", "not-a-pdf", "damaged-pdf", "pdf-over-10-mb", "unreadable-date"],
)
def test_a_bad_city_application_is_refused_on_the_page(
    demo, coordinator_client, make_overrides, field, message
):
    overrides = make_overrides()
    with unchanged():
        response = coordinator_client.post(
            "/membership/apply/city/", city_form(demo.drammen, **overrides)
        )
    assert response.status_code == 200
    assert message in field_error(response, field)


def test_a_decision_date_in_the_future_is_refused_on_the_page(demo, coordinator_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with unchanged():
        response = coordinator_client.post(
            "/membership/apply/city/", city_form(demo.drammen, decision_date=tomorrow)
        )
    assert "in the future" in field_error(response, "decision_date")


def test_an_active_member_applying_again_is_refused_on_the_page(demo, coordinator_client):
    with unchanged():
        response = coordinator_client.post("/membership/apply/city/", city_form(demo.oslo))
    assert "already an active member" in field_error(response, "municipality")


def test_a_second_pending_application_is_refused_on_the_page(demo, coordinator_client):
    coordinator_client.post("/membership/apply/city/", city_form(demo.drammen))
    with unchanged():
        response = coordinator_client.post("/membership/apply/city/", city_form(demo.drammen))
    assert "already awaiting a decision" in field_error(response, "municipality")


def test_applying_for_a_city_needs_a_login(demo, client):
    with unchanged():
        response = client.post("/membership/apply/city/", city_form(demo.drammen))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_may_not_touch_another_citys_application_or_membership(
    demo, coordinator_client
):
    application = demo.stockholm_application
    membership = Membership.objects.get(municipality=demo.stockholm, status="active")
    base = f"/membership/applications/{application.pk}"
    with unchanged():
        assert coordinator_client.get(f"{base}/").status_code == 403
        assert coordinator_client.get(f"{base}/decision.pdf").status_code == 403
        assert coordinator_client.post(f"{base}/withdraw/").status_code == 403
        assert coordinator_client.post(f"{base}/approve/").status_code == 403
        assert coordinator_client.get(f"/memberships/{membership.pk}/end/").status_code == 403
        response = coordinator_client.post(
            f"/memberships/{membership.pk}/end/", {"reason": "Not mine."}
        )
        assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == "active"


# --- deciding -----------------------------------------------------------------------------


def test_the_secretariat_approves_on_the_page(
    demo,
    coordinator,
    coordinator_client,
    secretariat_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    page = secretariat_client.get(f"/membership/applications/{application.pk}/")
    assert "Approve the membership" in text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/membership/applications/{application.pk}/approve/")

    assert response.status_code == 302
    membership = Membership.objects.get(municipality=demo.drammen)
    assert membership.status == "active"
    assert Endorsement.objects.filter(membership=membership).count() == 1
    assert {
        "network.application.approve",
        "network.membership.start",
        "charter.endorse",
    } <= set(AuditEvent.objects.values_list("action", flat=True))
    assert [m.to for m in mailoutbox] and coordinator.email in mailoutbox[0].to
    own_page = coordinator_client.get(f"/membership/applications/{application.pk}/")
    assert 'id="application-status">Approved<' in own_page.content.decode()
    assert "Drammen" in text(coordinator_client.get("/members/?country=NO"))


def test_a_decline_without_reason_is_refused_on_the_page(demo, coordinator, secretariat_client):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    with unchanged():
        response = secretariat_client.post(
            f"/membership/applications/{application.pk}/decline/", {"reason": " "}
        )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_secretariat_declines_with_a_reason_on_the_page(
    demo,
    coordinator,
    coordinator_client,
    secretariat_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            f"/membership/applications/{application.pk}/decline/",
            {"reason": "The document is not signed."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "declined"
    assert len(mailoutbox) == 1
    assert "The document is not signed." in mailoutbox[0].body
    page = text(coordinator_client.get(f"/membership/applications/{application.pk}/"))
    assert "Declined" in page
    assert "The document is not signed." in page


def test_approving_twice_changes_nothing(demo, coordinator, secretariat_client):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    secretariat_client.post(f"/membership/applications/{application.pk}/approve/")
    with unchanged():
        response = secretariat_client.post(
            f"/membership/applications/{application.pk}/approve/", follow=True
        )
    assert "already approved" in text(response)


def test_a_get_of_a_decision_changes_nothing(demo, secretariat_client):
    for action in ("approve", "decline"):
        url = f"/membership/applications/{demo.stockholm_application.pk}/{action}/"
        with unchanged():
            response = secretariat_client.get(url)
        assert response.status_code == 200
        assert "there is nothing to decide now" in text(response)  # already approved


def test_the_applicant_withdraws_on_the_page(demo, coordinator, coordinator_client):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    page = coordinator_client.get(f"/membership/applications/{application.pk}/")
    assert page.context["can_withdraw"] is True
    response = coordinator_client.post(f"/membership/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    page = coordinator_client.get(f"/membership/applications/{application.pk}/")
    assert 'id="application-status">Withdrawn<' in page.content.decode()
    assert page.context["can_withdraw"] is False


# --- ending a membership --------------------------------------------------------------------


def test_a_coordinator_ends_their_citys_membership_and_history_stays(demo, coordinator_client):
    membership = Membership.objects.get(municipality=demo.oslo, status="active")
    url = f"/memberships/{membership.pk}/end/"
    assert coordinator_client.get(url).status_code == 200
    with unchanged():
        refused = coordinator_client.post(url, {"reason": ""})
    assert "reason" in refused.context["form"].errors

    response = coordinator_client.post(url, {"reason": "The council paused the work."})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "ended"
    assert membership.ended_on == timezone.localdate()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert membership.endorsements.exists()
    # a new application is possible again
    response = coordinator_client.post("/membership/apply/city/", city_form(demo.oslo))
    assert response.status_code == 302
    assert MembershipApplication.objects.filter(municipality=demo.oslo, status="submitted").exists()


# --- organisations and individuals ------------------------------------------------------------


def organisation_form(**overrides) -> dict:
    data = {
        "name": "Trygg ungdom",
        "type": "cso",
        "country": "NO",
        "org_id_number": "974760673",
        "website": "https://tryggungdom.example",
        "contact_name": "Jón Jónsson",
        "contact_email": "jon@example.net",
        "motivation": "Youth dialogue.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("NO", "974760674"),
        ("SE", "5567037486"),
        ("DK", "13585627"),
        ("FI", "0112038-8"),
        ("IS", "6503760659"),
    ],
)
def test_a_new_organisation_with_a_bad_check_digit_is_refused_on_the_page(
    demo, member_client, country, number
):
    with unchanged():
        response = member_client.post(
            "/membership/apply/organisation/",
            organisation_form(country=country, org_id_number=number),
        )
    assert response.status_code == 200
    assert "check digit" in field_error(response, "org_id_number")


def test_a_member_registers_a_new_organisation_and_applies(
    demo, member, member_client, secretariat
):
    from safecities.network import services

    response = member_client.post("/membership/apply/organisation/", organisation_form())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Trygg ungdom")
    assert organisation.org_id == "NO-BRC-974760673"
    application = MembershipApplication.objects.get(organisation=organisation)
    assert application.submitted_by == member
    services.approve_application(actor=secretariat, application=application)
    assert RoleAssignment.objects.filter(
        user=member, role=Role.ORGANISATION_CONTACT, organisation=organisation
    ).exists()


def test_a_refused_new_organisation_application_registers_nothing(demo, member_client):
    with unchanged():
        response = member_client.post(
            "/membership/apply/organisation/", organisation_form(motivation="  ")
        )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_new_organisation_needs_name_type_and_country(demo, member_client):
    with unchanged():
        response = member_client.post(
            "/membership/apply/organisation/",
            organisation_form(name="", type="", country=""),
        )
    for field in ("name", "type", "country"):
        assert "Needed when you register" in field_error(response, field)


def test_a_contact_applies_for_their_organisation_only(demo, contact_client, contact):
    choices = contact_client.get("/membership/apply/organisation/").context["form"]
    assert [o.slug for o in choices.fields["organisation"].queryset] == ["nuorten-aani"]
    with unchanged():
        response = contact_client.post(
            "/membership/apply/organisation/",
            organisation_form(organisation=demo.nuorten_aani.pk),
        )
    assert "already an active member" in field_error(response, "organisation")


def test_a_contact_edits_their_organisation(demo, contact_client):
    url = "/organisations/nuorten-aani/edit/"
    form = contact_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        country=demo.nuorten_aani.country_id, municipality=demo.nuorten_aani.municipality_id
    )
    data["description"] = "Youth work in Helsinki and Espoo."
    response = contact_client.post(url, data)
    assert response.status_code == 302
    demo.nuorten_aani.refresh_from_db()
    assert demo.nuorten_aani.description == "Youth work in Helsinki and Espoo."
    event = AuditEvent.objects.get(action="network.organisation.update")
    assert list(event.changes) == ["description"]

    with unchanged():
        refused = contact_client.post(url, {**data, "org_id_number": "0112038-8"})
    assert "check digit" in field_error(refused, "org_id_number")
    assert contact_client.get("/organisations/trygge-nabolag-skien/edit/").status_code == 403


def test_an_individual_applies_on_the_page(demo, client_for):
    user = UserFactory(full_name="Siri Solberg", email="siri@example.net")
    c = client_for(user)
    response = c.post(
        "/membership/apply/individual/",
        {"full_name": "Siri Solberg", "title": "Teacher", "motivation": "Dialogue in schools."},
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.get(person__user=user)
    assert application.kind == MemberKind.INDIVIDUAL
    assert application.contact_email == "siri@example.net"


def test_the_profile_page_saves_consent(demo, member, member_client):
    response = member_client.post(
        "/accounts/profile/", {"full_name": "Jón Jónsson", "languages": ["is", "en"]}
    )
    assert response.status_code == 302
    person = member.person
    person.refresh_from_db()
    assert person.listed_publicly is False
    assert person.consent_given_at is None
    assert person.languages == ["is", "en"]


# --- who sees which applications ----------------------------------------------------------------


def test_the_applications_list_shows_each_role_its_own(demo, client_for, coordinator, contact):
    submit_city(actor=coordinator, municipality=demo.drammen)

    def listed(user):
        return sorted(
            str(a.applicant)
            for a in client_for(user).get("/membership/applications/").context["page"]
        )

    assert listed(demo.users["secretariat"]) == ["Drammen", "Stockholm"]
    assert listed(coordinator) == ["Drammen"]
    assert listed(demo.stockholm_coordinator) == ["Stockholm"]
    assert listed(contact) == []
    assert listed(demo.users["member"]) == []


def test_the_applications_list_filters_by_status(demo, coordinator, secretariat_client):
    submit_city(actor=coordinator, municipality=demo.drammen)
    page = secretariat_client.get("/membership/applications/?status=approved").context["page"]
    assert [str(a.applicant) for a in page] == ["Stockholm"]


# --- the number of queries does not grow with the rows ---------------------------------------


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up: session, language, anything cached once per process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def secretariat_client_without_demo(client_for):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.SECRETARIAT)
    return client_for(user)


def add_members(n: int) -> None:
    for country in ("NO", "SE", "DK"):
        CountryFactory(code=country)
    for i in range(n):
        country = CountryFactory(code=("NO", "SE", "DK")[i % 3])
        if i % 3 == 0:
            CityMembershipFactory(municipality=MunicipalityFactory(country=country))
        elif i % 3 == 1:
            OrganisationMembershipFactory(
                organisation=OrganisationFactory(
                    country=country, municipality=MunicipalityFactory(country=country)
                )
            )
        else:
            person = PersonFactory(
                organisation=OrganisationFactory(country=country),
                municipality=MunicipalityFactory(country=country),
            )
            IndividualMembershipFactory(person=person, started_on=date(2022, 1, 1))


def add_people(n: int) -> None:
    for i in range(n):
        PersonFactory(
            organisation=OrganisationFactory() if i % 2 else None,
            municipality=MunicipalityFactory() if i % 3 else None,
        )


def add_applications(n: int) -> None:
    user = UserFactory()
    for i in range(n):
        fields = {
            "submitted_by": user,
            "submitted_at": timezone.now(),
            "contact_name": "X",
            "contact_email": "x@example.net",
            "motivation": "m",
        }
        if i % 3 == 0:
            MembershipApplication.objects.create(
                kind="city", municipality=MunicipalityFactory(), case_number="KS 2024/1", **fields
            )
        elif i % 3 == 1:
            MembershipApplication.objects.create(
                kind="organisation", organisation=OrganisationFactory(), **fields
            )
        else:
            MembershipApplication.objects.create(
                kind="individual", person=PersonFactory(user=UserFactory()), **fields
            )


def add_audit_events(n: int) -> None:
    actor = UserFactory()
    for i in range(n):
        target = OrganisationFactory() if i % 2 else MunicipalityFactory()
        audit.record(
            actor=actor if i % 4 else None,
            action="test.create",
            target=target,
            changes={"name": [None, str(target)]},
        )


LIST_PAGES = [
    ("/members/", add_members),
    ("/people/", add_people),
    ("/membership/applications/", add_applications),
    ("/audit/", add_audit_events),
]


@pytest.mark.parametrize(("url", "add_rows"), LIST_PAGES, ids=[u for u, _ in LIST_PAGES])
def test_list_pages_make_as_many_queries_for_200_rows_as_for_10(db, client_for, url, add_rows):
    c = secretariat_client_without_demo(client_for)
    add_rows(10)
    with_10 = count_queries(c, url)
    add_rows(190)
    with_200 = count_queries(c, url)
    assert with_10 == with_200, f"{url}: {with_10} queries with 10 rows, {with_200} with 200"
