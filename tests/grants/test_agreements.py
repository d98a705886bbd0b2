"""The grant agreement through the services: drafted with the award, its approved budget adding
up to the award (refusals naming the line or the total), its reporting dates, sent by whoever
runs the programme (the mail owed through the outbox, so a failed mail never loses the sending),
taken back until accepted, accepted by the lead alone; payments paid only once it is accepted.
The data migration's step drafts agreements for awards made before."""

from datetime import date
from decimal import Decimal
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent, OwedMail
from safecities.core.money import Money
from safecities.core.states import InvalidTransition
from safecities.grants import selectors, services, states
from safecities.grants.errors import (
    AgreementNotAccepted,
    ApprovedBudgetMismatch,
    AwardOverRequest,
    NotEditable,
    WrongCurrency,
)
from safecities.grants.models import Agreement, BudgetLine, GrantReport
from tests.grants.factories import (
    finish_review,
    make_application,
    make_open_call,
    make_programme,
    nok,
)
from tests.mailserver import unreachable_smtp
from tests.network.factories import coordinator_of
from tests.utils import unchanged

TERMS = "Use the grant for the project as applied for."


@pytest.fixture
def call(demo, funder_officer):
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    return make_open_call(actor=funder_officer, programme=programme)


def _reviewed(demo, call, coordinator, funder_officer, reviewer, *, lines):
    """Oslo's submitted, reviewed proposal asking for the sum of `lines`, with Stockholm as a
    (confirmed) partner."""
    requested = sum((amount for _label, amount in lines), nok(0))
    application = make_application(
        actor=coordinator,
        call=call,
        requested=requested,
        lead_municipality=demo.oslo,
        budget_lines=lines,
        partners=[(demo.stockholm, "Shares its method")],
    )
    application = services.submit_application(actor=coordinator, application=application)
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    return application


@pytest.fixture
def award(demo, call, coordinator, funder_officer, reviewer):
    """100,000 awarded where 120,000 was asked for (80,000 + 40,000): the programme sets the
    approved amounts. An interim and a final report are due."""
    application = _reviewed(
        demo,
        call,
        coordinator,
        funder_officer,
        reviewer,
        lines=[("Facilitators", nok(80_000)), ("Venues", nok(40_000))],
    )
    return services.award_grant(
        application=application,
        amount=nok(100_000),
        actor=funder_officer,
        reports=[("interim", date(2026, 3, 1)), ("final", date(2027, 4, 30))],
    )


def _lines(award) -> list[BudgetLine]:
    return list(award.application.budget_lines.order_by("position", "id"))


def _edit(award, actor, *, approved=(60_000, 40_000), terms=TERMS, reports=()):
    facilitators, venues = _lines(award)
    return services.update_agreement(
        actor=actor,
        agreement=award.agreement,
        terms=terms,
        approved={
            facilitators.pk: None if approved[0] is None else nok(approved[0]),
            venues.pk: None if approved[1] is None else nok(approved[1]),
        },
        reports=reports,
    )


def _sent(award, funder_officer):
    _edit(award, funder_officer)
    return services.send_agreement(actor=funder_officer, agreement=award.agreement)


# --- drafted with the award ------------------------------------------------------------------


def test_an_award_drafts_its_agreement_leaving_the_approved_amounts_when_they_differ(award):
    agreement = Agreement.objects.get(award=award)
    assert agreement.status == Agreement.Status.DRAFT and agreement.terms == ""
    assert [line.approved_minor for line in _lines(award)] == [None, None]
    assert not states.payable(award)


def test_an_award_of_the_sum_asked_for_approves_each_line_as_asked(
    demo, call, coordinator, funder_officer, reviewer
):
    application = _reviewed(
        demo,
        call,
        coordinator,
        funder_officer,
        reviewer,
        lines=[("Hosts", nok(70_000)), ("Meals", nok(30_000))],
    )
    award = services.award_grant(application=application, amount=nok(100_000), actor=funder_officer)
    assert [(line.approved_minor, line.amount_minor) for line in _lines(award)] == [
        (7_000_000, 7_000_000),
        (3_000_000, 3_000_000),
    ]
    assert award.agreement.status == Agreement.Status.DRAFT


