"""Every write to grants: one function per business action, atomic and audited.

The ledger rule: awards never exceed a programme's budget, and scheduled or paid payments never
exceed their award. Both are checked while holding a lock that serialises the writers who could
break them: the programme row (`select_for_update`) for awards, the award row for payments. On
SQLite, where FOR UPDATE does not exist, the settings open every transaction IMMEDIATE, which
takes the database's write lock at BEGIN and so serialises the same writers.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import DomainError
from safecities.core.money import Money, validate_currency
from safecities.core.permissions import ensure
from safecities.core.text import unique_slug
from safecities.network.models import Membership, Municipality, Organisation, OrganisationType

from . import selectors, states
from .models import Application, Award, BudgetLine, Call, Partner, Payment, Programme

PROGRAMME_FIELDS = ["funder", "name", "currency", "budget_minor", "starts_on", "ends_on"]
CALL_FIELDS = [
    "programme",
    "title",
    "opens_at",
    "closes_at",
    "min_amount_minor",
    "max_amount_minor",
    "requires_partnership",
    "status",
]
APPLICATION_FIELDS = [
    "call",
    "lead_municipality",
    "lead_organisation",
    "title",
    "requested_minor",
    "status",
]


class InvalidInput(DomainError):
    pass


class WrongCurrency(DomainError):
    """An amount is not in the programme's currency."""


class CallNotOpen(DomainError):
    status = 409


class RequestOutOfRange(DomainError):
    pass


class BudgetLinesMismatch(DomainError):
    pass


class PartnershipRequired(DomainError):
    pass


class BudgetExceeded(DomainError):
    status = 409


class AwardOverRequest(DomainError):
    pass


class PaymentOverAward(DomainError):
    status = 409


def _now() -> datetime:
    return timezone.now()


def _money(value, currency: str, field: str) -> Money:
    """`value` as Money in `currency`, refusing another currency or a non-Money."""
    if not isinstance(value, Money):
        raise InvalidInput(_("Give the amount with its currency."), field=field)
    if value.currency != currency:
        raise WrongCurrency(
            _("Give the amount in %(currency)s, not %(other)s.")
            % {"currency": currency, "other": value.currency},
            field=field,
        )
    return value


def _translations(values: dict | None, field: str, *, required: bool) -> dict:
    cleaned = {k: (v or "").strip() for k, v in (values or {}).items()}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if required and not cleaned.get("en"):
        raise InvalidInput(_("Give it in English at least."), field=field)
    return cleaned


# --- programmes and calls ----------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    actor,
    funder: Organisation,
    name: str,
    budget: Money,
    starts_on: date,
    ends_on: date,
    description: dict | None = None,
) -> Programme:
    """A funder's programme; its currency is the budget's."""
    ensure(actor, "grants.manage_programme", funder, field="funder")
    if not (name or "").strip():
        raise InvalidInput(_("Name the programme."), field="name")
    if not isinstance(budget, Money):
        raise InvalidInput(_("Give the budget with its currency."), field="budget")
    try:
        validate_currency(budget.currency)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="currency") from exc
    if budget.minor_units <= 0:
        raise InvalidInput(_("The budget must be more than zero."), field="budget")
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise InvalidInput(_("The programme must end on or after its start."), field="ends_on")
    programme = Programme.objects.create(
        funder=funder,
        name=name.strip(),
        slug=unique_slug(Programme, name, fallback="programme"),
        currency=budget.currency,
        budget_minor=budget.minor_units,
        starts_on=starts_on,
        ends_on=ends_on,
        description=_translations(description, "description", required=False),
    )
    audit.record(
        actor=actor,
        action="grants.programme.create",
        target=programme,
        changes=audit.created(programme, PROGRAMME_FIELDS),
    )
    return programme


