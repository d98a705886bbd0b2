"""Audit cases for the grants services, merged into the table of tests/core/test_audit.py.

Each case builds what it needs through the real services, on a programme of its own (the demo's
grant data, if any, is not relied upon): (prepare(demo) -> object or None, act(demo, prepared),
expected audit action, names of the fields the action changes).
"""

from datetime import date, timedelta

from django.utils import timezone

from safecities.grants import services
from safecities.grants.models import GrantReport
from tests.grants.factories import (
    accept_agreement,
    finish_review,
    make_application,
    make_programme,
    nok,
)

GRANT_SERVICES_MODULE = services

# Public functions of the grants services that only read: none.
# Services that write no one's record: a read, and the upkeep of the kept sums (`services.sums`),
# which only recomputes derived columns inside the audited write that changed their rows.
GRANT_READS: set[str] = {
    "safecities.grants.services.call_line_locked",
    "safecities.grants.services.call_terms_locked",
    "safecities.grants.services.line_in_use",
    "safecities.grants.services.refresh_all",
    "safecities.grants.services.refresh_awarded",
    "safecities.grants.services.refresh_call_counts",
    "safecities.grants.services.refresh_programme_totals",
    "safecities.grants.services.refresh_scores",
}

CRITERIA = [{"name": {"en": "Relevance to the charter"}, "weight": 3}]

# Report reminders are sent with a `today` long past, so only this case's report is due "soon"
# and reports in the demo data, whatever their dates, are not reminded in the same run.
REMINDER_TODAY = date(2000, 1, 1)


def _officer(demo):
    return demo.users["funder_officer"]


def _coordinator(demo):
    return demo.users["coordinator"]


def _programme(demo):
    return make_programme(
        actor=_officer(demo), funder=demo.funder, budget=nok(1_000_000), name="Audited programme"
    )


def _draft_call(demo, **fields):
    now = timezone.now()
    terms = {
        "title": {"en": "Audited call"},
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "max_amount": nok(200_000),
    }
    terms.update(fields)
    return services.create_call(actor=_officer(demo), programme=_programme(demo), **terms)


def _open_call(demo):
    call = _draft_call(demo)
    services.set_criteria(actor=_officer(demo), call=call, criteria=CRITERIA)
    return services.open_call(actor=_officer(demo), call=call)


def _draft(demo):
    return make_application(
        actor=_coordinator(demo),
        call=_open_call(demo),
        requested=nok(100_000),
        lead_municipality=demo.oslo,
    )


def _submitted(demo):
    return services.submit_application(actor=_coordinator(demo), application=_draft(demo))


def _reviewed(demo):
    """A submitted full proposal with a finished review: ready to be decided."""
    application = _submitted(demo)
    finish_review(application, actor=demo.users["secretariat"], reviewer=demo.users["reviewer"])
    return application


def _concept(demo):
    """A submitted concept note in a two-stage call."""
    now = timezone.now()
    call = _draft_call(
        demo,
        stages=2,
        concept_closes_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
    )
    call = services.open_call(actor=_officer(demo), call=call)
    concept = make_application(
        actor=_coordinator(demo),
        call=call,
        requested=nok(80_000),
        lead_municipality=demo.oslo,
        budget_lines=[],
    )
    return services.submit_application(actor=_coordinator(demo), application=concept)


def _review(demo):
    return services.assign_reviewer(
        actor=demo.users["secretariat"],
        application=_submitted(demo),
        reviewer=demo.users["reviewer"],
    )


def _award(demo, reports=None):
    return services.award_grant(
        application=_reviewed(demo),
        amount=nok(100_000),
        conditions="Report on attendance.",
        actor=_officer(demo),
        reports=reports,
    )


def _payment(demo):
    """A scheduled payment of an award whose agreement is accepted (it may be paid)."""
    award = accept_agreement(_award(demo), runner=_officer(demo), lead=_coordinator(demo))
    return services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2026, 1, 15), actor=_officer(demo)
    )


def _agreement(demo):
    """The draft agreement of a new award (its one budget line approved as asked)."""
    return _award(demo).agreement


def _ready_agreement(demo):
    """A draft agreement with its terms written: ready to send."""
    award = _award(demo)
    return services.update_agreement(
        actor=_officer(demo),
        agreement=award.agreement,
        terms="Use the grant as applied for.",
        approved={line.pk: line.approved for line in _approved(award)},
    )


def _sent_agreement(demo):
    return services.send_agreement(actor=_officer(demo), agreement=_ready_agreement(demo))


def _approved(award):
    from safecities.grants import selectors

    return selectors.approved_lines(award.agreement)


