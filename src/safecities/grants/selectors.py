"""Reads of grants: the ledger is summed from the rows, never stored."""

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce

from safecities.core.money import Money

from .models import Application, Award, BudgetLine, Payment, Programme


def _total(queryset, field: str = "amount_minor") -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), Value(0)))["total"]


def awarded_minor(programme: Programme | int) -> int:
    """Minor units awarded from the programme so far."""
    return _total(Award.objects.filter(application__call__programme=programme))


def committed_payments_minor(award: Award | int) -> int:
    """Minor units of the award's payments that are scheduled or paid (not returned)."""
    return _total(Payment.objects.filter(award=award).exclude(status=Payment.Status.RETURNED))


def budget_lines_minor(application: Application | int) -> int:
    return _total(BudgetLine.objects.filter(application=application))


def programme_ledger(programme: Programme) -> dict[str, Money]:
    """Budget, awarded, paid and remaining (= budget − awarded) of a programme, as Money.

    A returned payment counts as neither paid nor committed: its money is back with the award.
    """
    currency = programme.currency
    awarded = awarded_minor(programme)
    paid = _total(
        Payment.objects.filter(
            award__application__call__programme=programme, status=Payment.Status.PAID
        )
    )
    return {
        "budget": Money.from_minor(programme.budget_minor, currency),
        "awarded": Money.from_minor(awarded, currency),
        "paid": Money.from_minor(paid, currency),
        "remaining": Money.from_minor(programme.budget_minor - awarded, currency),
    }
