"""Co-reporting: whoever acts for a partner that confirmed its participation writes (saves) a
due report of the award with the lead; only the lead submits it. Service and page."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.grants import services
from safecities.grants.errors import NotEditable
from safecities.grants.models import GrantReport
from tests.grants.factories import (
    finish_review,
    make_application,
    make_open_call,
    make_programme,
    nok,
)
from tests.utils import unchanged


@pytest.fixture
def report(demo, funder_officer, coordinator, stockholm_coordinator, reviewer):
    """The final report, due, of an award to Oslo with Stockholm as its confirmed partner."""
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    call = make_open_call(actor=funder_officer, programme=programme)
    draft = make_application(
        actor=coordinator,
        call=call,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.stockholm, "Shares its method")],
        confirmed=False,
    )
    services.confirm_participation(actor=stockholm_coordinator, partner=draft.partners.get())
    application = services.submit_application(actor=coordinator, application=draft)
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    award = services.award_grant(
        application=application,
        amount=nok(100_000),
        actor=funder_officer,
        reports=[(GrantReport.Kind.FINAL, date(2027, 1, 31))],
    )
    return award.reports.get()


def test_a_confirmed_partner_saves_the_report_and_the_lead_submits_it(
    report, coordinator, stockholm_coordinator
):
    services.save_report(
        actor=stockholm_coordinator,
        report=report,
        narrative="Stockholm's method in two districts.",
        results="",
        spent=None,
    )
    report.refresh_from_db()
    assert report.is_due and report.narrative == "Stockholm's method in two districts."
    assert AuditEvent.objects.filter(action="grants.report.save", actor=stockholm_coordinator)
    with unchanged(), pytest.raises(NotAllowed):
        services.submit_report(
            actor=stockholm_coordinator,
            report=report,
            narrative=report.narrative,
            results="",
            spent=nok(10_000),
        )
    services.submit_report(
        actor=coordinator, report=report, narrative=report.narrative, results="", spent=nok(1)
    )
    with unchanged(), pytest.raises(NotEditable):
        services.save_report(
            actor=stockholm_coordinator, report=report, narrative="Late", results="", spent=None
        )


def test_saving_refuses_what_a_report_can_never_say(report, stockholm_coordinator):
    with unchanged(), pytest.raises(InvalidInput) as refused:
        services.save_report(
            actor=stockholm_coordinator,
            report=report,
            narrative="",
            results="",
            spent=nok(100_001),
        )
    assert refused.value.field == "spent"


def test_who_acts_for_no_confirmed_partner_does_not_write_the_report(demo, report, coordinator):
    # Nuorten ääni's contact acts for no partner of this grant: it writes nothing.
    contact = demo.users["organisation_contact"]
    with unchanged(), pytest.raises(NotAllowed):
        services.save_report(actor=contact, report=report, narrative="x", results="", spent=None)


def test_the_report_page_lets_the_partner_save_and_only_the_lead_submit(
    report, client_for, coordinator, stockholm_coordinator
):
    url = reverse("grants:report", args=[report.pk])
    partner = client_for(stockholm_coordinator)
    page = partner.get(url).content.decode()
    assert "Save without submitting" in page and "Submit the report" not in page
    assert "the lead submits it" in page

    # Whatever button the partner's post names, it saves and does not submit.
    response = partner.post(
        url,
        {
            "narrative": "Two districts use the method.",
            "results": "",
            "spent": "",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_due and report.narrative == "Two districts use the method."

    # A wrong amount keeps what was typed and names the field (the report spends per line).
    line = report.award.application.budget_lines.first()
    response = partner.post(
        url,
        {
            "narrative": "Typed again",
            f"spend_{line.pk}": "20000000",
            "save": "draft",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Typed again" in response.content.decode()
    assert response.context["form"].errors[f"spend_{line.pk}"]

    lead = client_for(coordinator)
    page = lead.get(url).content.decode()
    assert "Submit the report" in page and "Two districts use the method." in page
    response = lead.post(
        url,
        {
            "narrative": "Two districts use the method.",
            "results": "",
            "spent": "90000",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED and report.submitted_by == coordinator
