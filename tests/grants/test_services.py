"""Grants through the services, the way pages and the API will call them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from safecities.core.errors import NotAllowed
from safecities.core.models import AuditEvent
from safecities.core.money import Money
from safecities.core.permissions import has_perm
from safecities.grants import services
from safecities.grants.models import Application, Award, Call, Payment, Programme
from safecities.grants.selectors import programme_ledger
from safecities.grants.states import InvalidTransition
from tests.grants.factories import (
    accept_agreement,
    finish_review,
    make_application,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.utils import unchanged


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder)


@pytest.fixture
def call(programme, funder_officer):
    return make_open_call(actor=funder_officer, programme=programme)


@pytest.fixture
def draft(demo, coordinator, call):
    return make_application(
        actor=coordinator, call=call, requested=nok(150_000), lead_municipality=demo.oslo
    )


@pytest.fixture
def submitted(coordinator, draft, funder_officer, reviewer):
    """A submitted full proposal with a finished review: ready to be decided."""
    application = services.submit_application(actor=coordinator, application=draft)
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    return application


def actions(since: int = 0) -> list[str]:
    """The grant actions audited after event `since`."""
    return list(
        AuditEvent.objects.filter(action__startswith="grants.", pk__gt=since)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- the whole way, from programme to payment ---------------------------------------------


def test_a_krone_goes_from_the_funder_to_the_project(demo, funder_officer, coordinator, reviewer):
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    programme = make_programme(actor=funder_officer, funder=demo.funder, budget=nok(1_000_000))
    assert programme.currency == "NOK"
    assert programme.budget_minor == 100_000_000
    call = make_open_call(actor=funder_officer, programme=programme)
    application = make_application(
        actor=coordinator,
        call=call,
        requested=nok("150000.50"),
        lead_municipality=demo.oslo,
        budget_lines=[("Facilitators", nok(100_000)), ("Venues", nok("50000.50"))],
        partners=[(demo.nuorten_aani, "Recruits young debaters")],
    )
    assert application.status == Application.Status.DRAFT
    application = services.submit_application(actor=coordinator, application=application)
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    finish_review(application, actor=funder_officer, reviewer=reviewer)

    award = services.award_grant(
        application=application,
        amount=nok(120_000),
        conditions="Report by 2025-12-31.",
        actor=funder_officer,
    )
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED
    assert award.amount == nok(120_000)
    assert award.decided_by == funder_officer

    first = services.schedule_payment(
        award=award, amount=nok(80_000), due_on=date(2025, 3, 1), actor=funder_officer
    )
    second = services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2025, 9, 1), actor=funder_officer
    )
    accept_agreement(award, runner=funder_officer)
    services.mark_paid(payment=first, actor=funder_officer, paid_on=date(2025, 3, 2))
    services.mark_paid(payment=second, actor=funder_officer, paid_on=date(2025, 9, 2))
    assert programme_ledger(programme) == {
        "budget": nok(1_000_000),
        "awarded": nok(120_000),
        "paid": nok(120_000),
        "remaining": nok(880_000),
    }

    # The project paid the second instalment back: it no longer counts as paid.
    services.return_payment(payment=second, actor=funder_officer)
    assert programme_ledger(programme)["paid"] == nok(80_000)
    # …and the award may be paid out again up to its amount, and no further.
    services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2025, 10, 1), actor=funder_officer
    )

    assert actions(since) == [
        "grants.programme.create",
        "grants.call.create",
        "grants.call.open",
        "grants.application.create",
        "grants.partner.confirm",  # Nuorten ääni confirms it takes part (the factory's)
        "grants.application.submit",
        "grants.review.assign",
        "grants.review.submit",
        "grants.award",
        "grants.payment.schedule",
        "grants.payment.schedule",
        "grants.agreement.update",  # paid only once the grantee accepted the agreement
        "grants.agreement.send",
        "grants.agreement.accept",
        "grants.payment.paid",
        "grants.payment.paid",
        "grants.payment.return",
        "grants.payment.schedule",
    ]
    event = AuditEvent.objects.get(action="grants.award", pk__gt=since)
    assert event.actor == funder_officer
    assert event.changes["amount"] == [None, "NOK 120\u00a0000.00"]


# --- programmes and calls -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "coordinator", "organisation_contact", "reviewer"])
def test_only_funder_officers_and_the_secretariat_create_programmes(demo, role):
    with unchanged(), pytest.raises(NotAllowed):
        make_programme(actor=demo.users[role], funder=demo.funder)


def test_a_funder_officer_runs_only_their_own_funders_programmes(demo, funder_officer):
    with unchanged(), pytest.raises(NotAllowed):
        make_programme(actor=funder_officer, funder=demo.nuorten_aani)


def test_the_secretariat_creates_programmes_for_any_funder(demo, secretariat):
    assert make_programme(actor=secretariat, funder=demo.funder).pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget": nok(0)}, "budget"),
        ({"budget": 1_000_000}, "budget"),
        ({"name": "  "}, "name"),
        ({"ends_on": date(2023, 12, 31)}, "ends_on"),
    ],
    ids=["zero-budget", "budget-without-currency", "no-name", "ends-before-start"],
)
def test_bad_programmes_are_refused_naming_the_field(demo, funder_officer, overrides, field):
    fields = {
        "funder": demo.funder,
        "name": "Programme",
        "budget": nok(1000),
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2026, 12, 31),
    }
    fields.update(overrides)
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.create_programme(actor=funder_officer, **fields)
    assert exc.value.field == field


def test_the_database_refuses_a_programme_without_budget(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            funder=demo.funder,
            name="x",
            slug="x",
            currency="NOK",
            budget_minor=0,
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
        )


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"closes_at": timezone.now() - timedelta(days=2)}, services.InvalidInput, "closes_at"),
        ({"max_amount": Money(Decimal(1000), "SEK")}, services.WrongCurrency, "max_amount"),
        ({"min_amount": nok(300_000)}, services.InvalidInput, "max_amount"),
        ({"title": {"nb": "Bare norsk"}}, services.InvalidInput, "title"),
    ],
    ids=["closes-before-opening", "wrong-currency", "min-above-max", "no-english-title"],
)
def test_bad_calls_are_refused_naming_the_field(programme, funder_officer, overrides, error, field):
    with unchanged(), pytest.raises(error) as exc:
        make_open_call(actor=funder_officer, programme=programme, **overrides)
    assert exc.value.field == field


# --- submitting -----------------------------------------------------------------------------


def test_a_draft_call_takes_no_applications(demo, programme, funder_officer, coordinator):
    now = timezone.now()
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Not yet"},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        max_amount=nok(10_000),
    )
    with unchanged(), pytest.raises(services.CallNotOpen) as exc:
        make_application(
            actor=coordinator, call=call, requested=nok(1000), lead_municipality=demo.oslo
        )
    assert exc.value.field == "call"


def test_a_call_past_its_closing_time_takes_no_applications(
    demo, programme, funder_officer, coordinator
):
    now = timezone.now()
    call = make_open_call(
        actor=funder_officer,
        programme=programme,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(hours=1),
    )
    draft = make_application(
        actor=coordinator, call=call, requested=nok(1000), lead_municipality=demo.oslo
    )
    # The draft was started in time; the deadline passes while it is written.
    Call.objects.filter(pk=call.pk).update(closes_at=now - timedelta(seconds=1))
    with unchanged(), pytest.raises(services.CallNotOpen, match="deadline"):
        services.submit_application(actor=coordinator, application=draft)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_a_closed_call_takes_no_applications(demo, call, funder_officer, coordinator, draft):
    services.close_call(actor=funder_officer, call=call)
    with unchanged(), pytest.raises(services.CallNotOpen):
        services.submit_application(actor=coordinator, application=draft)


@pytest.mark.parametrize(
    ("requested", "lines", "error", "field"),
    [
        (nok(250_000), [("All", nok(250_000))], services.RequestOutOfRange, "requested"),
        (nok(150_000), [("All", nok(149_999))], services.BudgetLinesMismatch, "budget_lines"),
        (nok(150_000), [], services.BudgetLinesMismatch, "budget_lines"),
        (
            nok(150_000),
            [("A", nok(100_000)), ("B", nok("50000.01"))],
            services.BudgetLinesMismatch,
            "budget_lines",
        ),
    ],
    ids=["over-the-call-maximum", "lines-short", "no-lines", "lines-over-by-one-ore"],
)
def test_bad_applications_are_refused_at_submission(
    demo, call, coordinator, requested, lines, error, field
):
    draft = make_application(
        actor=coordinator,
        call=call,
        requested=requested,
        lead_municipality=demo.oslo,
        budget_lines=lines,
    )
    with unchanged(), pytest.raises(error) as exc:
        services.submit_application(actor=coordinator, application=draft)
    assert exc.value.field == field
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_a_request_below_the_call_minimum_is_refused(demo, programme, funder_officer, coordinator):
    call = make_open_call(actor=funder_officer, programme=programme, min_amount=nok(50_000))
    draft = make_application(
        actor=coordinator, call=call, requested=nok(10_000), lead_municipality=demo.oslo
    )
    with unchanged(), pytest.raises(services.RequestOutOfRange):
        services.submit_application(actor=coordinator, application=draft)


def test_amounts_in_another_currency_are_refused(demo, call, coordinator):
    with unchanged(), pytest.raises(services.WrongCurrency) as exc:
        make_application(
            actor=coordinator,
            call=call,
            requested=Money(Decimal(1000), "SEK"),
            lead_municipality=demo.oslo,
        )
    assert exc.value.field == "requested"


def test_only_the_lead_applies(demo, call, contact):
    with unchanged(), pytest.raises(NotAllowed):
        make_application(actor=contact, call=call, requested=nok(1000), lead_municipality=demo.oslo)


def test_only_the_lead_submits(draft, contact):
    with unchanged(), pytest.raises(NotAllowed):
        services.submit_application(actor=contact, application=draft)


@pytest.fixture
def partnership_call(programme, funder_officer):
    return make_open_call(actor=funder_officer, programme=programme, requires_partnership=True)


def test_a_partnership_call_takes_a_member_city_with_a_civil_society_organisation(
    demo, partnership_call, coordinator, contact
):
    city_led = submitted_application(
        actor=coordinator,
        call=partnership_call,
        requested=nok(1000),
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Youth outreach")],
    )
    assert city_led.status == Application.Status.SUBMITTED
    cso_led = submitted_application(
        actor=contact,
        call=partnership_call,
        requested=nok(1000),
        lead_municipality=None,
        lead_organisation=demo.nuorten_aani,
        partners=[(demo.oslo, "Hosts the debates")],
    )
    assert cso_led.status == Application.Status.SUBMITTED


@pytest.mark.parametrize(
    ("lead", "partners"),
    [("oslo", []), ("oslo", ["funder"]), ("drammen", ["nuorten_aani"])],
    ids=["no-partner", "partner-not-civil-society", "city-not-a-member"],
)
def test_partnership_calls_refuse_applications_without_a_partnership(
    demo, partnership_call, coordinator, lead, partners
):
    draft = make_application(
        actor=coordinator,
        call=partnership_call,
        requested=nok(1000),
        lead_municipality=getattr(demo, lead),
        partners=[(getattr(demo, p), "") for p in partners],
    )
    with unchanged(), pytest.raises(services.PartnershipRequired) as exc:
        services.submit_application(actor=coordinator, application=draft)
    assert exc.value.field == "partners"


def test_a_partner_is_listed_once(demo, call, coordinator):
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        make_application(
            actor=coordinator,
            call=call,
            requested=nok(1000),
            lead_municipality=demo.oslo,
            partners=[(demo.nuorten_aani, "a"), (demo.nuorten_aani, "b")],
        )
    assert exc.value.field == "partners"


# --- awards ---------------------------------------------------------------------------------


def test_an_award_may_use_up_exactly_the_remaining_budget(
    demo, funder_officer, coordinator, reviewer
):
    programme = make_programme(actor=funder_officer, funder=demo.funder, budget=nok(150_000))
    call = make_open_call(actor=funder_officer, programme=programme)
    application = submitted_application(
        actor=coordinator, call=call, requested=nok(150_000), lead_municipality=demo.oslo
    )
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    services.award_grant(application=application, amount=nok(150_000), actor=funder_officer)
    assert programme_ledger(programme)["remaining"] == nok(0)


def test_an_award_over_the_remaining_budget_is_refused(demo, funder_officer, coordinator, reviewer):
    programme = make_programme(actor=funder_officer, funder=demo.funder, budget=nok(200_000))
    call = make_open_call(actor=funder_officer, programme=programme)
    first, second = (
        submitted_application(
            actor=coordinator, call=call, requested=nok(150_000), lead_municipality=demo.oslo
        )
        for _ in range(2)
    )
    for application in (first, second):
        finish_review(application, actor=funder_officer, reviewer=reviewer)
    services.award_grant(application=first, amount=nok(150_000), actor=funder_officer)
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        services.award_grant(application=second, amount=nok("50000.01"), actor=funder_officer)
    assert exc.value.field == "amount"
    assert "NOK\u00a050,000" in exc.value.message
    second.refresh_from_db()
    assert second.status == Application.Status.SUBMITTED
    assert programme_ledger(programme)["awarded"] == nok(150_000)


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        (nok("150000.01"), services.AwardOverRequest),
        (Money(Decimal(1000), "SEK"), services.WrongCurrency),
        (nok(0), services.InvalidInput),
    ],
    ids=["over-the-request", "wrong-currency", "zero"],
)
def test_bad_awards_are_refused(submitted, funder_officer, amount, error):
    with unchanged(), pytest.raises(error) as exc:
        services.award_grant(application=submitted, amount=amount, actor=funder_officer)
    assert exc.value.field == "amount"
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_a_draft_cannot_be_awarded(draft, funder_officer):
    with unchanged(), pytest.raises(InvalidTransition):
        services.award_grant(application=draft, amount=nok(1000), actor=funder_officer)


def test_an_application_is_awarded_once(submitted, funder_officer):
    services.award_grant(application=submitted, amount=nok(1000), actor=funder_officer)
    with unchanged(), pytest.raises(InvalidTransition):
        services.award_grant(application=submitted, amount=nok(1000), actor=funder_officer)


@pytest.mark.parametrize("role", ["member", "coordinator", "organisation_contact", "reviewer"])
def test_only_the_funder_and_the_secretariat_decide(demo, submitted, role):
    with unchanged(), pytest.raises(NotAllowed):
        services.award_grant(application=submitted, amount=nok(1000), actor=demo.users[role])


def test_the_secretariat_decides(submitted, secretariat):
    assert services.award_grant(application=submitted, amount=nok(1), actor=secretariat).pk


def test_a_declined_application_cannot_be_awarded(submitted, funder_officer):
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.decline_application(application=submitted, reason=" ", actor=funder_officer)
    assert exc.value.field == "reason"
    services.decline_application(
        application=submitted, reason="Outside the call's goals.", actor=funder_officer
    )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.DECLINED
    assert submitted.decision_reason == "Outside the call's goals."
    with unchanged(), pytest.raises(InvalidTransition):
        services.award_grant(application=submitted, amount=nok(1000), actor=funder_officer)


def test_a_withdrawn_application_cannot_be_submitted(draft, coordinator):
    services.withdraw_application(actor=coordinator, application=draft)
    with unchanged(), pytest.raises(InvalidTransition):
        services.submit_application(actor=coordinator, application=draft)


# --- payments -------------------------------------------------------------------------------


@pytest.fixture
def award(submitted, funder_officer):
    """An award whose agreement is accepted: its payments may be marked paid."""
    award = services.award_grant(application=submitted, amount=nok(100_000), actor=funder_officer)
    return accept_agreement(award, runner=funder_officer)


def test_payments_never_exceed_the_award(award, funder_officer):
    services.schedule_payment(
        award=award, amount=nok(60_000), due_on=date(2025, 1, 1), actor=funder_officer
    )
    with unchanged(), pytest.raises(services.PaymentOverAward) as exc:
        services.schedule_payment(
            award=award, amount=nok("40000.01"), due_on=date(2025, 6, 1), actor=funder_officer
        )
    assert exc.value.field == "amount"
    services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2025, 6, 1), actor=funder_officer
    )


def test_returned_money_may_be_paid_again(award, funder_officer):
    payment = services.schedule_payment(
        award=award, amount=nok(100_000), due_on=date(2025, 1, 1), actor=funder_officer
    )
    with unchanged(), pytest.raises(InvalidTransition):  # not paid yet, so nothing to return
        services.return_payment(payment=payment, actor=funder_officer)
    services.mark_paid(payment=payment, actor=funder_officer)
    with unchanged(), pytest.raises(InvalidTransition):
        services.mark_paid(payment=payment, actor=funder_officer)
    services.return_payment(payment=payment, actor=funder_officer)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.RETURNED
    assert payment.returned_on == timezone.localdate()
    again = services.schedule_payment(
        award=award, amount=nok(100_000), due_on=date(2025, 2, 1), actor=funder_officer
    )
    assert again.status == Payment.Status.SCHEDULED


def test_payments_in_another_currency_are_refused(award, funder_officer):
    with unchanged(), pytest.raises(services.WrongCurrency):
        services.schedule_payment(
            award=award,
            amount=Money(Decimal(1), "EUR"),
            due_on=date(2025, 1, 1),
            actor=funder_officer,
        )


def test_only_the_funder_and_the_secretariat_pay(award, coordinator):
    with unchanged(), pytest.raises(NotAllowed):
        services.schedule_payment(
            award=award, amount=nok(1), due_on=date(2025, 1, 1), actor=coordinator
        )


# --- the ledger and the permission rules --------------------------------------------------


def test_the_ledger_is_summed_from_the_rows(
    demo, programme, call, funder_officer, coordinator, reviewer
):
    assert programme_ledger(programme) == {
        "budget": nok(1_000_000),
        "awarded": nok(0),
        "paid": nok(0),
        "remaining": nok(1_000_000),
    }
    for amount in (nok(100_000), nok("2500.50")):
        application = submitted_application(
            actor=coordinator, call=call, requested=amount, lead_municipality=demo.oslo
        )
        finish_review(application, actor=funder_officer, reviewer=reviewer)
        services.award_grant(application=application, amount=amount, actor=funder_officer)
    ledger = programme_ledger(programme)
    assert ledger["awarded"] == nok("102500.50")
    assert ledger["remaining"] == nok("897499.50")
    awards = Award.objects.filter(application__call__programme=programme)
    assert sum(a.amount_minor for a in awards) == ledger["awarded"].minor_units


def test_permission_rules(demo, programme, draft):
    users = demo.users
    for name in ("grants.manage_programme", "grants.decide"):
        assert has_perm(users["funder_officer"], name, programme)
        assert has_perm(users["secretariat"], name, draft)
        assert not has_perm(users["coordinator"], name, programme)
        assert not has_perm(users["organisation_contact"], name, programme)
    assert has_perm(users["coordinator"], "grants.apply", draft)
    assert not has_perm(users["organisation_contact"], "grants.apply", draft)
    assert not has_perm(users["funder_officer"], "grants.apply", draft)
    assert has_perm(users["organisation_contact"], "grants.apply")
    assert not has_perm(users["member"], "grants.apply")