@transaction.atomic
def create_call(
    *,
    actor,
    programme: Programme,
    title: dict,
    opens_at: datetime,
    closes_at: datetime,
    max_amount: Money,
    min_amount: Money | None = None,
    text: dict | None = None,
    goals: Iterable[Goal] = (),
    requires_partnership: bool = False,
) -> Call:
    """A call for applications, in draft until opened."""
    ensure(actor, "grants.manage_programme", programme, field="programme")
    currency = programme.currency
    title = _translations(title, "title", required=True)
    for field, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is None or timezone.is_naive(value):
            raise InvalidInput(_("Give a date and time with its time zone."), field=field)
    if closes_at <= opens_at:
        raise InvalidInput(_("The call must close after it opens."), field="closes_at")
    max_amount = _money(max_amount, currency, "max_amount")
    min_amount = _money(min_amount or Money.zero(currency), currency, "min_amount")
    if min_amount.minor_units < 0:
        raise InvalidInput(_("The smallest grant cannot be negative."), field="min_amount")
    if max_amount.minor_units <= 0 or max_amount < min_amount:
        raise InvalidInput(
            _("The largest grant must be more than zero and at least the smallest."),
            field="max_amount",
        )
    call = Call.objects.create(
        programme=programme,
        title=title,
        text=_translations(text, "text", required=False),
        opens_at=opens_at,
        closes_at=closes_at,
        min_amount_minor=min_amount.minor_units,
        max_amount_minor=max_amount.minor_units,
        requires_partnership=requires_partnership,
    )
    call.goals.set(goals)
    changes = audit.created(call, CALL_FIELDS)
    changes["goals"] = [None, sorted(g.code for g in call.goals.all())]
    audit.record(actor=actor, action="grants.call.create", target=call, changes=changes)
    return call


def _move_call(*, actor, call: Call, new: str, action: str) -> Call:
    ensure(actor, "grants.manage_programme", call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    old = call.status
    states.move_call(call, new)
    call.save(update_fields=["status"])
    audit.record(actor=actor, action=action, target=call, changes={"status": [old, call.status]})
    return call


@transaction.atomic
def open_call(*, actor, call: Call) -> Call:
    return _move_call(actor=actor, call=call, new=Call.Status.OPEN, action="grants.call.open")


@transaction.atomic
def close_call(*, actor, call: Call) -> Call:
    return _move_call(actor=actor, call=call, new=Call.Status.CLOSED, action="grants.call.close")


# --- applications -----------------------------------------------------------------------


def _partner_rows(partners: Iterable[tuple[Municipality | Organisation, str]]) -> list[Partner]:
    rows, seen = [], set()
    for party, role in partners:
        if isinstance(party, Municipality):
            row = Partner(municipality=party, role=(role or "").strip())
        elif isinstance(party, Organisation):
            row = Partner(organisation=party, role=(role or "").strip())
        else:
            raise InvalidInput(
                _("A partner is a municipality or an organisation."), field="partners"
            )
        key = (type(party), party.pk)
        if key in seen:
            raise InvalidInput(
                _("%(partner)s is listed twice.") % {"partner": party}, field="partners"
            )
        seen.add(key)
        rows.append(row)
    return rows


@transaction.atomic
def create_application(
    *,
    actor,
    call: Call,
    title: str,
    requested: Money,
    budget_lines: Iterable[tuple[str, Money]],
    summary: str = "",
    lead_municipality: Municipality | None = None,
    lead_organisation: Organisation | None = None,
    partners: Iterable[tuple[Municipality | Organisation, str]] = (),
) -> Application:
    """A draft application led by one municipality or one organisation."""
    if (lead_municipality is None) == (lead_organisation is None):
        raise InvalidInput(
            _("Name one lead applicant: a municipality or an organisation."),
            field="lead_municipality" if lead_organisation is None else "lead_organisation",
        )
    application = Application(
        call=call,
        lead_municipality=lead_municipality,
        lead_organisation=lead_organisation,
        created_by=actor,
    )
    ensure(actor, "grants.apply", application, field="lead")
    if not (title or "").strip():
        raise InvalidInput(_("Give the project a title."), field="title")
    currency = call.programme.currency
    requested = _money(requested, currency, "requested")
    if requested.minor_units < 0:
        raise InvalidInput(_("The amount requested cannot be negative."), field="requested")
    lines = []
    for position, (label, amount) in enumerate(budget_lines):
        amount = _money(amount, currency, "budget_lines")
        if not (label or "").strip() or amount.minor_units <= 0:
            raise InvalidInput(
                _("Budget line %(n)s needs an item and an amount above zero.")
                % {"n": position + 1},
                field="budget_lines",
            )
        lines.append(
            BudgetLine(position=position, label=label.strip(), amount_minor=amount.minor_units)
        )
    partner_rows = _partner_rows(partners)
    application.title = title.strip()
    application.summary = (summary or "").strip()
    application.requested_minor = requested.minor_units
    application.save()
    for row in [*lines, *partner_rows]:
        row.application = application
    BudgetLine.objects.bulk_create(lines)
    Partner.objects.bulk_create(partner_rows)
    changes = audit.created(application, APPLICATION_FIELDS)
    changes["budget_lines"] = [None, [f"{line.label}: {line.amount_minor}" for line in lines]]
    changes["partners"] = [None, [str(p.party) for p in partner_rows]]
    audit.record(
        actor=actor, action="grants.application.create", target=application, changes=changes
    )
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme")
        .get(pk=application.pk)
    )


