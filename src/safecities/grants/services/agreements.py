"""The grant agreement: drafted when a grant is awarded, edited and sent by the programme,
accepted by the grantee's lead. Payments are marked paid only once it is accepted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.core.permissions import ensure

from .. import states
from ..errors import ApprovedBudgetMismatch, NotEditable
from ..models import Agreement, Award, BudgetLine, GrantReport
from ._shared import _money, _now

if TYPE_CHECKING:
    from safecities.core.models import User

# (report id or None for a new one, kind, due date or None to remove an interim report)
ReportRow = tuple[int | None, str, date | None]


def draft_agreement(award: Award) -> Agreement:
    """The draft agreement of a new award, in the award's transaction (called by `award_grant`,
    audited with it): each budget line is approved as asked when the lines add up to the
    award; otherwise the programme sets the approved amounts."""
    lines = list(BudgetLine.objects.filter(application_id=award.application_id))
    if lines and sum(line.amount_minor for line in lines) == award.amount_minor:
        for line in lines:
            line.approved_minor = line.amount_minor
        BudgetLine.objects.bulk_update(lines, ["approved_minor"])
    return Agreement.objects.create(award=award)


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=agreement.pk)
    )


def _ensure_editable(agreement: Agreement) -> None:
    if not states.agreement_editable(agreement):
        raise NotEditable(
            _("The agreement is %(status)s: take it back to draft to change it.")
            % {"status": agreement.get_status_display().lower()}
            if states.AGREEMENT.may_move(agreement, Agreement.Status.DRAFT)
            else _("The agreement is accepted: it changes only through a change request."),
            field="terms",
        )


def _line_name(n: int, line: BudgetLine) -> str:
    return _("Budget line %(n)d (“%(label)s”)") % {"n": n, "label": line.label}


def _approve(award: Award, approved: Mapping[int, Money | None]) -> list[BudgetLine]:
    """The application's budget lines with `approved_minor` set from `approved` (line id →
    amount), each checked; the sum is checked by `_ensure_sum`. Nothing is saved here."""
    currency = award.application.currency
    lines = list(BudgetLine.objects.filter(application_id=award.application_id))
    known = {line.pk for line in lines}
    unknown = sorted(set(approved) - known)
    if unknown:
        raise InvalidInput(
            _("The budget line %(id)s is not one of this application's.") % {"id": unknown[0]},
            field="approved",
        )
    for n, line in enumerate(lines, start=1):
        field = f"approved_{line.pk}"
        value = approved.get(line.pk)
        if value is None:
            raise InvalidInput(
                _("%(line)s: give the approved amount (0 if nothing is approved for it).")
                % {"line": _line_name(n, line)},
                field=field,
            )
        value = _money(value, currency, field)
        if value.minor_units < 0:
            raise InvalidInput(
                _("%(line)s: the approved amount cannot be negative.")
                % {"line": _line_name(n, line)},
                field=field,
            )
        if value.minor_units > award.amount_minor:
            raise InvalidInput(
                _("%(line)s: %(amount)s is more than the whole award, %(award)s.")
                % {"line": _line_name(n, line), "amount": value, "award": award.amount},
                field=field,
            )
        line.approved_minor = value.minor_units
    return lines


def _ensure_sum(award: Award, lines: Sequence[BudgetLine]) -> None:
    """The approved budget adds up to the award (an application with no budget lines has the
    award as its one approved sum)."""
    if not lines:
        return
    missing = [n for n, line in enumerate(lines, start=1) if line.approved_minor is None]
    if missing:
        raise ApprovedBudgetMismatch(
            _("%(line)s has no approved amount yet.")
            % {"line": _line_name(missing[0], lines[missing[0] - 1])},
            field=f"approved_{lines[missing[0] - 1].pk}",
        )
    total = sum(line.approved_minor or 0 for line in lines)
    if total != award.amount_minor:
        currency = award.application.currency
        raise ApprovedBudgetMismatch(
            _(
                "The approved budget lines add up to %(total)s, but the award is %(award)s: "
                "the difference is %(difference)s."
            )
            % {
                "total": Money.from_minor(total, currency),
                "award": award.amount,
                "difference": Money.from_minor(abs(award.amount_minor - total), currency),
            },
            field="approved",
        )


def _report_text(report: GrantReport) -> str:
    return f"{report.kind}: {report.due_on.isoformat()}"


def _schedule(award: Award, rows: Sequence[ReportRow]) -> tuple[list, list, list]:
    """The award's reports as `rows` change them: (changed or new reports, reports to delete,
    the schedule afterwards as text). Refuses naming the row."""
    existing = {r.pk: r for r in GrantReport.objects.filter(award=award)}
    kept = dict(existing)
    changed, removed = [], []
    for n, (pk, kind, due_on) in enumerate(rows, start=1):
        name = _("Reporting date %(n)d") % {"n": n}
        if pk is not None and pk not in existing:
            raise InvalidInput(
                _("%(row)s: no such report of this grant.") % {"row": name}, field="reports"
            )
        report = existing[pk] if pk is not None else GrantReport(award=award)
        if pk is not None and (report.kind, report.due_on) == (kind, due_on):
            continue
        if pk is not None and not report.is_due:
            raise NotEditable(
                _("%(row)s: the %(kind)s is %(status)s; its date no longer changes.")
                % {
                    "row": name,
                    "kind": report.get_kind_display().lower(),
                    "status": report.get_status_display().lower(),
                },
                field="reports",
            )
        if due_on is None and pk is not None and kind == GrantReport.Kind.INTERIM:
            removed.append(report)
            del kept[pk]
            continue
        if kind not in GrantReport.Kind.values or due_on is None:
            raise InvalidInput(
                _("%(row)s: give the kind of report and its due date.") % {"row": name},
                field="reports",
            )
        report.kind, report.due_on = kind, due_on
        changed.append(report)
        if pk is not None:
            kept[pk] = report
    schedule = [*kept.values(), *(r for r in changed if r.pk is None)]
    finals = sum(1 for r in schedule if r.kind == GrantReport.Kind.FINAL)
    if finals != 1:
        raise InvalidInput(
            _("A grant has one final report: give it exactly one.")
            if finals
            else _("Set a due date for the final report."),
            field="reports",
        )
    return changed, removed, sorted(_report_text(r) for r in schedule)


@transaction.atomic
def update_agreement(
    *,
    actor: User,
    agreement: Agreement,
    terms: str,
    approved: Mapping[int, Money | None],
    reports: Sequence[ReportRow] = (),
) -> Agreement:
    """The programme edits the draft: its terms, the approved amount of each budget line (line
    id → amount; together the award) and the reporting dates (`ReportRow`s; rows not given are
    left as they are, an interim report given no date is removed)."""
    ensure(actor, "grants.draft_agreement", agreement, field="terms")
    agreement = _locked(agreement)
    _ensure_editable(agreement)
    award = agreement.award
    old_lines = dict(
        BudgetLine.objects.filter(application_id=award.application_id).values_list(
            "pk", "approved_minor"
        )
    )
    lines = _approve(award, approved)
    _ensure_sum(award, lines)
    before = sorted(_report_text(r) for r in GrantReport.objects.filter(award=award))
    changed, removed, after = _schedule(award, reports)
    terms = (terms or "").strip()
    changes: dict[str, list] = {}
    if terms != agreement.terms:
        changes["terms"] = [agreement.terms, terms]
        agreement.terms = terms
        agreement.save(update_fields=["terms"])
    currency = award.application.currency
    for line in lines:
        if old_lines[line.pk] != line.approved_minor:
            old = old_lines[line.pk]
            changes[f"approved: {line.label}"] = [
                None if old is None else Money.from_minor(old, currency).record_text,
                Money.from_minor(line.approved_minor or 0, currency).record_text,
            ]
    BudgetLine.objects.bulk_update(lines, ["approved_minor"])
    GrantReport.objects.filter(pk__in=[r.pk for r in removed]).delete()
    for report in changed:
        report.save()
    if after != before:
        changes["reports"] = [before, after]
    audit.record(actor=actor, action="grants.agreement.update", target=agreement, changes=changes)
    return agreement


@transaction.atomic
def send_agreement(*, actor: User, agreement: Agreement) -> Agreement:
    """Send the draft to the grantee: its terms written, its approved budget adding up to the
    award. The lead's contacts are told by mail (owed through the outbox)."""
    ensure(actor, "grants.draft_agreement", agreement)
    agreement = _locked(agreement)
    states.AGREEMENT.check(agreement, Agreement.Status.SENT)
    if not agreement.terms.strip():
        raise InvalidInput(_("Write the terms of the agreement before sending it."), field="terms")
    award = agreement.award
    _ensure_sum(award, list(BudgetLine.objects.filter(application_id=award.application_id)))
    old = agreement.status
    states.AGREEMENT.move(agreement, Agreement.Status.SENT)
    agreement.sent_at, agreement.sent_by = _now(), actor
    agreement.save(update_fields=["status", "sent_at", "sent_by"])
    audit.record(
        actor=actor,
        action="grants.agreement.send",
        target=agreement,
        changes={"status": [old, agreement.status]},
    )
    outbox.owe("grants.agreement_sent", agreement.pk)
    return agreement


