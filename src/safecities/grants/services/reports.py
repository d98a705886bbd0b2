"""Grantees' reports, accepting them, closing a grant, and the reminders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.core.permissions import ensure

from .. import notifications, selectors, states
from ..errors import (
    NotEditable,
)
from ..models import (
    Award,
    GrantReport,
    Payment,
    Programme,
    ReportResult,
    ReportSpend,
)
from ._shared import _money, _now, log
from .payments import _locked_award
from .sums import refresh_awarded, refresh_programme_totals

if TYPE_CHECKING:
    from safecities.core.models import User

# --- reports from grantees and closing a grant ------------------------------------------


def _clean_links(links: Iterable[Mapping]) -> list[dict]:
    cleaned, check_url = [], URLValidator(schemes=["http", "https"])
    for n, link in enumerate(links, start=1):
        title = str(link.get("title") or "").strip()
        url = str(link.get("url") or "").strip()
        if not title and not url:
            continue
        try:
            check_url(url)
        except ValidationError as exc:
            raise InvalidInput(
                _("Link %(n)s: give a web address starting with https://.") % {"n": n},
                field="links",
            ) from exc
        cleaned.append({"title": title or url, "url": url})
    return cleaned


def _spend_rows(
    award: Award, report: GrantReport, spends: Mapping[int, Money], currency: str
) -> tuple[list[ReportSpend], Money]:
    """The report's spending per approved line, checked: each line the award's, none negative,
    none past what is left of its approved amount. The error names the line."""
    lines = {row.line.pk: row for row in selectors.line_spending(award, report=report)}
    rows, total = [], 0
    for line_id, amount in spends.items():
        row = lines.get(int(line_id))
        if row is None:
            raise InvalidInput(_("That budget line is not this grant's."), field="spends")
        field = f"spend_{row.line.pk}"
        amount = _money(amount or Money.zero(currency), currency, field)
        if amount.minor_units < 0:
            raise InvalidInput(
                _("%(line)s: money spent cannot be negative.") % {"line": row.line.label},
                field=field,
            )
        if row.spent + amount > row.approved:
            raise InvalidInput(
                _(
                    "%(line)s: %(amount)s would pass the line's approved %(approved)s; "
                    "%(left)s is left on it."
                )
                % {
                    "line": row.line.label,
                    "amount": amount,
                    "approved": row.approved,
                    "left": row.left,
                },
                field=field,
            )
        rows.append(
            ReportSpend(report=report, budget_line=row.line, spent_minor=amount.minor_units)
        )
        total += amount.minor_units
    return rows, Money.from_minor(total, currency)


def _result_rows(
    award: Award, report: GrantReport, results: Mapping[int, tuple[Decimal | None, str]]
) -> list[ReportResult]:
    named = {i.pk: i for i in award.application.indicators.all()}
    rows = []
    for indicator_id, (value, note) in results.items():
        indicator = named.get(int(indicator_id))
        if indicator is None:
            raise InvalidInput(
                _("The application did not name that indicator."), field="indicator_results"
            )
        note = (note or "").strip()
        if value is None and not note:
            continue
        rows.append(ReportResult(report=report, indicator=indicator, value=value, note=note))
    return rows


def _store_rows(
    report: GrantReport,
    spend_rows: list[ReportSpend] | None,
    result_rows: list[ReportResult] | None,
    changes: dict,
) -> None:
    """Replace the report's spending per line and results per indicator (None: leave them)."""
    if spend_rows is not None:
        ReportSpend.objects.filter(report=report).delete()
        ReportSpend.objects.bulk_create(spend_rows)
        changes["spends"] = [None, {str(r.budget_line_id): r.spent_minor for r in spend_rows}]
    if result_rows is not None:
        ReportResult.objects.filter(report=report).delete()
        ReportResult.objects.bulk_create(result_rows)
        if result_rows:
            changes["indicator_results"] = [
                None,
                {
                    str(r.indicator_id): [None if r.value is None else str(r.value), r.note]
                    for r in result_rows
                },
            ]