def _check_partnership(application: Application) -> None:
    """A member municipality and a civil-society organisation, as lead or partner."""
    partners = list(application.partners.all())
    municipality_ids = {p.municipality_id for p in partners if p.municipality_id}
    organisation_ids = {p.organisation_id for p in partners if p.organisation_id}
    if application.lead_municipality_id:
        municipality_ids.add(application.lead_municipality_id)
    if application.lead_organisation_id:
        organisation_ids.add(application.lead_organisation_id)
    has_member_city = Membership.objects.filter(
        status=Membership.Status.ACTIVE, municipality_id__in=municipality_ids
    ).exists()
    has_cso = Organisation.objects.filter(
        pk__in=organisation_ids, type=OrganisationType.CSO
    ).exists()
    if not (has_member_city and has_cso):
        raise PartnershipRequired(
            _(
                "This call funds partnerships: the application needs a member municipality and "
                "a civil-society organisation, as lead or partner."
            ),
            field="partners",
        )


@transaction.atomic
def submit_application(*, actor, application: Application) -> Application:
    """Submit a draft while the call is open, checked against the server's clock."""
    ensure(actor, "grants.apply", application)
    application = _locked(application)
    states.move_application(application, Application.Status.SUBMITTED)
    call = application.call
    now = _now()
    if call.status != Call.Status.OPEN or not (call.opens_at <= now < call.closes_at):
        raise CallNotOpen(_("The call is not open for applications."), field="call")
    if not call.min_amount_minor <= application.requested_minor <= call.max_amount_minor:
        currency = call.programme.currency
        raise RequestOutOfRange(
            _("This call grants from %(min)s to %(max)s.")
            % {
                "min": Money.from_minor(call.min_amount_minor, currency),
                "max": Money.from_minor(call.max_amount_minor, currency),
            },
            field="requested",
        )
    lines_total = selectors.budget_lines_minor(application)
    if lines_total != application.requested_minor:
        currency = call.programme.currency
        raise BudgetLinesMismatch(
            _("The budget lines add up to %(total)s, but the application asks for %(requested)s.")
            % {
                "total": Money.from_minor(lines_total, currency),
                "requested": Money.from_minor(application.requested_minor, currency),
            },
            field="budget_lines",
        )
    if call.requires_partnership:
        _check_partnership(application)
    application.submitted_at = now
    application.save(update_fields=["status", "submitted_at"])
    audit.record(
        actor=actor,
        action="grants.application.submit",
        target=application,
        changes={"status": [Application.Status.DRAFT, application.status]},
    )
    return application


@transaction.atomic
def withdraw_application(*, actor, application: Application) -> Application:
    ensure(actor, "grants.apply", application)
    application = _locked(application)
    old = application.status
    states.move_application(application, Application.Status.WITHDRAWN)
    application.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="grants.application.withdraw",
        target=application,
        changes={"status": [old, application.status]},
    )
    return application


# --- decisions --------------------------------------------------------------------------


