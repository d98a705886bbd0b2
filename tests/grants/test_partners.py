"""Partners as equals: whoever acts for a partner city or organisation sees the application,
its decision, award and payments, confirms its participation before the lead submits, and
reports with the lead. Through the services, the pages and the API."""

import json
from datetime import date

import pytest
from django.urls import reverse

from safecities.core.errors import NotAllowed
from safecities.core.models import AuditEvent
from safecities.core.services import create_api_token
from safecities.grants import selectors, services
from safecities.grants.errors import NotEditable, PartnerNotConfirmed
from safecities.grants.models import Application, GrantReport
from tests.grants.factories import (
    finish_review,
    make_application,
    make_open_call,
    make_programme,
    nok,
)
from tests.network.factories import coordinator_of
from tests.utils import unchanged


@pytest.fixture
def call(demo, funder_officer):
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    return make_open_call(actor=funder_officer, programme=programme)


@pytest.fixture
def draft(demo, call, coordinator):
    """Oslo leads; Stockholm (a city) and Nuorten ääni (an organisation) are partners, neither
    has confirmed yet."""
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.stockholm, "Shares its method"), (demo.nuorten_aani, "Recruits")],
        confirmed=False,
    )


def _awarded(draft, *, coordinator, stockholm_coordinator, contact, funder_officer, reviewer):
    for partner, actor in (
        (draft.partners.get(municipality__isnull=False), stockholm_coordinator),
        (draft.partners.get(organisation__isnull=False), contact),
    ):
        services.confirm_participation(actor=actor, partner=partner)
    application = services.submit_application(actor=coordinator, application=draft)
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    return services.award_grant(
        application=application,
        amount=nok(100_000),
        actor=funder_officer,
        reports=[(GrantReport.Kind.FINAL, date(2027, 1, 31))],
    )


# --- the service: confirmation before submission ------------------------------------------


def test_a_submission_waits_for_every_partner_to_confirm(
    demo, draft, coordinator, stockholm_coordinator, contact
):
    with unchanged(), pytest.raises(PartnerNotConfirmed) as refused:
        services.submit_application(actor=coordinator, application=draft)
    assert refused.value.field == "partners_confirmed"
    assert "Stockholm" in str(refused.value) and "Nuorten ääni ry" in str(refused.value)

    stockholm = draft.partners.get(municipality=demo.stockholm)
    services.confirm_participation(actor=stockholm_coordinator, partner=stockholm)
    [problem] = [p for p in selectors.submission_problems(draft) if p.field == "partners_confirmed"]
    assert "Nuorten ääni ry" in problem.message and "Stockholm" not in problem.message

    services.confirm_participation(
        actor=contact, partner=draft.partners.get(organisation=demo.nuorten_aani)
    )
    application = services.submit_application(actor=coordinator, application=draft)
    assert application.status == Application.Status.SUBMITTED


def test_only_whoever_acts_for_the_partner_confirms(demo, draft, coordinator, secretariat):
    stockholm = draft.partners.get(municipality=demo.stockholm)
    for actor in (coordinator, secretariat, coordinator_of(demo.drammen)):
        with unchanged(), pytest.raises(NotAllowed):
            services.confirm_participation(actor=actor, partner=stockholm)


def test_a_new_role_needs_a_new_confirmation_and_an_unchanged_one_keeps_it(
    demo, draft, coordinator, stockholm_coordinator, contact
):
    for partner, actor in (
        (draft.partners.get(municipality=demo.stockholm), stockholm_coordinator),
        (draft.partners.get(organisation=demo.nuorten_aani), contact),
    ):
        services.confirm_participation(actor=actor, partner=partner)
    services.update_application(
        actor=coordinator,
        application=draft,
        partners=[(demo.stockholm, "Shares its method"), (demo.nuorten_aani, "Runs the panel")],
    )
    assert draft.partners.get(municipality=demo.stockholm).confirmed
    assert not draft.partners.get(organisation=demo.nuorten_aani).confirmed


def test_a_confirmation_is_taken_back_only_while_the_application_is_a_draft(
    demo, draft, coordinator, stockholm_coordinator, contact
):
    stockholm = draft.partners.get(municipality=demo.stockholm)
    services.confirm_participation(actor=stockholm_coordinator, partner=stockholm)
    services.withdraw_participation(actor=stockholm_coordinator, partner=stockholm)
    stockholm.refresh_from_db()
    assert stockholm.confirmed_at is None and stockholm.confirmed_by is None
    assert AuditEvent.objects.filter(action="grants.partner.withdraw").exists()

    services.confirm_participation(actor=stockholm_coordinator, partner=stockholm)
    services.confirm_participation(
        actor=contact, partner=draft.partners.get(organisation=demo.nuorten_aani)
    )
    services.submit_application(actor=coordinator, application=draft)
    with unchanged(), pytest.raises(NotEditable):
        services.withdraw_participation(actor=stockholm_coordinator, partner=stockholm)


# --- the reported bug: the partner's coordinator sees application and award ----------------


