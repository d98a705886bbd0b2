"""The ledger of each budget line of a programme: budget, awarded, paid and left."""

from __future__ import annotations

from datetime import date

from django.db.models import F, OuterRef, QuerySet, Sum

from safecities.core.money import Money

from ..models import Award, Payment, Programme, ProgrammeLine
from .ledger import NET_AWARDED, _column, _total


def line_awarded_minor(line: ProgrammeLine | int) -> int:
    """Minor units awarded through the calls that draw on `line`, less what closed grants gave
    back."""
    return _total(Award.objects.filter(application__call__line=line), NET_AWARDED)


def lines_with_sums(
    programme: Programme | int, *, until: date | None = None
) -> QuerySet[ProgrammeLine]:
    """The programme's lines in order, each with `awarded_sum` and `paid_sum` columns: one
    query, however many lines and awards. With `until`, of the grants decided and payments
    made before that day (a report's year), as `programme_ledger` counts them."""
    awards = Award.objects.filter(application__call__line=OuterRef("pk"))
    payments = Payment.objects.filter(
        award__application__call__line=OuterRef("pk"), status=Payment.Status.PAID
    )
    if until is not None:
        awards = awards.filter(decided_at__date__lt=until)
        payments = payments.filter(paid_on__lt=until)
    return ProgrammeLine.objects.filter(programme=programme).annotate(
        awarded_sum=_column(awards, "application__call__line", Sum(NET_AWARDED)),
        paid_sum=_column(payments, "award__application__call__line", Sum(F("amount_minor"))),
    )


def _row(line: ProgrammeLine, currency: str, *, awarded: int, paid: int) -> dict:
    return {
        "line": line,
        "budget": Money.from_minor(line.amount_minor, currency),
        "awarded": Money.from_minor(awarded, currency),
        "paid": Money.from_minor(paid, currency),
        "left": Money.from_minor(line.amount_minor - awarded, currency),
    }


def programme_lines(programme: Programme, *, until: date | None = None) -> list[dict]:
    """Each line of the programme with its ledger as Money (budget, awarded, paid, left), for
    the programme page and the reports (to `until`, as `lines_with_sums`); empty when the
    whole budget is one implicit pot."""
    return [
        _row(
            line,
            programme.currency,
            awarded=line.awarded_sum,  # type: ignore[attr-defined]  # annotated above
            paid=line.paid_sum,  # type: ignore[attr-defined]
        )
        for line in lines_with_sums(programme, until=until)
    ]


def lines_overview(programme: Programme, *, until: date | None = None) -> dict:
    """The lines with their ledgers (to `until`, as `lines_with_sums`), and what of the budget
    no line holds, which calls without a line draw on with the rest (one query)."""
    rows = programme_lines(programme, until=until)
    held = sum(row["line"].amount_minor for row in rows)
    currency = programme.currency
    return {
        "lines": rows,
        "allocated": Money.from_minor(held, currency),
        "unallocated": Money.from_minor(programme.budget_minor - held, currency),
    }


def line_ledger(line: ProgrammeLine) -> dict:
    """One line's budget, awarded, paid and left, summed from its calls' awards."""
    paid = _total(
        Payment.objects.filter(award__application__call__line=line, status=Payment.Status.PAID)
    )
    return _row(line, line.programme.currency, awarded=line_awarded_minor(line), paid=paid)


def unallocated_minor(programme: Programme, *, without: ProgrammeLine | None = None) -> int:
    """What of the programme's budget no line holds (leaving out `without`, a line being
    changed)."""
    lines = ProgrammeLine.objects.filter(programme=programme)
    if without is not None:
        lines = lines.exclude(pk=without.pk)
    return programme.budget_minor - _total(lines)


def grantable_lines(programme: Programme | int) -> QuerySet[ProgrammeLine]:
    """The pots a call of the programme may draw on."""
    return ProgrammeLine.objects.filter(programme=programme, kind=ProgrammeLine.Kind.POT)
