"""The ledger: budgets, awards and payments, from the programme's kept totals or, for a past
day, summed from their rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    F,
    IntegerField,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.http import Http404

from safecities.core.money import Money

from ..models import (
    Application,
    Award,
    BudgetLine,
    Payment,
    Programme,
)


def _one(queryset: QuerySet[Any], not_found: str = "", **lookup: Any) -> Any:
    """The one row of `queryset` that matches `lookup`, or a 404 that says `not_found`."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(not_found) from exc


def _total(queryset: QuerySet[Any], field: str | Combinable = "amount_minor") -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), Value(0)))["total"]


def _column(
    rows: QuerySet[Any], of: str, aggregate: Any, *, default: int | None = 0
) -> Subquery | Coalesce:
    """`aggregate` of `rows` as a column of the outer query: the caller filters `rows` on their
    field `of` being `OuterRef("pk")`, and they are grouped by it. `default` where there are
    none (None leaves NULL)."""
    subquery = Subquery(
        rows.order_by().values(of).annotate(total=aggregate).values("total")[:1],
        output_field=IntegerField(),
    )
    return subquery if default is None else Coalesce(subquery, Value(default))


# What an award counts for in the ledger: its amount less what a closed grant gave back.
NET_AWARDED = F("amount_minor") - F("released_minor")


def awarded_minor(programme: Programme | int) -> int:
    """Minor units awarded from the programme so far, less what closed grants gave back."""
    return _total(Award.objects.filter(application__call__programme=programme), NET_AWARDED)


def committed_payments_minor(award: Award | int) -> int:
    """Minor units of the award's payments that are scheduled or paid."""
    return _total(
        Payment.objects.filter(
            award=award, status__in=[Payment.Status.SCHEDULED, Payment.Status.PAID]
        )
    )


def paid_minor(award: Award | int) -> int:
    return _total(Payment.objects.filter(award=award, status=Payment.Status.PAID))


def budget_lines_minor(application: Application | int) -> int:
    return _total(BudgetLine.objects.filter(application=application))


def _ledger(programme: Programme, *, awarded: int, paid: int) -> dict[str, Money]:
    currency = programme.currency
    return {
        "budget": Money.from_minor(programme.budget_minor, currency),
        "awarded": Money.from_minor(awarded, currency),
        "paid": Money.from_minor(paid, currency),
        "remaining": Money.from_minor(programme.budget_minor - awarded, currency),
    }


def programme_ledger(programme: Programme, *, until: date | None = None) -> dict[str, Money]:
    """Budget, awarded, paid and remaining (= budget − awarded) of a programme, as Money;
    with `until`, of the grants decided and payments made before that day (a report's year).

    A returned payment counts as neither paid nor committed: its money is back with the award.
    A closed grant's unpaid rest is released: it no longer counts as awarded.

    Without `until`, the programme's kept totals (`Programme.awarded_minor`, `paid_minor`, kept
    true by the services that award, close and pay), read afresh by key: one small query.
    """
    if until is None:
        awarded, paid = Programme.objects.values_list("awarded_minor", "paid_minor").get(
            pk=programme.pk
        )
        return _ledger(programme, awarded=awarded, paid=paid)
    awards = Award.objects.filter(application__call__programme=programme)
    payments = Payment.objects.filter(
        award__application__call__programme=programme, status=Payment.Status.PAID
    )
    if until is not None:
        awards = awards.filter(decided_at__date__lt=until)
        payments = payments.filter(paid_on__lt=until)
    return _ledger(programme, awarded=_total(awards, NET_AWARDED), paid=_total(payments))


def ledger_from_columns(programme: Programme) -> dict[str, Money]:
    """`programme_ledger` of a programme from `programmes()`, read from the columns that
    selector adds (`awarded_sum`, `paid_sum`): no further query."""
    awarded: int = programme.awarded_sum  # type: ignore[attr-defined]  # a `programmes()` column
    paid: int = programme.paid_sum  # type: ignore[attr-defined]  # a `programmes()` column
    return _ledger(programme, awarded=awarded, paid=paid)
