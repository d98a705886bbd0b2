"""Reads of grant agreements: the agreement with its award, approved budget and reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from safecities.core.money import Money

from ..models import Agreement, BudgetLine, GrantReport
from .applications import _application_related, _partners
from .ledger import _one


@dataclass(frozen=True)
class ApprovedLine:
    """One budget line of the agreement: what was asked for and what is approved (None: not
    set yet)."""

    pk: int
    label: str
    requested: Money
    approved: Money | None


def agreement_detail(award_pk: int) -> Agreement:
    """The agreement of the award `award_pk`, with the award's application, its parties and
    partners, budget lines and reports, or a 404."""
    return _one(
        _application_related(Agreement.objects, "award__application__")
        .select_related("accepted_by", "sent_by")
        .prefetch_related(
            _partners("award__application__partners"),
            Prefetch(
                "award__application__budget_lines",
                queryset=BudgetLine.objects.order_by("position", "id"),
            ),
            Prefetch("award__reports", queryset=GrantReport.objects.order_by("due_on", "id")),
        ),
        _("No grant agreement for this award."),
        award_id=award_pk,
    )


def approved_lines(agreement: Agreement) -> list[ApprovedLine]:
    """The budget lines of `agreement` (prefetched by `agreement_detail`), requested against
    approved."""
    currency = agreement.award.application.currency
    return [
        ApprovedLine(
            pk=line.pk,
            label=line.label,
            requested=Money.from_minor(line.amount_minor, currency),
            approved=None
            if line.approved_minor is None
            else Money.from_minor(line.approved_minor, currency),
        )
        for line in agreement.award.application.budget_lines.all()
    ]


def approved_totals(lines: list[ApprovedLine], *, currency: str) -> dict[str, Money]:
    """The requested and approved sums of `lines` (a line not approved yet counts 0)."""
    zero = Money.zero(currency)
    return {
        "requested": sum((line.requested for line in lines), zero),
        "approved": sum((line.approved for line in lines if line.approved is not None), zero),
    }
