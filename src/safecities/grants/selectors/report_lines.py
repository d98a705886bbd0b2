"""What the reports say per approved budget line and per indicator the application named.

A line's approved amount is `BudgetLine.approved_minor`, set by the grant agreement; before
there is one it is the amount the application asked for (`approved_is_requested` says so).
Spending counts the reports the grantee submitted (submitted or accepted). Each read is a
fixed number of queries, whatever the number of lines, reports or indicators."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from safecities.core.money import Money
from safecities.indicators import selectors as indicator_selectors
from safecities.indicators.models import Indicator

from .. import states
from ..models import Award, BudgetLine, GrantReport, ReportResult, ReportSpend

COUNTED = states.REPORTED


@dataclass
class LineSpending:
    """One approved budget line: what was approved, what the counted reports spent on it (and,
    for one report's form, what earlier reports spent and what this one says)."""

    line: BudgetLine
    approved: Money
    approved_is_requested: bool
    spent: Money
    this_report: Money | None = None

    @property
    def left(self) -> Money:
        return self.approved - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.approved


def _approved_minor(line: BudgetLine) -> int:
    return line.approved_minor if line.approved_minor is not None else line.amount_minor


def line_spending(award: Award, *, report: GrantReport | None = None) -> list[LineSpending]:
    """The award's budget lines with their spending. With `report`: `spent` is what the other
    counted reports spent, and `this_report` what `report` says (None where it says nothing).
    Two queries."""
    application = award.application
    currency = application.currency
    counted = Q(spends__report__award=award, spends__report__status__in=COUNTED)
    if report is not None:
        counted &= ~Q(spends__report=report)
    # In the application's order: a query with an aggregate does not take the model's ordering.
    lines = (
        BudgetLine.objects.filter(application_id=application.pk)
        .annotate(spent_sum=Sum("spends__spent_minor", filter=counted))
        .order_by("position", "pk")
    )
    this = {}
    if report is not None:
        this = dict(
            ReportSpend.objects.filter(report=report).values_list("budget_line_id", "spent_minor")
        )
    return [
        LineSpending(
            line=line,
            approved=Money.from_minor(_approved_minor(line), currency),
            approved_is_requested=line.approved_minor is None,
            spent=Money.from_minor(line.spent_sum or 0, currency),
            this_report=(Money.from_minor(this[line.pk], currency) if line.pk in this else None),
        )
        for line in lines
    ]


@dataclass
class IndicatorResult:
    """One indicator the application named: what a report says was reached, and the lead
    city's baseline and latest observation beside it (None where the indicators app has none
    or the lead is an organisation)."""

    indicator: Indicator
    value: Decimal | None = None
    note: str = ""
    baseline: object = None  # indicators' Reading
    latest: object = None


def _readings(award: Award, indicators: list[Indicator]) -> dict[int, tuple]:
    city = award.application.lead_municipality
    if city is None or not indicators:
        return {}
    changes = indicator_selectors.changes_for([(i, city) for i in indicators])
    return {
        i.pk: (changes[(i.pk, city.pk)].baseline, changes[(i.pk, city.pk)].latest)
        for i in indicators
    }


def report_results(report: GrantReport) -> list[IndicatorResult]:
    """Per indicator the application named, what `report` says (empty before it is written),
    with the lead city's baseline and latest value."""
    award = report.award
    indicators = list(award.application.indicators.order_by("code"))
    said = {r.indicator_id: r for r in ReportResult.objects.filter(report=report)}
    readings = _readings(award, indicators)
    out = []
    for indicator in indicators:
        result = said.get(indicator.pk)
        baseline, latest = readings.get(indicator.pk, (None, None))
        out.append(
            IndicatorResult(
                indicator=indicator,
                value=result.value if result else None,
                note=result.note if result else "",
                baseline=baseline,
                latest=latest,
            )
        )
    return out


def award_results(award: Award) -> list[dict]:
    """Per indicator the application named, what each counted report says, oldest report
    first, with the lead city's baseline and latest value. Three queries and the indicators'."""
    indicators = list(award.application.indicators.order_by("code"))
    said: dict[int, list[ReportResult]] = {}
    for result in (
        ReportResult.objects.filter(report__award=award, report__status__in=COUNTED)
        .select_related("report")
        .order_by("report__due_on", "report_id")
    ):
        said.setdefault(result.indicator_id, []).append(result)
    readings = _readings(award, indicators)
    return [
        {
            "indicator": indicator,
            "results": said.get(indicator.pk, []),
            "baseline": readings.get(indicator.pk, (None, None))[0],
            "latest": readings.get(indicator.pk, (None, None))[1],
        }
        for indicator in indicators
    ]
