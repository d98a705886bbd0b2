"""Reads of change requests: an award's requests, the one waiting for a decision, and each
approved budget line before and after a reallocation, beside what the reports say was spent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _

from safecities.core.money import Money

from .. import states
from ..models import Award, BudgetLine, ChangeRequest, ReportSpend
from .applications import _application_related
from .ledger import _one


def change_requests(award: Award) -> list[ChangeRequest]:
    """The award's change requests, newest first, in one query."""
    return list(award.change_requests.select_related("requested_by", "decided_by"))


def open_change(award: Award) -> ChangeRequest | None:
    """The award's change request that waits for the programme's decision, if any."""
    return award.change_requests.filter(status__in=states.OPEN_CHANGE).first()


def change_detail(pk: int) -> ChangeRequest:
    """A change request with its award and the award's application parties, or a 404."""
    return _one(
        _application_related(ChangeRequest.objects, "award__application__").select_related(
            "requested_by", "decided_by"
        ),
        _("No such change request."),
        pk=pk,
    )


def approved_budget_lines(award: Award) -> list[BudgetLine]:
    """The budget lines the agreement approved (those with an approved amount), in order."""
    return list(
        BudgetLine.objects.filter(application_id=award.application_id, approved_minor__isnull=False)
    )


def reported_spent(award: Award) -> dict[int, int]:
    """Per budget line of the award, the minor units its reports say were spent on it (each
    report gives what was spent in its own period, so they add up)."""
    rows = (
        ReportSpend.objects.filter(report__award_id=award.pk, report__status__in=states.REPORTED)
        .values("budget_line_id")
        .annotate(spent_sum=Sum("spent_minor"))
    )
    return {row["budget_line_id"]: row["spent_sum"] or 0 for row in rows}


@dataclass(frozen=True)
class LineChange:
    """One approved budget line: its present approved amount, the amount a reallocation asks
    for (the present one when the request leaves it alone), and what was spent on it."""

    line: BudgetLine
    before: Money
    after: Money
    spent: Money

    @property
    def changed(self) -> bool:
        return self.before != self.after


def line_changes(
    change: ChangeRequest | None, *, lines: list[BudgetLine], spent: dict[int, int], currency: str
) -> list[LineChange]:
    """Each of `lines` before and after `change` (none: as they stand)."""
    asked = (change.lines or {}) if change is not None else {}
    rows = []
    for line in lines:
        before = line.approved_minor or 0
        after = asked.get(str(line.pk), before)
        rows.append(
            LineChange(
                line=line,
                before=Money.from_minor(before, currency),
                after=Money.from_minor(int(after), currency),
                spent=Money.from_minor(spent.get(line.pk, 0), currency),
            )
        )
    return rows