def test_a_refused_award_drafts_no_agreement(demo, call, coordinator, funder_officer, reviewer):
    application = _reviewed(
        demo, call, coordinator, funder_officer, reviewer, lines=[("Hosts", nok(50_000))]
    )
    with unchanged(), pytest.raises(AwardOverRequest):
        services.award_grant(application=application, amount=nok(60_000), actor=funder_officer)
    assert not Agreement.objects.filter(award__application=application).exists()


# --- the programme edits the draft -----------------------------------------------------------


def test_the_approved_lines_must_add_up_to_the_award_naming_the_difference(award, funder_officer):
    with unchanged(), pytest.raises(ApprovedBudgetMismatch) as refused:
        _edit(award, funder_officer, approved=(80_000, 40_000))
    assert refused.value.field == "approved"
    assert "NOK\xa0120,000" in refused.value.message
    assert "NOK\xa0100,000" in refused.value.message
    assert "NOK\xa020,000" in refused.value.message  # the difference


def test_a_missing_or_negative_line_is_refused_naming_its_row(award, funder_officer):
    facilitators, venues = _lines(award)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        _edit(award, funder_officer, approved=(100_000, None))
    assert refused.value.field == f"approved_{venues.pk}"
    assert "Budget line 2 (“Venues”)" in refused.value.message
    with unchanged(), pytest.raises(InvalidInput) as refused:
        _edit(award, funder_officer, approved=(-10_000, 110_000))
    assert refused.value.field == f"approved_{facilitators.pk}"
    assert "negative" in refused.value.message
    with unchanged(), pytest.raises(InvalidInput) as refused:
        _edit(award, funder_officer, approved=(0, 100_001))
    assert refused.value.field == f"approved_{venues.pk}"
    assert "more than the whole award" in refused.value.message


def test_an_amount_in_another_currency_is_refused(award, funder_officer):
    facilitators, venues = _lines(award)
    with unchanged(), pytest.raises(WrongCurrency) as refused:
        services.update_agreement(
            actor=funder_officer,
            agreement=award.agreement,
            terms=TERMS,
            approved={facilitators.pk: Money(Decimal(60_000), "SEK"), venues.pk: nok(40_000)},
        )
    assert refused.value.field == f"approved_{facilitators.pk}"


def test_the_draft_saves_terms_amounts_and_reporting_dates_and_is_audited(award, funder_officer):
    interim, final = award.reports.order_by("due_on")
    _edit(
        award,
        funder_officer,
        reports=[
            (interim.pk, "interim", None),  # removed
            (final.pk, "final", date(2027, 5, 31)),
            (None, "interim", date(2026, 9, 1)),
        ],
    )
    agreement = Agreement.objects.get(award=award)
    assert agreement.terms == TERMS
    assert [line.approved_minor for line in _lines(award)] == [6_000_000, 4_000_000]
    assert [(r.kind, r.due_on) for r in award.reports.order_by("due_on")] == [
        ("interim", date(2026, 9, 1)),
        ("final", date(2027, 5, 31)),
    ]
    event = AuditEvent.objects.filter(action="grants.agreement.update").latest("id")
    assert event.actor == funder_officer
    assert event.changes["approved: Facilitators"] == [None, nok(60_000).record_text]
    assert event.changes["reports"][1] == ["final: 2027-05-31", "interim: 2026-09-01"]
    assert event.changes["terms"] == ["", TERMS]


def test_a_grant_keeps_exactly_one_final_report(award, funder_officer):
    interim, final = award.reports.order_by("due_on")
    with unchanged(), pytest.raises(InvalidInput, match="Reporting date 1") as refused:
        _edit(award, funder_officer, reports=[(final.pk, "final", None)])
    assert refused.value.field == "reports"
    with unchanged(), pytest.raises(InvalidInput, match="one final report"):
        _edit(award, funder_officer, reports=[(None, "final", date(2027, 6, 1))])
    with unchanged(), pytest.raises(InvalidInput, match="Reporting date 2"):
        _edit(award, funder_officer, reports=[(final.pk, "final", final.due_on), (None, "", None)])