@transaction.atomic
def submit_report(
    *,
    actor: User,
    report: GrantReport,
    narrative: str,
    results: str,
    spent: Money | None = None,
    links: Iterable[Mapping] = (),
    spends: Mapping[int, Money] | None = None,
    indicator_results: Mapping[int, tuple[Decimal | None, str]] | None = None,
) -> GrantReport:
    """The lead reports what was done, what came of it and what was spent (its confirmed
    partners may have written it with `save_report`; only the lead submits).

    `spends` maps each approved budget line's id to what this report spent on it; the report's
    `spent` is then their sum (a line left out spent nothing). A line's spending, with what
    earlier reports spent on it, may not pass its approved amount. Without budget lines, `spent`
    is given whole. `indicator_results` maps each indicator the application named to the value
    reached (or None) and a comment."""
    ensure(actor, "grants.submit_report", report)
    report = (
        GrantReport.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=report.pk)
    )
    award = report.award
    states.REPORT.move(report, GrantReport.Status.SUBMITTED)
    if not (narrative or "").strip():
        raise InvalidInput(_("Describe what the project did."), field="narrative")
    currency = award.application.currency
    spend_rows = None
    if spends is not None:
        spend_rows, spent = _spend_rows(award, report, spends, currency)
    elif spent is None:
        raise InvalidInput(_("Say how much of the grant was spent."), field="spent")
    spent = _money(spent, currency, "spent")
    result_rows = (
        None if indicator_results is None else _result_rows(award, report, indicator_results)
    )
    if spent.minor_units < 0:
        raise InvalidInput(_("Money spent cannot be negative."), field="spent")
    if spent > award.amount:
        raise InvalidInput(
            _("Money spent from the grant cannot be more than the award, %(award)s.")
            % {"award": award.amount},
            field="spent",
        )
    report.narrative = narrative.strip()
    report.results = (results or "").strip()
    report.spent_minor = spent.minor_units
    report.links = _clean_links(links)
    report.submitted_at = _now()
    report.submitted_by = actor
    report.save()
    changes = {
        "status": [GrantReport.Status.DUE, report.status],
        "spent": [None, str(spent)],
    }
    _store_rows(report, spend_rows, result_rows, changes)
    audit.record(actor=actor, action="grants.report.submit", target=report, changes=changes)
    outbox.owe("grants.report_submitted", report.pk)
    return report


