"""Decisions: awarding within the programme's budget, declining."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.core.permissions import ensure
from safecities.core.states import decline_with_reason

from .. import selectors, states
from ..errors import (
    AwardOverRequest,
    BudgetExceeded,
    NotReviewed,
)
from ..models import (
    Application,
    Award,
    GrantReport,
    Programme,
    Stage,
)
from ._shared import _money, _now
from .agreements import draft_agreement
from .applications import _locked
from .lines import ensure_within_line
from .sums import refresh_awarded, refresh_counts_of, refresh_programme_totals

if TYPE_CHECKING:
    from safecities.core.models import User

# --- decisions --------------------------------------------------------------------------


def _default_reports(application: Application, decided: datetime) -> list[tuple[str, date]]:
    """A final report two months after the project ends (a year after the decision if no end)."""
    end = application.ends_on or (timezone.localdate(decided) + timedelta(days=365))
    return [(GrantReport.Kind.FINAL, end + timedelta(days=60))]


def _ensure_reviewed(application: Application, to: str) -> None:
    """A full proposal is decided on its reviews: refused until one is finished (a concept note
    is invited or declined on its own merits). A draft, decided or withdrawn one fails its move
    first (`InvalidTransition`), so the refusal names what is really wrong."""
    states.APPLICATION.check(application, to)
    finished = selectors.finished_review_count(application)
    if not states.may_be_decided(application, finished_reviews=finished):
        raise NotReviewed(
            _(
                "No review of this proposal is finished yet: it can be decided once a reviewer "
                "has submitted one."
            ),
            field="status",
        )


@transaction.atomic
def award_grant(
    *,
    application: Application,
    amount: Money,
    conditions: str = "",
    actor: User,
    reports: Iterable[tuple[str, date]] | None = None,
) -> Award:
    """Award a submitted full proposal; the programme's awards never exceed its budget.

    `reports`: (kind, due date) of each report the grantee owes; by default one final report.
    The grant agreement is drafted with it (`agreements.draft_agreement`).
    """
    ensure(actor, "grants.decide", application)
    programme = Programme.objects.select_for_update().get(pk=application.call.programme_id)
    application = _locked(application)
    if application.stage != Stage.FULL:
        raise InvalidInput(
            _("This is a concept note: invite a full proposal before awarding."), field="stage"
        )
    _ensure_reviewed(application, Application.Status.AWARDED)
    states.APPLICATION.move(application, Application.Status.AWARDED)
    amount = _money(amount, programme.currency, "amount")
    if amount.minor_units <= 0:
        raise InvalidInput(_("The award must be more than zero."), field="amount")
    if amount > application.requested:
        raise AwardOverRequest(
            _("The award %(amount)s is more than the %(requested)s asked for.")
            % {"amount": amount, "requested": application.requested},
            field="amount",
        )
    # The kept total, read under the programme's row lock: true since the last award.
    remaining = programme.budget - Money.from_minor(programme.awarded_minor, programme.currency)
    if amount > remaining:
        raise BudgetExceeded(
            _("The award %(amount)s is more than the %(remaining)s left in %(programme)s.")
            % {"amount": amount, "remaining": remaining, "programme": programme},
            field="amount",
        )
    ensure_within_line(call=application.call, amount=amount)
    now = _now()
    report_rows = []
    kinds_seen = set()
    for kind, due_on in reports if reports is not None else _default_reports(application, now):
        if kind not in GrantReport.Kind.values or due_on is None:
            raise InvalidInput(_("Give each report a kind and a due date."), field="reports")
        if kind == GrantReport.Kind.FINAL and kind in kinds_seen:
            raise InvalidInput(_("A grant has one final report."), field="reports")
        kinds_seen.add(kind)
        report_rows.append(GrantReport(kind=kind, due_on=due_on))
    if GrantReport.Kind.FINAL not in kinds_seen:
        raise InvalidInput(_("Set a due date for the final report."), field="reports")
    award = Award.objects.create(
        application=application,
        amount_minor=amount.minor_units,
        conditions=(conditions or "").strip(),
        decided_by=actor,
        decided_at=now,
    )
    for row in report_rows:
        row.award = award
    GrantReport.objects.bulk_create(report_rows)
    draft_agreement(award)
    refresh_programme_totals(Programme.objects.filter(pk=programme.pk))
    refresh_awarded(Programme.objects.filter(pk=programme.pk))
    application.decided_by = actor
    application.decided_at = now
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    refresh_counts_of(application.call_id)
    audit.record(
        actor=actor,
        action="grants.award",
        target=award,
        changes={
            "amount": [None, amount.record_text],
            "conditions": [None, award.conditions],
            "application": [Application.Status.SUBMITTED, application.status],
            "reports": [None, [f"{r.kind}: {r.due_on.isoformat()}" for r in report_rows]],
        },
    )
    outbox.owe("grants.application_decided", application.pk)
    return award


@transaction.atomic
def decline_application(*, application: Application, reason: str, actor: User) -> Application:
    """Decline a submitted application (or concept note), giving the applicant the reason."""
    ensure(actor, "grants.decide", application)
    application = _locked(application)
    _ensure_reviewed(application, Application.Status.DECLINED)
    application = decline_with_reason(
        application,
        workflow=states.APPLICATION,
        to=Application.Status.DECLINED,
        actor=actor,
        reason=reason,
        action="grants.application.decline",
        also_save=["updated_at"],
    )
    refresh_counts_of(application.call_id)
    outbox.owe("grants.application_decided", application.pk)
    return application
