"""The start page, /start/: what needs the signed-in person now, one panel per concern of the
apps (registered in `core.workspace`), each item linking to where it is done."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation

from safecities.core import dates
from safecities.core.workspace import Item, panels_for, register_panel, unregister_panel
from safecities.grants import services as grant_services
from safecities.grants.models import Application, GrantReport, Payment, Review
from safecities.indicators.models import Import
from safecities.network.models import Municipality
from safecities.plans.models import Measure
from safecities.practices import services as practice_services
from tests.core.factories import UserFactory
from tests.events.conftest import move_to_past, published_event
from tests.network.factories import submit_city
from tests.practices.conftest import write_draft

DEMO_PASSWORD = "safecities-demo"


def _start(client_for, user) -> str:
    response = client_for(user).get(reverse("core:start"))
    assert response.status_code == 200
    return response.content.decode()


def _panel(html: str, key: str) -> str:
    """The HTML of the panel `key` (its section), or "" when the page does not show it."""
    found = re.search(rf'<section class="ds-card" id="panel-{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _link(url: str, text: str) -> str:
    return f'<a class="ds-link" href="{url}">{text}</a>'


# --- landing -------------------------------------------------------------------------------------


def test_login_lands_on_the_start_page(demo):
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": "member@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("core:start")


def test_login_keeps_next(demo):
    client = Client()
    response = client.post(
        reverse("core:login") + "?next=/events/",
        {"username": "member@example.org", "password": DEMO_PASSWORD, "next": "/events/"},
    )
    assert response.status_code == 302 and response.url == "/events/"


def test_the_start_page_asks_to_sign_in(demo):
    response = Client().get(reverse("core:start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login")) and "next=/start/" in response.url


def test_the_header_links_to_start_for_signed_in_people_only(demo, client_for, member):
    signed_in = client_for(member).get(reverse("network:home")).content.decode()
    assert f'<a href="{reverse("core:start")}">' in signed_in
    anonymous = Client().get(reverse("network:home")).content.decode()
    assert f'href="{reverse("core:start")}"' not in anonymous


# --- per role --------------------------------------------------------------------------------------


def test_coordinator_sees_their_cities_drafts_reports_measures_and_events(
    demo, client_for, coordinator
):
    html = _start(client_for, coordinator)
    draft = Application.objects.get(title="Safe summer nights")  # Oslo's draft
    applicant = _panel(html, "grantsapplicant")
    assert (
        _link(reverse("grants:application-edit", args=[draft.pk]), "Draft: Safe summer nights")
        in applicant
    )
    interim, final = GrantReport.objects.filter(
        award__application__title="Young voices Oslo East", status=GrantReport.Status.DUE
    ).order_by("due_on")
    assert reverse("grants:report", args=[interim.pk]) in applicant
    assert reverse("grants:report", args=[final.pk]) in applicant
    assert "<strong>overdue since" in applicant  # the interim report is past its date
    # A date reads as every page writes it in the reader's language (core.dates.day)
    with translation.override("en"):
        assert f"overdue since {dates.day(interim.due_on)}" in applicant
        assert f"due {dates.day(final.due_on)}" in applicant
        assert dates.day(final.due_on) == formats.date_format(final.due_on, "DATE_FORMAT")
    assert f'href="{reverse("grants:my-applications")}"' in applicant  # the full list
    # Skien's applications are not Oslo's or Drammen's
    assert "Neighbourhood hosts Skien" not in html
    progress = _panel(html, "plansprogress")
    measure = Measure.objects.get(title="Dialoggrupper i ungdomsskolen")
    assert _link(reverse("plans:measure-progress", args=[measure.pk]), measure.title) in progress
    events = _panel(html, "eventsregistered")
    assert "Nordic Safe Cities Summit: the next one" in events
    assert not _panel(html, "grantsfunder") and not _panel(html, "networkapplications")


def test_organisation_contact_sees_their_organisations_drafts(demo, client_for, contact):
    call = Application.objects.get(title="Safe summer nights").call
    draft = grant_services.create_application(
        actor=contact,
        call=call,
        title="<script>alert(1)</script> Nuorten ääni online",
        lead_organisation=demo.nuorten_aani,
    )
    html = _start(client_for, contact)
    applicant = _panel(html, "grantsapplicant")
    url = reverse("grants:application-edit", args=[draft.pk])
    assert (
        _link(url, "Draft: &lt;script&gt;alert(1)&lt;/script&gt; Nuorten ääni online") in applicant
    )
    assert "<script>alert" not in html
    assert "Safe summer nights" not in html  # Oslo's, not the organisation's
    assert "Youth workers Helsinki–Borlänge: second meeting" in _panel(html, "eventsregistered")


def test_reviewer_sees_reviews_to_submit(demo, client_for, reviewer):
    review = Review.objects.get(reviewer=reviewer, status=Review.Status.ASSIGNED)
    html = _start(client_for, reviewer)
    panel = _panel(html, "grantsreviews")
    assert _link(reverse("grants:review", args=[review.pk]), str(review.application)) in panel
    assert "assigned" in panel


def test_funder_officer_sees_decisions_payments_and_overdue_reports(
    demo, client_for, funder_officer
):
    html = _start(client_for, funder_officer)
    panel = _panel(html, "grantsfunder")
    # "Dialogue cafés" waits for its review, so it is not the funder's to decide yet
    application = Application.objects.get(title="Neighbourhood hosts Skien")
    url = reverse("grants:application-decide", args=[application.pk])
    assert _link(url, "Decide: Neighbourhood hosts Skien") in panel
    assert "Dialogue cafés" not in panel
    payment = Payment.objects.filter(
        status=Payment.Status.SCHEDULED, award__application__title="Young voices Oslo East"
    ).first()
    assert reverse("grants:award", args=[payment.award_id]) in panel
    overdue = GrantReport.objects.get(
        award__application__title="Young voices Oslo East", kind=GrantReport.Kind.INTERIM
    )
    assert reverse("grants:report", args=[overdue.pk]) in panel
    assert "Safe summer nights" not in html  # a draft is not the funder's to decide


def _secretariat_work(demo, member, secretariat):
    """A city's membership application, a practice submitted for review and a published event
    that has ended, each through the services."""
    application = submit_city(actor=demo.users["coordinator"], municipality=demo.drammen)
    practice = write_draft(member, title="Nabolagsmegling i Skien")
    practice_services.submit_practice(actor=member, practice=practice)
    event = move_to_past(published_event(secretariat, title={"en": "Workshop on trust"}))
    return application, practice, event


def test_secretariat_sees_applications_practices_and_events_to_close(
    demo, client_for, member, secretariat
):
    application, practice, event = _secretariat_work(demo, member, secretariat)
    html = _start(client_for, secretariat)
    url = reverse("network:application-detail", args=[application.pk])
    assert _link(url, "Drammen") in _panel(html, "networkapplications")
    url = reverse("practices:review", args=[practice.pk])
    assert _link(url, "Nabolagsmegling i Skien") in _panel(html, "practicesreview")
    assert f'href="{reverse("practices:queue")}"' in _panel(html, "practicesreview")
    assert _link(reverse("events:close", args=[event.pk]), "Workshop on trust") in _panel(
        html, "eventsclose"
    )
    assert "Nothing needs you now" not in html


def test_nothing_needs_you_now_links_to_the_main_sections(demo, client_for):
    html = _start(client_for, UserFactory())  # signed up, no role, no registration
    assert "Nothing needs you now." in html
    for name in ("grants:programmes", "plans:list", "practices:list", "events:list"):
        assert f'href="{reverse(name)}"' in html


def test_a_person_with_two_roles_sees_both_panels(demo, client_for, coordinator, reviewer):
    from safecities.network.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=reviewer, role=Role.COORDINATOR, municipality=demo.oslo)
    html = _start(client_for, reviewer)
    assert _panel(html, "grantsreviews") and _panel(html, "grantsapplicant")


def test_a_failed_import_waits_for_its_author(demo, client_for, coordinator):
    imported = Import.objects.filter(created_by=coordinator).first() or Import.objects.first()
    Import.objects.filter(pk=imported.pk).update(
        created_by=coordinator, status=Import.Status.FAILED
    )
    html = _start(client_for, coordinator)
    url = reverse("indicators:import-detail", args=[imported.pk])
    assert url in _panel(html, "indicatorsimports")


# --- queries ---------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_secretariats_start_page_takes_a_fixed_number_of_queries(
    demo, client_for, member, secretariat
):
    client = client_for(secretariat)
    _secretariat_work(demo, member, secretariat)
    few = _queries(client, reverse("core:start"))
    not_members = Municipality.objects.exclude(memberships__isnull=False).exclude(
        membership_applications__isnull=False
    )
    for municipality in not_members.order_by("pk")[:3]:
        submit_city(actor=secretariat, municipality=municipality)
    for n in range(3):
        practice = write_draft(member, title=f"Practice {n}")
        practice_services.submit_practice(actor=member, practice=practice)
    more = _queries(client, reverse("core:start"))
    assert more == few <= 9  # the session, user and roles, then one per list


def test_the_coordinators_start_page_takes_a_fixed_number_of_queries(demo, client_for, coordinator):
    client = client_for(coordinator)
    few = _queries(client, reverse("core:start"))
    call = Application.objects.get(title="Safe summer nights").call
    for n in range(3):
        grant_services.create_application(
            actor=coordinator, call=call, title=f"Draft {n}", lead_municipality=demo.oslo
        )
    more = _queries(client, reverse("core:start"))
    assert more == few <= 9  # the session, user and roles, then one per list


# --- the registry ----------------------------------------------------------------------------------


def test_panels_come_in_their_order_and_only_with_items(demo, member):
    register_panel("test.first", title="First", order=-2, items=lambda user: [Item("a", "/a/")])
    register_panel("test.empty", title="Empty", order=-1, items=lambda user: [])
    try:
        keys = [panel.key for panel in panels_for(member)]
        assert keys[0] == "test.first" and "test.empty" not in keys
    finally:
        unregister_panel("test.first")
        unregister_panel("test.empty")