def _update_agreement(demo, agreement):
    final = agreement.award.reports.get(kind=GrantReport.Kind.FINAL)
    return services.update_agreement(
        actor=_officer(demo),
        agreement=agreement,
        terms="Use the grant as applied for; report attendance.",
        approved={line.pk: line.approved for line in _approved(agreement.award)},
        reports=[
            (final.pk, "final", final.due_on + timedelta(days=30)),
            (None, "interim", final.due_on - timedelta(days=180)),
        ],
    )


def _paid(demo):
    return services.mark_paid(payment=_payment(demo), actor=_officer(demo))


def _final_report(demo):
    return _award(demo).reports.get(kind=GrantReport.Kind.FINAL)


def _submit_report(demo, report):
    return services.submit_report(
        actor=_coordinator(demo),
        report=report,
        narrative="Ten debates, 400 young people.",
        results="Trust rose in the follow-up survey.",
        spent=nok(90_000),
    )


def _submitted_report(demo):
    return _submit_report(demo, _final_report(demo))


def _reported_award(demo):
    """An award whose final report is accepted, ready to close."""
    report = _submitted_report(demo)
    services.accept_report(actor=_officer(demo), report=report)
    return report.award


def _line(demo, programme):
    return services.add_programme_line(
        actor=_officer(demo),
        programme=programme,
        name="Collaboration projects",
        kind="pot",
        amount=nok(600_000),
    )


def _report_due_soon(demo):
    return _award(demo, reports=[(GrantReport.Kind.FINAL, REMINDER_TODAY + timedelta(days=10))])


# service -> (prepare(demo) -> object or None, act(demo, prepared), action, changed fields)
def _partnered_draft(demo):
    """A draft led by Oslo with Nuorten ääni as partner, not confirmed yet."""
    return make_application(
        actor=_coordinator(demo),
        call=_open_call(demo),
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Recruits young debaters")],
        confirmed=False,
    ).partners.get()


def _confirmed_partner(demo):
    partner = _partnered_draft(demo)
    return services.confirm_participation(actor=demo.users["organisation_contact"], partner=partner)


def _accepted_award(demo):
    award = _award(demo)
    accept_agreement(award, runner=_officer(demo), lead=_coordinator(demo))
    return award


def _request_extension(demo, award):
    return services.request_change(
        actor=_coordinator(demo),
        award=award,
        kind="extension",
        reason="The autumn debates move to spring.",
        new_ends_on=date(2026, 8, 31),
        new_final_due_on=date(2026, 10, 31),
    )


def _change(demo):
    return _request_extension(demo, _accepted_award(demo))


def _partner_in_a_call_with_questions(demo):
    """A draft led by Oslo, with Nuorten ääni as partner, to a call asking one question."""
    call = _draft_call(demo)
    services.set_criteria(actor=_officer(demo), call=call, criteria=CRITERIA)
    services.set_questions(
        actor=_officer(demo), call=call, questions=[{"kind": "text", "label": {"en": "Why?"}}]
    )
    services.open_call(actor=_officer(demo), call=call)
    return make_application(
        actor=_coordinator(demo),
        call=call,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Recruits young debaters")],
        confirmed=False,
    ).partners.get()


