"""Change requests on an accepted grant agreement: the grantee's lead asks for money to move
between the approved budget lines or for a later end date; the programme approves (the change
is applied in the same transaction) or declines; the lead may withdraw a request still open.

The rules, checked when the request is made and again when it is approved (reports may have
come in between):
- a reallocation keeps the approved total equal to the award, no line below zero, and no line
  below what the reports say was spent on it;
- an extension ends later than the project's present end date; the final report, if moved, is
  due on or after the new end date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.core.permissions import ensure
from safecities.core.states import move_recorded

from .. import selectors, states
from ..errors import (
    AgreementNotAccepted,
    BelowReportedSpending,
    ChangeAlreadyOpen,
    ReallocationUnbalanced,
)
from ..models import Application, Award, BudgetLine, ChangeRequest, GrantReport
from ._shared import _money, _now
from .payments import _locked_award

if TYPE_CHECKING:
    from safecities.core.models import User

Kind = ChangeRequest.Kind


def _locked_change(change: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=change.pk)
    )


def _final_report(award: Award) -> GrantReport | None:
    return award.reports.filter(kind=GrantReport.Kind.FINAL).first()


def _check_possible(award: Award) -> None:
    if award.closed_at is not None:
        raise AgreementNotAccepted(_("The grant is closed: it can no longer change."), field="kind")
    if not states.changes_possible(award):
        raise AgreementNotAccepted(
            _("Changes may be asked for once the grant agreement is accepted."), field="kind"
        )


def _reallocation(
    award: Award, amounts: Mapping[int, Money] | None, *, lines: list[BudgetLine]
) -> dict[str, int]:
    """The new approved amounts, checked, as the request stores them ({line id: minor units});
    every approved line is in it, those not given keeping their present amount."""
    currency = award.application.currency
    if not lines:
        raise InvalidInput(
            _("The agreement approves no budget lines: there is nothing to reallocate."),
            field="lines",
        )
    by_id = {line.pk: line for line in lines}
    given = dict(amounts or {})
    unknown = sorted(str(pk) for pk in given if pk not in by_id)
    if unknown:
        raise InvalidInput(
            _("Budget line %(ids)s is not an approved line of this grant.")
            % {"ids": ", ".join(unknown)},
            field="lines",
        )
    spent = selectors.reported_spent(award)
    new: dict[str, int] = {}
    for line in lines:
        field = f"line_{line.pk}"
        if line.pk in given:
            if given[line.pk] is None:
                raise InvalidInput(
                    _("“%(line)s”: give the new approved amount.") % {"line": line.label},
                    field=field,
                )
            amount = _money(given[line.pk], currency, field).minor_units
        else:
            amount = line.approved_minor or 0
        if amount < 0:
            raise InvalidInput(
                _("“%(line)s”: an approved amount cannot be negative.") % {"line": line.label},
                field=field,
            )
        if amount < spent.get(line.pk, 0):
            raise BelowReportedSpending(
                _("“%(line)s”: the reports say %(spent)s was spent on it; approve at least that.")
                % {"line": line.label, "spent": Money.from_minor(spent[line.pk], currency)},
                field=field,
            )
        new[str(line.pk)] = amount
    total = sum(new.values())
    if total != award.amount_minor:
        raise ReallocationUnbalanced(
            _(
                "The new amounts add up to %(total)s; they must add up to the award, %(award)s "
                "(%(difference)s to move)."
            )
            % {
                "total": Money.from_minor(total, currency),
                "award": award.amount,
                "difference": Money.from_minor(abs(award.amount_minor - total), currency),
            },
            field="lines",
        )
    if all(new[str(line.pk)] == line.approved_minor for line in lines):
        raise InvalidInput(_("Change the amount of at least one budget line."), field="lines")
    return new


def _extension(
    award: Award, new_ends_on: date | None, new_final_due_on: date | None
) -> tuple[date, date | None]:
    application = award.application
    if new_ends_on is None:
        raise InvalidInput(_("Give the new end date of the project."), field="new_ends_on")
    present = application.ends_on or timezone.localdate()
    if new_ends_on <= present:
        raise InvalidInput(
            _("The new end date must be later than the present one, %(date)s.")
            % {"date": present.isoformat()},
            field="new_ends_on",
        )
    if new_final_due_on is not None:
        final = _final_report(award)
        if final is None:
            raise InvalidInput(
                _("The grant has no final report whose due date could move."),
                field="new_final_due_on",
            )
        if not final.is_due:
            raise InvalidInput(
                _("The final report is already submitted: its due date cannot move."),
                field="new_final_due_on",
            )
        if new_final_due_on < new_ends_on:
            raise InvalidInput(
                _("The final report cannot be due before the project ends (%(date)s).")
                % {"date": new_ends_on.isoformat()},
                field="new_final_due_on",
            )
    return new_ends_on, new_final_due_on


@transaction.atomic
def request_change(
    *,
    actor: User,
    award: Award,
    kind: str,
    reason: str,
    lines: Mapping[int, Money] | None = None,
    new_ends_on: date | None = None,
    new_final_due_on: date | None = None,
) -> ChangeRequest:
    """The grantee's lead asks for a reallocation (`lines`: budget line id → new approved
    amount; lines not named keep theirs) or an extension (`new_ends_on`, and perhaps the final
    report's `new_final_due_on`). At most one request per grant waits for a decision."""
    ensure(actor, "grants.request_change", award)
    award = _locked_award(award)
    _check_possible(award)
    if selectors.open_change(award) is not None:
        raise ChangeAlreadyOpen(
            _("A change request for this grant waits for the programme's decision already."),
            field="kind",
        )
    reason = (reason or "").strip()
    if kind not in Kind.values:
        raise InvalidInput(_("Choose what should change."), field="kind")
    if not reason:
        raise InvalidInput(_("Say why the change is needed."), field="reason")
    change = ChangeRequest(
        award=award, kind=kind, requested_by=actor, requested_at=_now(), reason=reason
    )
    if kind == Kind.REALLOCATION:
        change.lines = _reallocation(award, lines, lines=selectors.approved_budget_lines(award))
        described = {"lines": [None, change.lines]}
    else:
        change.new_ends_on, change.new_final_due_on = _extension(
            award, new_ends_on, new_final_due_on
        )
        described = {
            "new_ends_on": [None, change.new_ends_on.isoformat()],
            "new_final_due_on": [
                None,
                change.new_final_due_on and change.new_final_due_on.isoformat(),
            ],
        }
    change.save()
    audit.record(
        actor=actor,
        action="grants.change.request",
        target=change,
        changes={"kind": [None, kind], "reason": [None, reason], **described},
    )
    outbox.owe("grants.change_requested", change.pk)
    return change


@transaction.atomic
def withdraw_change(*, actor: User, change: ChangeRequest) -> ChangeRequest:
    """The lead takes back a request the programme has not decided."""
    ensure(actor, "grants.request_change", change.award)
    change = _locked_change(change)
    move_recorded(
        change,
        workflow=states.CHANGE,
        to=ChangeRequest.Status.WITHDRAWN,
        actor=actor,
        action="grants.change.withdraw",
    )
    outbox.owe("grants.change_withdrawn", change.pk)
    return change


@transaction.atomic
def decline_change(*, actor: User, change: ChangeRequest, note: str) -> ChangeRequest:
    """The programme says no, and why."""
    ensure(actor, "grants.decide", change.award)
    change = _locked_change(change)
    note = (note or "").strip()
    states.CHANGE.check(change, ChangeRequest.Status.DECLINED)
    if not note:
        raise InvalidInput(_("Tell the grantee why the change is declined."), field="note")
    change.decided_by, change.decided_at, change.decision_note = actor, _now(), note
    move_recorded(
        change,
        workflow=states.CHANGE,
        to=ChangeRequest.Status.DECLINED,
        actor=actor,
        action="grants.change.decline",
        also_save=["decided_by", "decided_at", "decision_note"],
        changes={"decision_note": [None, note]},
    )
    outbox.owe("grants.change_decided", change.pk)
    return change


@transaction.atomic
def approve_change(*, actor: User, change: ChangeRequest, note: str = "") -> ChangeRequest:
    """The programme approves the request and it is applied at once: the approved budget lines
    take their new amounts, or the project's end date (and the final report's due date) move.
    The rules are checked again, as reports may have come in since the request."""
    ensure(actor, "grants.decide", change.award)
    award = _locked_award(change.award)
    change = _locked_change(change)
    states.CHANGE.check(change, ChangeRequest.Status.APPROVED)
    _check_possible(award)
    applied: dict[str, list] = {}
    if change.kind == Kind.REALLOCATION:
        lines = list(
            BudgetLine.objects.select_for_update(of=("self",)).filter(
                application_id=award.application_id, approved_minor__isnull=False
            )
        )
        currency = award.application.currency
        asked = {
            int(pk): Money.from_minor(minor, currency) for pk, minor in (change.lines or {}).items()
        }
        new = _reallocation(award, asked, lines=lines)
        before, after = {}, {}
        for line in lines:
            if new[str(line.pk)] != line.approved_minor:
                before[line.label], after[line.label] = line.approved_minor, new[str(line.pk)]
                line.approved_minor = new[str(line.pk)]
                line.save(update_fields=["approved_minor"])
        applied["approved_lines"] = [before, after]
    else:
        application = Application.objects.select_for_update(of=("self",)).get(
            pk=award.application_id
        )
        award.application = application
        ends_on, final_due_on = _extension(award, change.new_ends_on, change.new_final_due_on)
        applied["ends_on"] = [
            application.ends_on and application.ends_on.isoformat(),
            ends_on.isoformat(),
        ]
        application.ends_on = ends_on
        application.save(update_fields=["ends_on"])
        final = _final_report(award) if final_due_on is not None else None
        if final is not None and final_due_on is not None:  # checked again just above
            applied["final_report_due_on"] = [final.due_on.isoformat(), final_due_on.isoformat()]
            final.due_on = final_due_on
            final.save(update_fields=["due_on"])
    note = (note or "").strip()
    change.decided_by, change.decided_at, change.decision_note = actor, _now(), note
    move_recorded(
        change,
        workflow=states.CHANGE,
        to=ChangeRequest.Status.APPROVED,
        actor=actor,
        action="grants.change.approve",
        also_save=["decided_by", "decided_at", "decision_note"],
        changes={**applied, **({"decision_note": [None, note]} if note else {})},
    )
    outbox.owe("grants.change_decided", change.pk)
    return change
