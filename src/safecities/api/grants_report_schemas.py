"""The grants API's report detail: what a grantee's report says, per approved budget line and
per indicator the application named."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from safecities.grants import selectors
from safecities.grants.models import GrantReport


class ReportSpendOut(Schema):
    budget_line: int
    label: str
    approved: str = Field(
        description="The line's approved amount; the amount asked for while there is no "
        "agreement (then `approved_is_requested` is true)."
    )
    approved_is_requested: bool
    spent_in_other_reports: str
    spent: str | None = Field(description="What this report says was spent on the line.")


class ReportResultOut(Schema):
    indicator: str = Field(description="The indicator's code.")
    value: str | None
    comment: str


class ReportOut(Schema):
    id: int
    award: int
    kind: str
    status: str
    due_on: date
    submitted_at: datetime | None
    narrative: str
    results: str
    currency: str
    spent: str | None
    spends: list[ReportSpendOut]
    indicator_results: list[ReportResultOut]


def _amount(money) -> str | None:
    return None if money is None else str(money.amount)


def report_out(report: GrantReport) -> dict:
    """The report as `ReportOut` reads it: a fixed number of queries."""
    award = report.award
    return {
        "id": report.pk,
        "award": award.pk,
        "kind": report.kind,
        "status": report.status,
        "due_on": report.due_on,
        "submitted_at": report.submitted_at,
        "narrative": report.narrative,
        "results": report.results,
        "currency": award.application.currency,
        "spent": _amount(report.spent),
        "spends": [
            {
                "budget_line": row.line.pk,
                "label": row.line.label,
                "approved": _amount(row.approved),
                "approved_is_requested": row.approved_is_requested,
                "spent_in_other_reports": _amount(row.spent),
                "spent": _amount(row.this_report),
            }
            for row in selectors.line_spending(award, report=report)
        ],
        "indicator_results": [
            {
                "indicator": r.indicator.code,
                "value": None if r.value is None else format(r.value.normalize(), "f"),
                "comment": r.note,
            }
            for r in selectors.report_results(report)
        ],
    }