GRANT_CASES = {
    "safecities.grants.services.request_change": (
        _accepted_award,
        _request_extension,
        "grants.change.request",
        {"kind", "reason", "new_ends_on", "new_final_due_on"},
    ),
    "safecities.grants.services.withdraw_change": (
        _change,
        lambda d, change: services.withdraw_change(actor=_coordinator(d), change=change),
        "grants.change.withdraw",
        {"status"},
    ),
    "safecities.grants.services.approve_change": (
        _change,
        lambda d, change: services.approve_change(actor=_officer(d), change=change),
        "grants.change.approve",
        {"status", "ends_on", "final_report_due_on"},
    ),
    "safecities.grants.services.decline_change": (
        _change,
        lambda d, change: services.decline_change(
            actor=_officer(d), change=change, note="Not this year."
        ),
        "grants.change.decline",
        {"status", "decision_note"},
    ),
    "safecities.grants.services.grant_questions": (
        _partner_in_a_call_with_questions,
        lambda d, partner: services.grant_questions(
            actor=_coordinator(d),
            partner=partner,
            question_ids=[q.pk for q in partner.application.call.questions.all()],
        ),
        "grants.partner.grant_questions",
        {"writes_questions"},
    ),
    "safecities.grants.services.confirm_participation": (
        _partnered_draft,
        lambda d, partner: services.confirm_participation(
            actor=d.users["organisation_contact"], partner=partner
        ),
        "grants.partner.confirm",
        {"confirmed_at"},
    ),
    "safecities.grants.services.withdraw_participation": (
        _confirmed_partner,
        lambda d, partner: services.withdraw_participation(
            actor=d.users["organisation_contact"], partner=partner
        ),
        "grants.partner.withdraw",
        {"confirmed_at"},
    ),
    "safecities.grants.services.create_programme": (
        None,
        lambda d, _: _programme(d),
        "grants.programme.create",
        {"funder", "name", "currency", "budget_minor", "starts_on", "ends_on"},
    ),
    "safecities.grants.services.update_programme": (
        _programme,
        lambda d, programme: services.update_programme(
            actor=_officer(d),
            programme=programme,
            name="Audited programme, renamed",
            budget=nok(1_500_000),
            starts_on=programme.starts_on,
            ends_on=date(2027, 12, 31),
            description={"en": "A wider purpose."},
        ),
        "grants.programme.update",
        {"name", "budget_minor", "ends_on", "description"},
    ),
    "safecities.grants.services.add_programme_line": (
        _programme,
        lambda d, programme: _line(d, programme),
        "grants.programme_line.create",
        {"name", "kind", "amount_minor"},
    ),
    "safecities.grants.services.update_programme_line": (
        lambda d: _line(d, _programme(d)),
        lambda d, line: services.update_programme_line(
            actor=_officer(d), line=line, name="Secretariat", kind="reserved", amount=nok(100_000)
        ),
        "grants.programme_line.update",
        {"name", "kind", "amount_minor"},
    ),
    "safecities.grants.services.delete_programme_line": (
        lambda d: _line(d, _programme(d)),
        lambda d, line: services.delete_programme_line(actor=_officer(d), line=line),
        "grants.programme_line.delete",
        {"name", "kind", "amount_minor"},
    ),
    "safecities.grants.services.draw_call_on": (
        _draft_call,
        lambda d, call: services.draw_call_on(
            actor=_officer(d), call=call, line=_line(d, call.programme)
        ),
        "grants.call.line",
        {"line"},
    ),
    "safecities.grants.services.create_call": (
        None,
        lambda d, _: _draft_call(d),
        "grants.call.create",
        {"programme", "title", "opens_at", "closes_at", "max_amount_minor", "status"},
    ),
    "safecities.grants.services.update_call": (
        _draft_call,
        lambda d, call: services.update_call(
            actor=_officer(d),
            call=call,
            title={"en": "Renamed call"},
            text=None,
            eligibility=None,
            opens_at=call.opens_at,
            closes_at=call.closes_at,
            min_amount=None,
            max_amount=nok(150_000),
            requires_partnership=True,
            stages=1,
            concept_closes_at=None,
            blind_review=False,
            time_zone="Europe/Oslo",
        ),
        "grants.call.update",
        {"title", "max_amount_minor", "requires_partnership"},
    ),
    "safecities.grants.services.set_criteria": (
        _draft_call,
        lambda d, call: services.set_criteria(actor=_officer(d), call=call, criteria=CRITERIA),
        "grants.call.criteria",
        {"criteria"},
    ),
    "safecities.grants.services.set_questions": (
        _draft_call,
        lambda d, call: services.set_questions(
            actor=_officer(d), call=call, questions=[{"kind": "text", "label": {"en": "Why now?"}}]
        ),
        "grants.call.questions",
        {"questions"},
    ),
    "safecities.grants.services.open_call": (
        _draft_call,
        lambda d, call: services.open_call(actor=_officer(d), call=call),
        "grants.call.open",
        {"status"},
    ),
    "safecities.grants.services.close_call": (
        _open_call,
        lambda d, call: services.close_call(actor=_officer(d), call=call),
        "grants.call.close",
        {"status"},
    ),
    "safecities.grants.services.create_application": (
        _open_call,
        lambda d, call: make_application(
            actor=_coordinator(d),
            call=call,
            requested=nok(100_000),
            lead_municipality=d.oslo,
            partners=[(d.nuorten_aani, "Youth outreach")],
        ),
        "grants.application.create",
        {
            "call",
            "lead_municipality",
            "title",
            "requested_minor",
            "stage",
            "status",
            "budget_lines",
            "partners",
        },
    ),
    "safecities.grants.services.update_application": (
        _draft,
        lambda d, application: services.update_application(
            actor=_coordinator(d),
            application=application,
            title="Oslo snakker — summer edition",
            requested=nok(120_000),
            budget_lines=[("Facilitators", nok(120_000))],
        ),
        "grants.application.update",
        {"title", "requested_minor", "budget_lines"},
    ),
    "safecities.grants.services.submit_application": (
        _draft,
        lambda d, application: services.submit_application(
            actor=_coordinator(d), application=application
        ),
        "grants.application.submit",
        {"status", "version"},
    ),
    "safecities.grants.services.invite_full_proposal": (
        _concept,
        lambda d, concept: services.invite_full_proposal(actor=_officer(d), application=concept),
        "grants.application.invite",
        {"status", "stage"},
    ),
    "safecities.grants.services.withdraw_application": (
        _submitted,
        lambda d, application: services.withdraw_application(
            actor=_coordinator(d), application=application
        ),
        "grants.application.withdraw",
        {"status"},
    ),
    "safecities.grants.services.assign_reviewer": (
        _submitted,
        lambda d, application: services.assign_reviewer(
            actor=d.users["secretariat"], application=application, reviewer=d.users["reviewer"]
        ),
        "grants.review.assign",
        {"reviewer"},
    ),
    "safecities.grants.services.unassign_reviewer": (
        _review,
        lambda d, review: services.unassign_reviewer(actor=d.users["secretariat"], review=review),
        "grants.review.unassign",
        {"reviewer"},
    ),
    "safecities.grants.services.declare_conflict": (
        _review,
        lambda d, review: services.declare_conflict(
            actor=d.users["reviewer"], review=review, reason="I advise the lead city."
        ),
        "grants.review.conflict",
        {"status"},
    ),
    "safecities.grants.services.save_review": (
        _review,
        lambda d, review: services.save_review(
            actor=d.users["reviewer"],
            review=review,
            scores={review.application.call.criteria.get().pk: 4},
            recommendation="fund",
            comment="Strong partnership with youth workers.",
            submit=True,
        ),
        "grants.review.submit",
        {"scores", "recommendation", "status"},
    ),
    "safecities.grants.services.award_grant": (
        _reviewed,
        lambda d, application: services.award_grant(
            application=application,
            amount=nok(90_000),
            conditions="Report on attendance.",
            actor=_officer(d),
            reports=[("interim", date(2026, 6, 1)), ("final", date(2027, 4, 30))],
        ),
        "grants.award",
        {"amount", "conditions", "application", "reports"},
    ),
    "safecities.grants.services.decline_application": (
        _reviewed,
        lambda d, application: services.decline_application(
            application=application, reason="Outside the call's scope.", actor=_officer(d)
        ),
        "grants.application.decline",
        {"status", "decision_reason"},
    ),
    "safecities.grants.services.schedule_payment": (
        _award,
        lambda d, award: services.schedule_payment(
            award=award, amount=nok(40_000), due_on=date(2026, 1, 15), actor=_officer(d)
        ),
        "grants.payment.schedule",
        {"amount", "due_on"},
    ),
    "safecities.grants.services.update_agreement": (
        _agreement,
        _update_agreement,
        "grants.agreement.update",
        {"terms", "reports"},
    ),
    "safecities.grants.services.send_agreement": (
        _ready_agreement,
        lambda d, agreement: services.send_agreement(actor=_officer(d), agreement=agreement),
        "grants.agreement.send",
        {"status"},
    ),
    "safecities.grants.services.reopen_agreement": (
        _sent_agreement,
        lambda d, agreement: services.reopen_agreement(actor=_officer(d), agreement=agreement),
        "grants.agreement.reopen",
        {"status"},
    ),
    "safecities.grants.services.accept_agreement": (
        _sent_agreement,
        lambda d, agreement: services.accept_agreement(actor=_coordinator(d), agreement=agreement),
        "grants.agreement.accept",
        {"status", "accepted_at"},
    ),
    "safecities.grants.services.mark_paid": (
        _payment,
        lambda d, payment: services.mark_paid(payment=payment, actor=_officer(d)),
        "grants.payment.paid",
        {"status", "paid_on"},
    ),
    "safecities.grants.services.return_payment": (
        _paid,
        lambda d, payment: services.return_payment(payment=payment, actor=_officer(d)),
        "grants.payment.return",
        {"status", "returned_on"},
    ),
    "safecities.grants.services.cancel_payment": (
        _payment,
        lambda d, payment: services.cancel_payment(payment=payment, actor=_officer(d)),
        "grants.payment.cancel",
        {"status"},
    ),
    "safecities.grants.services.submit_report": (
        _final_report,
        lambda d, report: _submit_report(d, report),
        "grants.report.submit",
        {"status", "spent"},
    ),
    "safecities.grants.services.save_report": (
        _final_report,
        lambda d, report: services.save_report(
            actor=_coordinator(d),
            report=report,
            narrative="Half the meetings are held.",
            results="",
            spent=nok(40_000),
        ),
        "grants.report.save",
        {"narrative", "spent_minor"},
    ),
    "safecities.grants.services.accept_report": (
        _submitted_report,
        lambda d, report: services.accept_report(actor=_officer(d), report=report),
        "grants.report.accept",
        {"status"},
    ),
    "safecities.grants.services.close_award": (
        _reported_award,
        lambda d, award: services.close_award(actor=_officer(d), award=award),
        "grants.award.close",
        {"released"},
    ),
    "safecities.grants.services.send_report_reminders": (
        _report_due_soon,
        lambda d, _: services.send_report_reminders(today=REMINDER_TODAY),
        "grants.report.remind",
        {"reminded_at"},
    ),
}