@transaction.atomic
def reopen_agreement(*, actor: User, agreement: Agreement) -> Agreement:
    """Take a sent agreement back to draft, to correct it, until the grantee accepts it."""
    ensure(actor, "grants.draft_agreement", agreement)
    agreement = _locked(agreement)
    old = agreement.status
    states.AGREEMENT.move(agreement, Agreement.Status.DRAFT)
    agreement.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="grants.agreement.reopen",
        target=agreement,
        changes={"status": [old, agreement.status]},
    )
    return agreement


@transaction.atomic
def accept_agreement(*, actor: User, agreement: Agreement) -> Agreement:
    """The grantee's lead accepts the sent agreement: who and when are recorded; payments may
    be marked paid from now on."""
    ensure(actor, "grants.accept_agreement", agreement)
    agreement = _locked(agreement)
    old = agreement.status
    states.AGREEMENT.move(agreement, Agreement.Status.ACCEPTED)
    agreement.accepted_at, agreement.accepted_by = _now(), actor
    agreement.save(update_fields=["status", "accepted_at", "accepted_by"])
    audit.record(
        actor=actor,
        action="grants.agreement.accept",
        target=agreement,
        changes={
            "status": [old, agreement.status],
            "accepted_at": [None, agreement.accepted_at.isoformat()],
        },
    )
    return agreement