def test_a_submitted_report_keeps_its_date(award, funder_officer, coordinator):
    interim, _final = award.reports.order_by("due_on")
    services.submit_report(
        actor=coordinator,
        report=interim,
        narrative="Started.",
        results="",
        spent=nok(10_000),
    )
    with unchanged(), pytest.raises(NotEditable, match="Reporting date 1"):
        _edit(award, funder_officer, reports=[(interim.pk, "interim", date(2026, 4, 1))])


def test_only_whoever_runs_the_programme_edits_sends_and_takes_back(
    demo, award, funder_officer, coordinator, stockholm_coordinator, member
):
    for actor in (coordinator, stockholm_coordinator, member):
        with unchanged(), pytest.raises(NotAllowed):
            _edit(award, actor)
        with unchanged(), pytest.raises(NotAllowed):
            services.send_agreement(actor=actor, agreement=award.agreement)
    _sent(award, funder_officer)
    with unchanged(), pytest.raises(NotAllowed):
        services.reopen_agreement(actor=coordinator, agreement=award.agreement)


# --- sending, taking back, accepting ---------------------------------------------------------


def test_sending_needs_terms_and_a_budget_adding_up_to_the_award(award, funder_officer):
    with unchanged(), pytest.raises(InvalidInput, match="terms") as refused:
        services.send_agreement(actor=funder_officer, agreement=award.agreement)
    assert refused.value.field == "terms"
    facilitators, _venues = _lines(award)
    services.update_agreement(
        actor=funder_officer,
        agreement=award.agreement,
        terms=TERMS,
        approved={line.pk: nok(50_000) for line in _lines(award)},
    )
    BudgetLine.objects.filter(pk=facilitators.pk).update(approved_minor=None)
    with unchanged(), pytest.raises(ApprovedBudgetMismatch, match="Budget line 1"):
        services.send_agreement(actor=funder_officer, agreement=award.agreement)


