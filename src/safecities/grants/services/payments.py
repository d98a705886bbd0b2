"""Payments: scheduling, paying, returning and cancelling tranches of an award."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.core.permissions import ensure
from safecities.core.states import move_recorded

from .. import selectors, states
from ..errors import (
    AgreementNotAccepted,
    NotEditable,
    PaymentOverAward,
)
from ..models import (
    Award,
    Payment,
    Programme,
)
from ._shared import _money
from .sums import refresh_programme_totals

if TYPE_CHECKING:
    from safecities.core.models import User

# --- payments ---------------------------------------------------------------------------


@transaction.atomic
def schedule_payment(
    *, award: Award, amount: Money, due_on: date, actor: User, label: str = ""
) -> Payment:
    """Schedule a payment; scheduled and paid payments never exceed the award."""
    ensure(actor, "grants.decide", award)
    award = _locked_award(award)
    if award.closed_at:
        raise NotEditable(_("The grant is closed: no more payments."), field="amount")
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
    payment = Payment.objects.create(
        award=award, amount_minor=amount.minor_units, due_on=due_on, label=(label or "").strip()
    )
    audit.record(
        actor=actor,
        action="grants.payment.schedule",
        target=payment,
        changes={"amount": [None, amount.record_text], "due_on": [None, due_on.isoformat()]},
    )
    return payment


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("application__call__programme")
        .get(pk=award.pk)
    )


def _locked_payment(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=payment.pk)
    )


def _move_payment(
    *, payment: Payment, actor: User, new: str, date_field: str, day: date | None, action: str
) -> Payment:
    ensure(actor, "grants.decide", payment.award)
    # The programme first, as awarding and closing lock it: its paid total is recomputed below.
    programme = Programme.objects.select_for_update(of=("self",)).filter(
        calls__applications__award__payments=payment.pk
    )
    list(programme)
    payment = _locked_payment(payment)
    old = payment.status
    states.PAYMENT.move(payment, new)
    setattr(payment, date_field, day or timezone.localdate())
    payment.save(update_fields=["status", date_field])
    refresh_programme_totals(
        Programme.objects.filter(pk=payment.award.application.call.programme_id)
    )
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
def mark_paid(*, payment: Payment, actor: User, paid_on: date | None = None) -> Payment:
    """Record the payment as paid: only once the grantee accepted the grant agreement."""
    ensure(actor, "grants.decide", payment.award)
    if not states.payable(Award.objects.select_related("agreement").get(pk=payment.award_id)):
        raise AgreementNotAccepted(
            _(
                "The grant agreement is not accepted yet: a payment is marked paid once the "
                "grantee has accepted it."
            ),
            field="paid_on",
        )
    return _move_payment(
        payment=payment,
        actor=actor,
        new=Payment.Status.PAID,
        date_field="paid_on",
        day=paid_on,
        action="grants.payment.paid",
    )


@transaction.atomic
def return_payment(*, payment: Payment, actor: User, returned_on: date | None = None) -> Payment:
    """The recipient paid the money back: it no longer counts as paid, and may be paid again."""
    return _move_payment(
        payment=payment,
        actor=actor,
        new=Payment.Status.RETURNED,
        date_field="returned_on",
        day=returned_on,
        action="grants.payment.return",
    )


@transaction.atomic
def cancel_payment(*, payment: Payment, actor: User) -> Payment:
    """Cancel a scheduled payment: its money is again free to schedule, or to release."""
    ensure(actor, "grants.decide", payment.award)
    payment = _locked_payment(payment)
    move_recorded(
        payment,
        workflow=states.PAYMENT,
        to=Payment.Status.CANCELLED,
        actor=actor,
        action="grants.payment.cancel",
    )
    return payment