@transaction.atomic
def award_grant(*, application: Application, amount: Money, conditions: str = "", actor) -> Award:
    """Award a submitted application; the programme's awards never exceed its budget."""
    ensure(actor, "grants.decide", application)
    programme = Programme.objects.select_for_update().get(pk=application.call.programme_id)
    application = _locked(application)
    states.move_application(application, Application.Status.AWARDED)
    amount = _money(amount, programme.currency, "amount")
    if amount.minor_units <= 0:
        raise InvalidInput(_("The award must be more than zero."), field="amount")
    if amount > application.requested:
        raise AwardOverRequest(
            _("The award %(amount)s is more than the %(requested)s asked for.")
            % {"amount": amount, "requested": application.requested},
            field="amount",
        )
    remaining = programme.budget - Money.from_minor(
        selectors.awarded_minor(programme), programme.currency
    )
    if amount > remaining:
        raise BudgetExceeded(
            _("The award %(amount)s is more than the %(remaining)s left in %(programme)s.")
            % {"amount": amount, "remaining": remaining, "programme": programme},
            field="amount",
        )
    now = _now()
    award = Award.objects.create(
        application=application,
        amount_minor=amount.minor_units,
        conditions=(conditions or "").strip(),
        decided_by=actor,
        decided_at=now,
    )
    application.decided_by = actor
    application.decided_at = now
    application.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="grants.award",
        target=award,
        changes={
            "amount": [None, str(amount)],
            "conditions": [None, award.conditions],
            "application": [Application.Status.SUBMITTED, application.status],
        },
    )
    return award


@transaction.atomic
def decline_application(*, application: Application, reason: str, actor) -> Application:
    ensure(actor, "grants.decide", application)
    if not (reason or "").strip():
        raise InvalidInput(_("Give the applicant a reason for declining."), field="reason")
    application = _locked(application)
    states.move_application(application, Application.Status.DECLINED)
    application.decided_by = actor
    application.decided_at = _now()
    application.decision_reason = reason.strip()
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        actor=actor,
        action="grants.application.decline",
        target=application,
        changes={
            "status": [Application.Status.SUBMITTED, application.status],
            "decision_reason": [None, application.decision_reason],
        },
    )
    return application


# --- payments ---------------------------------------------------------------------------


@transaction.atomic
def schedule_payment(*, award: Award, amount: Money, due_on: date, actor) -> Payment:
    """Schedule a payment; scheduled and paid payments never exceed the award."""
    ensure(actor, "grants.decide", award)
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("application__call__programme")
        .get(pk=award.pk)
    )
    amount = _money(amount, award.application.currency, "amount")
    if amount.minor_units <= 0:
        raise InvalidInput(_("A payment must be more than zero."), field="amount")
    if due_on is None:
        raise InvalidInput(_("Give the date the payment is due."), field="due_on")
    committed = Money.from_minor(selectors.committed_payments_minor(award), amount.currency)
    if committed + amount > award.amount:
        raise PaymentOverAward(
            _("Only %(left)s of the award %(award)s is left to pay.")
            % {"left": award.amount - committed, "award": award.amount},
            field="amount",
        )
    payment = Payment.objects.create(award=award, amount_minor=amount.minor_units, due_on=due_on)
    audit.record(
        actor=actor,
        action="grants.payment.schedule",
        target=payment,
        changes={"amount": [None, str(amount)], "due_on": [None, due_on.isoformat()]},
    )
    return payment


def _locked_payment(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=payment.pk)
    )


def _move_payment(*, payment: Payment, actor, new: str, date_field: str, day, action: str):
    ensure(actor, "grants.decide", payment.award)
    payment = _locked_payment(payment)
    old = payment.status
    states.move_payment(payment, new)
    setattr(payment, date_field, day or timezone.localdate())
    payment.save(update_fields=["status", date_field])
    audit.record(
        actor=actor,
        action=action,
        target=payment,
        changes={
            "status": [old, payment.status],
            date_field: [None, getattr(payment, date_field).isoformat()],
        },
    )
    return payment


@transaction.atomic
def mark_paid(*, payment: Payment, actor, paid_on: date | None = None) -> Payment:
    return _move_payment(
        payment=payment,
        actor=actor,
        new=Payment.Status.PAID,
        date_field="paid_on",
        day=paid_on,
        action="grants.payment.paid",
    )


@transaction.atomic
def return_payment(*, payment: Payment, actor, returned_on: date | None = None) -> Payment:
    """The recipient paid the money back: it no longer counts as paid, and may be paid again."""
    return _move_payment(
        payment=payment,
        actor=actor,
        new=Payment.Status.RETURNED,
        date_field="returned_on",
        day=returned_on,
        action="grants.payment.return",
    )