def test_a_sent_agreement_mails_the_lead_and_is_no_longer_edited(
    award, funder_officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _sent(award, funder_officer)
    assert agreement.status == Agreement.Status.SENT
    assert agreement.sent_by == funder_officer and agreement.sent_at is not None
    [sent] = [m for m in mail.outbox if "Grant agreement" in m.subject]
    assert "coordinator@example.org" in sent.to
    assert f"/grants/awards/{award.pk}/agreement/" in sent.body
    with unchanged(), pytest.raises(NotEditable, match="take it back to draft"):
        _edit(award, funder_officer, approved=(50_000, 50_000))
    assert AuditEvent.objects.filter(action="grants.agreement.send").exists()


def test_a_failed_mail_never_loses_the_sending(
    award, funder_officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with unreachable_smtp(), django_capture_on_commit_callbacks(execute=True):
        _sent(award, funder_officer)
    assert Agreement.objects.get(award=award).status == Agreement.Status.SENT
    owed = OwedMail.objects.get(kind="grants.agreement_sent", args=[award.agreement.pk])
    assert owed.status == "owed" and mail.outbox == []
    call_command("sendmail", stdout=StringIO())
    owed.refresh_from_db()
    assert owed.status == "sent"
    assert any("coordinator@example.org" in m.to for m in mail.outbox)


def test_a_sent_agreement_is_taken_back_to_draft_until_accepted(award, funder_officer, coordinator):
    _sent(award, funder_officer)
    agreement = services.reopen_agreement(actor=funder_officer, agreement=award.agreement)
    assert agreement.status == Agreement.Status.DRAFT
    _edit(award, funder_officer, approved=(50_000, 50_000))  # editable again
    with unchanged(), pytest.raises(InvalidTransition):
        services.accept_agreement(actor=coordinator, agreement=agreement)  # not sent
    services.send_agreement(actor=funder_officer, agreement=agreement)
    services.accept_agreement(actor=coordinator, agreement=agreement)
    with unchanged(), pytest.raises(InvalidTransition):
        services.reopen_agreement(actor=funder_officer, agreement=agreement)
    with unchanged(), pytest.raises(NotEditable, match="change request"):
        _edit(award, funder_officer, approved=(50_000, 50_000))


def test_only_the_lead_accepts_and_the_acceptance_records_who_and_when(
    demo, award, funder_officer, coordinator, stockholm_coordinator, secretariat
):
    _sent(award, funder_officer)
    outsider = coordinator_of(demo.drammen)
    for actor in (stockholm_coordinator, funder_officer, secretariat, outsider):
        with unchanged(), pytest.raises(NotAllowed):
            services.accept_agreement(actor=actor, agreement=award.agreement)
    agreement = services.accept_agreement(actor=coordinator, agreement=award.agreement)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACCEPTED
    assert agreement.accepted_by == coordinator and agreement.accepted_at is not None
    event = AuditEvent.objects.filter(action="grants.agreement.accept").latest("id")
    assert event.actor == coordinator
    assert event.changes["status"] == ["sent", "accepted"]


def test_payments_are_marked_paid_only_once_the_agreement_is_accepted(
    award, funder_officer, coordinator
):
    payment = services.schedule_payment(
        award=award, amount=nok(50_000), due_on=date(2026, 1, 15), actor=funder_officer
    )
    _sent(award, funder_officer)
    with unchanged(), pytest.raises(AgreementNotAccepted) as refused:
        services.mark_paid(payment=payment, actor=funder_officer)
    assert refused.value.status == 409
    services.accept_agreement(actor=coordinator, agreement=award.agreement)
    award.refresh_from_db()
    assert states.payable(award)
    services.mark_paid(payment=payment, actor=funder_officer)
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_the_selector_shows_requested_against_approved(award, funder_officer):
    _edit(award, funder_officer)
    agreement = selectors.agreement_detail(award.pk)
    lines = selectors.approved_lines(agreement)
    assert [(line.label, line.requested, line.approved) for line in lines] == [
        ("Facilitators", nok(80_000), nok(60_000)),
        ("Venues", nok(40_000), nok(40_000)),
    ]
    assert selectors.approved_totals(lines, currency="NOK") == {
        "requested": nok(120_000),
        "approved": nok(100_000),
    }


# --- awards made before agreements ---------------------------------------------------------


def test_the_migration_drafts_agreements_for_earlier_awards(
    demo, award, call, coordinator, funder_officer, reviewer
):
    application = _reviewed(
        demo, call, coordinator, funder_officer, reviewer, lines=[("Hosts", nok(30_000))]
    )
    agreeing = services.award_grant(
        application=application, amount=nok(30_000), actor=funder_officer
    )
    # As before agreements existed: no agreement, nothing approved.
    Agreement.objects.filter(award__in=[award, agreeing]).delete()
    BudgetLine.objects.filter(application__award__in=[award, agreeing]).update(approved_minor=None)
    step = import_module("safecities.grants.migrations.0010_draft_agreements_for_awards")
    step.draft_agreements(django_apps, None)
    assert Agreement.objects.get(award=award).status == Agreement.Status.DRAFT
    assert Agreement.objects.get(award=agreeing).status == Agreement.Status.DRAFT
    assert [line.approved_minor for line in _lines(award)] == [None, None]  # sums differ
    assert [line.approved_minor for line in _lines(agreeing)] == [3_000_000]
    step.draft_agreements(django_apps, None)  # run again: nothing more
    assert Agreement.objects.filter(award__in=[award, agreeing]).count() == 2


def test_every_demo_award_has_an_agreement_the_newest_awaiting_the_grantee(demo):
    from safecities.grants.models import Award

    awards = list(Award.objects.filter(application__illustrative=True).order_by("decided_at"))
    assert awards and all(hasattr(a, "agreement") for a in awards)
    *older, newest = awards
    assert {a.agreement.status for a in older} == {Agreement.Status.ACCEPTED}
    assert newest.agreement.status == Agreement.Status.SENT
    assert not newest.payments.filter(status="paid").exists()
    for award in awards:
        approved = [line.approved_minor for line in award.application.budget_lines.all()]
        assert not approved or sum(approved) == award.amount_minor
        assert award.agreement.terms
    assert GrantReport.objects.filter(award=newest).exists()