@transaction.atomic
def save_report(
    *,
    actor: User,
    report: GrantReport,
    narrative: str,
    results: str,
    spent: Money | None,
    links: Iterable[Mapping] = (),
    spends: Mapping[int, Money] | None = None,
    indicator_results: Mapping[int, tuple[Decimal | None, str]] | None = None,
) -> GrantReport:
    """Save a due report without submitting it: the lead and its confirmed partners write it
    together (`grants.write_report`); it may be incomplete until the lead submits it. Spending
    per line and results per indicator are checked and kept as `submit_report` does."""
    ensure(actor, "grants.write_report", report)
    report = (
        GrantReport.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=report.pk)
    )
    if not report.is_due:
        raise NotEditable(
            _("The report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()},
            field="status",
        )
    award = report.award
    currency = award.application.currency
    spend_rows = result_rows = None
    if spends is not None:
        spend_rows, spent = _spend_rows(award, report, spends, currency)
    if indicator_results is not None:
        result_rows = _result_rows(award, report, indicator_results)
    spent_minor = None
    if spent is not None:
        spent = _money(spent, award.application.currency, "spent")
        if spent.minor_units < 0:
            raise InvalidInput(_("Money spent cannot be negative."), field="spent")
        if spent > award.amount:
            raise InvalidInput(
                _("Money spent from the grant cannot be more than the award, %(award)s.")
                % {"award": award.amount},
                field="spent",
            )
        spent_minor = spent.minor_units
    fields = ["narrative", "results", "spent_minor", "links"]
    before = audit.snapshot(report, fields)
    report.narrative = (narrative or "").strip()
    report.results = (results or "").strip()
    report.spent_minor = spent_minor
    report.links = _clean_links(links)
    changes = audit.changes_between(before, audit.snapshot(report, fields))
    _store_rows(report, spend_rows, result_rows, changes)
    if changes:
        report.save(update_fields=fields)
        audit.record(actor=actor, action="grants.report.save", target=report, changes=changes)
    return report


@transaction.atomic
def accept_report(*, actor: User, report: GrantReport) -> GrantReport:
    ensure(actor, "grants.decide", report)
    report = GrantReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    states.REPORT.move(report, GrantReport.Status.ACCEPTED)
    report.accepted_at = _now()
    report.save(update_fields=["status", "accepted_at"])
    audit.record(
        actor=actor,
        action="grants.report.accept",
        target=report,
        changes={"status": [GrantReport.Status.SUBMITTED, report.status]},
    )
    return report


@transaction.atomic
def close_award(*, actor: User, award: Award) -> Award:
    """Close a grant after its final report: money not paid out goes back to the programme."""
    ensure(actor, "grants.decide", award)
    Programme.objects.select_for_update().get(pk=award.application.call.programme_id)
    award = _locked_award(award)
    if award.closed_at:
        raise NotEditable(_("The grant is already closed."), field="status")
    if not award.reports.filter(
        kind=GrantReport.Kind.FINAL, status=GrantReport.Status.ACCEPTED
    ).exists():
        raise InvalidInput(_("Accept the final report before closing the grant."), field="reports")
    if award.payments.filter(status=Payment.Status.SCHEDULED).exists():
        raise InvalidInput(
            _("Pay or cancel the scheduled payments before closing the grant."), field="payments"
        )
    paid = selectors.paid_minor(award)
    award.released_minor = award.amount_minor - paid
    award.closed_at = _now()
    award.save(update_fields=["released_minor", "closed_at"])
    of_programme = Programme.objects.filter(pk=award.application.call.programme_id)
    refresh_programme_totals(of_programme)
    refresh_awarded(of_programme)
    audit.record(
        actor=actor,
        action="grants.award.close",
        target=award,
        changes={"released": [None, award.released.record_text]},
    )
    return award


@dataclass
class Reminders:
    """What a run of report reminders did: how many went out, and one line per reminder whose
    mail failed (it stays due and goes with the next run)."""

    sent: int = 0
    failed: list[str] = dataclass_field(default_factory=list)


def send_report_reminders(*, actor: User | None = None, today: date | None = None) -> Reminders:
    """Remind grantees of reports due within two weeks or overdue, at most once a week each.

    Run daily (`safecities remindreports`). A reminder is marked sent (`reminded_at`, audited)
    only after its mail went out, one report at a time and no transaction held while mailing:
    when the mail server fails, that report stays due for the next run and the others still go.
    """
    today = today or timezone.localdate()
    now = _now()
    done = Reminders()
    for report in selectors.reports_to_remind(today=today, now=now):
        try:
            notifications.report_reminder(report.pk)
        except Exception as exc:  # the mail server or the network: the reminder stays owed
            line = _(
                "Reminder for %(report)s (report %(id)s, due %(due)s) to %(to)s not sent: %(error)s"
            ) % {
                "report": report,
                "id": report.pk,
                "due": report.due_on.isoformat(),
                "to": ", ".join(notifications.addresses(notifications.reminded(report))) or "-",
                "error": outbox.one_line(exc),
            }
            log.debug(line, exc_info=True)  # the command prints the line itself
            done.failed.append(line)
            continue
        _mark_reminded(report.pk, at=now, actor=actor)
        done.sent += 1
    return done


@transaction.atomic
def _mark_reminded(report_id: int, *, at: datetime, actor: User | None) -> None:
    report = GrantReport.objects.select_for_update(of=("self",)).get(pk=report_id)
    before = report.reminded_at
    report.reminded_at = at
    report.save(update_fields=["reminded_at"])
    audit.record(
        actor=actor,
        action="grants.report.remind",
        target=report,
        changes={"reminded_at": [before and before.isoformat(), at.isoformat()]},
    )