def test_a_partner_sees_and_lists_the_application_award_and_reports(
    demo,
    draft,
    client_for,
    coordinator,
    stockholm_coordinator,
    contact,
    funder_officer,
    reviewer,
):
    award = _awarded(
        draft,
        coordinator=coordinator,
        stockholm_coordinator=stockholm_coordinator,
        contact=contact,
        funder_officer=funder_officer,
        reviewer=reviewer,
    )
    services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2026, 1, 15), actor=funder_officer
    )
    report = award.reports.get(kind=GrantReport.Kind.FINAL)
    for user in (stockholm_coordinator, contact):
        client = client_for(user)
        page = client.get(reverse("grants:application", args=[draft.pk]))
        assert page.status_code == 200
        assert "40 000" in page.content.decode() or "40,000" in page.content.decode()
        assert client.get(reverse("grants:award", args=[award.pk])).status_code == 200
        assert client.get(reverse("grants:report", args=[report.pk])).status_code == 200
        assert draft.pk in {a.pk for a in selectors.applications_of(user)}
        assert report.pk in {r.pk for r in selectors.reports_visible_to(user)}
        # A partner sees; it does not edit or withdraw what the lead submitted.
        assert client.get(reverse("grants:application-edit", args=[draft.pk])).status_code == 403

    # Co-reporting: a confirmed partner writes the report; only the lead submits it.
    services.save_report(
        actor=stockholm_coordinator,
        report=report,
        narrative="Stockholm's method in Oslo.",
        results="Two districts use it.",
        spent=nok(90_000),
    )
    with unchanged(), pytest.raises(NotAllowed):
        services.submit_report(
            actor=stockholm_coordinator,
            report=report,
            narrative="Stockholm's method in Oslo.",
            results="Two districts use it.",
            spent=nok(90_000),
        )
    report.refresh_from_db()
    assert report.status == GrantReport.Status.DUE and report.narrative.startswith("Stockholm")
    services.submit_report(
        actor=coordinator,
        report=report,
        narrative=report.narrative,
        results=report.results,
        spent=report.spent,
    )
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED

    stranger = client_for(coordinator_of(demo.drammen))
    assert stranger.get(reverse("grants:application", args=[draft.pk])).status_code == 403
    assert stranger.get(reverse("grants:award", args=[award.pk])).status_code == 403


# --- the page ------------------------------------------------------------------------------


def test_a_partner_confirms_on_its_page_and_the_application_page_says_so(
    demo, draft, client_for, stockholm_coordinator, coordinator
):
    stockholm = draft.partners.get(municipality=demo.stockholm)
    client = client_for(stockholm_coordinator)
    detail = client.get(reverse("grants:application", args=[draft.pk])).content.decode()
    url = reverse("grants:participation", args=[stockholm.pk])
    assert url in detail
    assert "Participation not confirmed yet" in detail

    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm our participation" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    stockholm.refresh_from_db()
    assert stockholm.confirmed_by == stockholm_coordinator

    # Taking it back goes through a page that says what happens, then a POST.
    page = client.get(url).content.decode()
    assert "Take back the confirmation" in page
    assert "stops the lead from submitting" in page
    client.post(url)
    stockholm.refresh_from_db()
    assert not stockholm.confirmed

    # The lead sees the state but has no link to confirm for its partner, and is refused.
    lead = client_for(coordinator)
    assert url not in lead.get(reverse("grants:application", args=[draft.pk])).content.decode()
    with unchanged():
        assert lead.post(url).status_code == 403


def test_the_submit_page_lists_the_partners_yet_to_confirm(draft, client_for, coordinator):
    response = client_for(coordinator).get(reverse("grants:application-submit", args=[draft.pk]))
    [item] = [i for i in response.context["checklist"] if i["field"] == "partners_confirmed"]
    assert item["done"] is False
    assert "Every partner has confirmed its participation." in response.content.decode()


# --- the API -------------------------------------------------------------------------------


def test_a_partner_reads_and_confirms_through_the_api(
    demo, draft, client, stockholm_coordinator, member
):
    raw = create_api_token(actor=stockholm_coordinator, name="Script")[1]
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/grants/applications/{draft.pk}"
    body = client.get(url, headers=headers).json()
    assert body["id"] == draft.pk
    assert "partners_confirmed" in [m["field"] for m in body["missing"]]
    listed = client.get("/api/v1/grants/applications", headers=headers).json()
    assert draft.pk in [a["id"] for a in listed["items"]]

    stockholm = draft.partners.get(municipality=demo.stockholm)
    response = client.post(
        f"/api/v1/grants/partners/{stockholm.pk}/confirm",
        json.dumps({}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.getvalue()
    [row] = [p for p in response.json()["partners"] if p["slug"] == "stockholm"]
    assert row["confirmed"] is True

    other = {"Authorization": f"Bearer {create_api_token(actor=member, name='S')[1]}"}
    assert client.get(url, headers=other).status_code == 403


# --- the permission matrix for the parties of one application -----------------------------

# What a GET answers each party of the awarded application: its lead's coordinator, the partner
# city's coordinator, the partner organisation's contact, and a coordinator of another city.
# fmt: off
PARTY_MATRIX = {
    #                           lead  city  org   other
    "grants:application":        (200, 200, 200, 403),
    "grants:application-versions": (200, 200, 200, 403),
    "grants:application-edit":   (302, 403, 403, 403),  # submitted: the lead is sent back
    "grants:award":              (200, 200, 200, 403),
    "grants:report":             (200, 200, 200, 403),
}
# fmt: on


def test_the_parties_of_an_application_see_it_as_equals(
    demo, draft, client_for, coordinator, stockholm_coordinator, contact, funder_officer, reviewer
):
    award = _awarded(
        draft,
        coordinator=coordinator,
        stockholm_coordinator=stockholm_coordinator,
        contact=contact,
        funder_officer=funder_officer,
        reviewer=reviewer,
    )
    report = award.reports.first()
    args = {
        "grants:application": draft.pk,
        "grants:application-versions": draft.pk,
        "grants:application-edit": draft.pk,
        "grants:award": award.pk,
        "grants:report": report.pk,
    }
    clients = [
        client_for(u)
        for u in (coordinator, stockholm_coordinator, contact, coordinator_of(demo.drammen))
    ]
    got = {
        name: tuple(c.get(reverse(name, args=[args[name]])).status_code for c in clients)
        for name in PARTY_MATRIX
    }
    assert got == PARTY_MATRIX
