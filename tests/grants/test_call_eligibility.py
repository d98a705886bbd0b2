"""Who may apply: a call limited to the member cities of a national programme, to countries or
to organisation types refuses at submission, naming each party that does not fit; the call's
page, its form and the API say the limits. Through the services, the pages and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.core.errors import InvalidInput
from safecities.core.models import AuditEvent
from safecities.core.services import create_api_token
from safecities.grants import selectors, services
from safecities.grants.errors import Ineligible
from safecities.grants.models import Application, Call
from safecities.network.models import Country, OrganisationType
from tests.grants.factories import make_application, make_open_call, make_programme, nok
from tests.utils import unchanged

API = "/api/v1/grants"


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder)


@pytest.fixture
def norway():
    return Country.objects.get(code="NO")


def _joint(demo, call, coordinator):
    """Oslo leads; Stockholm and Nuorten ääni ry (Finland) are partners, both confirmed."""
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.stockholm, "Shares its method"), (demo.nuorten_aani, "Recruits")],
    )


def _refusal(application, coordinator) -> Ineligible:
    with unchanged(), pytest.raises(Ineligible) as refused:
        services.submit_application(actor=coordinator, application=application)
    assert refused.value.field == "eligibility"
    return refused.value


# --- the services ---------------------------------------------------------------------------


def test_a_programme_call_refuses_parties_outside_its_member_cities(
    demo, programme, funder_officer, coordinator
):
    assert demo.programme.municipalities.filter(pk=demo.oslo.pk).exists()
    assert not demo.programme.municipalities.filter(pk=demo.stockholm.pk).exists()
    call = make_open_call(
        actor=funder_officer, programme=programme, national_programme=demo.programme
    )
    message = _refusal(_joint(demo, call, coordinator), coordinator).message
    assert "Stockholm: this call is open to the member cities of Safe Cities Norway only." in (
        message
    )
    assert "Nuorten ääni ry: this call is open to the member cities of Safe Cities Norway" in (
        message
    )
    assert "Oslo" not in message

    alone = make_application(
        actor=coordinator, call=call, requested=nok(100_000), lead_municipality=demo.oslo
    )
    submitted = services.submit_application(actor=coordinator, application=alone)
    assert submitted.status == Application.Status.SUBMITTED


def test_a_call_for_one_country_names_the_party_and_its_country(
    demo, programme, funder_officer, coordinator, norway
):
    call = make_open_call(actor=funder_officer, programme=programme, countries=[norway])
    message = _refusal(_joint(demo, call, coordinator), coordinator).message
    assert "Nuorten ääni ry (Finland): this call is open to Norway only." in message
    assert "Stockholm (Sweden): this call is open to Norway only." in message


def test_a_call_for_some_organisation_types_names_the_type_that_does_not_fit(
    demo, programme, funder_officer, coordinator
):
    call = make_open_call(
        actor=funder_officer,
        programme=programme,
        organisation_types=[OrganisationType.RESEARCH, OrganisationType.FOUNDATION],
    )
    message = _refusal(_joint(demo, call, coordinator), coordinator).message
    assert message == (
        "Nuorten ääni ry (Civil-society organisation): this call is open to Foundation or "
        "Research only."
    )


def test_a_call_without_limits_takes_any_party(demo, programme, funder_officer, coordinator):
    call = make_open_call(actor=funder_officer, programme=programme)
    application = _joint(demo, call, coordinator)
    assert "eligibility" not in {c.field for c in selectors.submission_checklist(application)}
    services.submit_application(actor=coordinator, application=application)


def test_unknown_organisation_types_are_refused_naming_the_field(programme, funder_officer):
    with unchanged(), pytest.raises(InvalidInput) as refused:
        make_open_call(actor=funder_officer, programme=programme, organisation_types=["church"])
    assert refused.value.field == "organisation_types"
    assert "church" in refused.value.message


def test_the_limits_are_terms_of_a_draft_and_their_changes_are_audited(
    demo, programme, funder_officer, norway
):
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Limited"},
        opens_at=demo_now(),
        closes_at=demo_now(days=30),
        max_amount=nok(100_000),
        countries=[norway],
        organisation_types=["research", "cso"],
    )
    created = AuditEvent.objects.get(action="grants.call.create", target_id=str(call.pk))
    assert created.changes["countries"] == [None, ["NO"]]
    assert call.organisation_types == ["cso", "research"]  # in the order of the choices
    services.update_call(
        actor=funder_officer,
        call=call,
        title={"en": "Limited"},
        text=None,
        eligibility=None,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        min_amount=None,
        max_amount=nok(100_000),
        requires_partnership=False,
        stages=1,
        concept_closes_at=None,
        blind_review=False,
        time_zone="Europe/Oslo",
        national_programme=demo.programme,
    )
    updated = AuditEvent.objects.get(action="grants.call.update", target_id=str(call.pk))
    assert updated.changes["countries"] == [["NO"], []]
    assert updated.changes["organisation_types"] == [["cso", "research"], []]
    assert "national_programme" in updated.changes
    call.refresh_from_db()
    assert call.national_programme == demo.programme
    assert list(call.countries.all()) == []


def demo_now(days=0):
    return timezone.now() + timedelta(days=days, hours=1)


# --- the pages ------------------------------------------------------------------------------


def test_the_call_page_says_who_may_apply_or_that_there_is_no_limit(
    demo, programme, funder_officer, client, norway
):
    free = make_open_call(actor=funder_officer, programme=programme)
    page = client.get(reverse("grants:call", args=[free.pk])).content.decode()
    assert "The call sets no limits on who may apply." in page

    limited = make_open_call(
        actor=funder_officer,
        programme=programme,
        national_programme=demo.programme,
        countries=[norway],
        organisation_types=["cso"],
    )
    page = client.get(reverse("grants:call", args=[limited.pk])).content.decode()
    assert "Every party is in a member city of Safe Cities Norway." in page
    assert "Every party is in Norway." in page
    assert "Every organisation taking part is of the type Civil-society organisation." in page
    assert "the lead and each partner" in page


def test_the_start_page_says_who_may_apply_before_a_draft_is_begun(
    demo, programme, funder_officer, coordinator_client
):
    free = make_open_call(actor=funder_officer, programme=programme)
    page = coordinator_client.get(reverse("grants:application-start", args=[free.pk]))
    assert 'id="who-may-apply"' not in page.content.decode()

    limited = make_open_call(
        actor=funder_officer, programme=programme, national_programme=demo.programme
    )
    page = coordinator_client.get(reverse("grants:application-start", args=[limited.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="who-may-apply"' in html
    assert "Every party is in a member city of Safe Cities Norway." in html


def test_a_runner_sets_the_limits_in_the_call_form(demo, programme, funder_client, norway):
    from tests.grants.test_views_programmes import call_form

    url = reverse("grants:call-create", args=[programme.slug])
    response = funder_client.post(
        url,
        call_form(
            national_programme=demo.programme.pk,
            countries=[norway.pk],
            organisation_types=["cso", "research"],
        ),
    )
    assert response.status_code == 302
    call = Call.objects.get(programme=programme, title__en="Local partnerships 2031")
    assert call.national_programme == demo.programme
    assert list(call.countries.all()) == [norway]
    assert call.organisation_types == ["cso", "research"]

    edit = funder_client.get(reverse("grants:call-edit", args=[call.pk])).context["form"]
    assert edit["national_programme"].value() == demo.programme.pk
    assert edit["organisation_types"].value() == ["cso", "research"]

    response = funder_client.post(url, call_form(organisation_types=["church"]))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation_types"]


def test_the_submit_page_lists_the_limit_and_refuses_naming_the_party(
    demo, programme, funder_officer, coordinator, coordinator_client, norway
):
    call = make_open_call(actor=funder_officer, programme=programme, countries=[norway])
    application = _joint(demo, call, coordinator)
    url = reverse("grants:application-submit", args=[application.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Every party fits who may apply: Every party is in Norway." in page
    with unchanged():
        response = coordinator_client.post(url)
    assert response.status_code == 200
    assert "Nuorten ääni ry (Finland): this call is open to Norway only." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


# --- the API --------------------------------------------------------------------------------


def test_the_api_gives_the_limits_and_refuses_naming_the_party(
    demo, programme, funder_officer, coordinator, client, norway
):
    call = make_open_call(
        actor=funder_officer,
        programme=programme,
        national_programme=demo.programme,
        countries=[norway],
    )
    body = client.get(f"{API}/calls/{call.pk}").json()
    assert body["who_may_apply"] == {
        "national_programme": "safe-cities-norway",
        "countries": ["NO"],
        "organisation_types": [],
        "rules": [
            "Every party is in a member city of Safe Cities Norway.",
            "Every party is in Norway.",
        ],
    }
    free = make_open_call(actor=funder_officer, programme=programme)
    assert client.get(f"{API}/calls/{free.pk}").json()["who_may_apply"]["rules"] == []

    application = _joint(demo, call, coordinator)
    token = create_api_token(actor=coordinator, name="Script")[1]
    with unchanged():
        response = client.post(
            f"{API}/applications/{application.pk}/submit",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["field"] == "eligibility"
    assert (
        "Nuorten ääni ry (Finland): this call is open to Norway only."
        in (response.json()["message"])
    )
