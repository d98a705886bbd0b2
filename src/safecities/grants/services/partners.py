"""Partners as equals: each partner confirms its own participation before the lead submits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure

from ..errors import NotEditable
from ..models import Application, Partner
from ._shared import _now

if TYPE_CHECKING:
    from safecities.core.models import User


def _key(partner: Partner) -> tuple[int | None, int | None, str]:
    return (partner.municipality_id, partner.organisation_id, partner.role)


def carry_confirmations(application: Application, *, rows: Sequence[Partner]) -> None:
    """Keep the confirmation of each partner the lead lists again with the same role: a partner
    confirmed what the application said it does, so a new role needs a new confirmation. The
    questions the lead gave a partner to write stay with the partner, whatever its role."""
    existing = list(application.partners.all())
    kept = {_key(p): p for p in existing if p.confirmed_at is not None}
    writes = {_key(p)[:2]: p.writes_questions for p in existing}
    for row in rows:
        old = kept.get(_key(row))
        if old is not None:
            row.confirmed_at, row.confirmed_by_id = old.confirmed_at, old.confirmed_by_id
        row.writes_questions = list(writes.get(_key(row)[:2], []))


def _locked(partner: Partner, *, message: str = "") -> Partner:
    partner = (
        Partner.objects.select_for_update(of=("self",))
        .select_related("application__call", "municipality", "organisation")
        .get(pk=partner.pk)
    )
    if not partner.application.editable:
        message = message or _("The application is %(status)s: participation can no longer change.")
        raise NotEditable(
            message % {"status": partner.application.get_status_display().lower()},
            field="partners",
        )
    return partner


@transaction.atomic
def confirm_participation(*, actor: User, partner: Partner) -> Partner:
    """The partner party (its coordinator or contact) confirms that it takes part."""
    ensure(actor, "grants.confirm_participation", partner, field="partners")
    partner = _locked(partner)
    if partner.confirmed_at is not None:
        return partner
    partner.confirmed_at, partner.confirmed_by = _now(), actor
    partner.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(
        actor=actor,
        action="grants.partner.confirm",
        target=partner,
        changes={"confirmed_at": [None, partner.confirmed_at.isoformat()]},
    )
    return partner


@transaction.atomic
def withdraw_participation(*, actor: User, partner: Partner) -> Partner:
    """The partner party takes its confirmation back while the application is a draft."""
    ensure(actor, "grants.confirm_participation", partner, field="partners")
    partner = _locked(partner)
    if partner.confirmed_at is None:
        return partner
    old = partner.confirmed_at.isoformat()
    partner.confirmed_at, partner.confirmed_by = None, None
    partner.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(
        actor=actor,
        action="grants.partner.withdraw",
        target=partner,
        changes={"confirmed_at": [old, None]},
    )
    return partner


@transaction.atomic
def grant_questions(*, actor: User, partner: Partner, question_ids: Iterable[int]) -> Partner:
    """The lead gives a partner the call's questions it may write (co-writing); the questions
    left out are taken back. Only while the application is editable."""
    ensure(actor, "grants.apply", partner.application, field="partners")
    partner = _locked(
        partner,
        message=_("The application is %(status)s: who writes which question no longer changes."),
    )
    application = partner.application
    questions = {q.pk: q for q in application.call.questions.all()}
    wanted = []
    for value in question_ids:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = None
        if pk not in questions:
            raise InvalidInput(
                _("The call has no question %(key)s.") % {"key": value},
                field=f"writes_{partner.pk}",
            )
        wanted.append(pk)
    new = sorted(set(wanted))
    old = sorted(int(q) for q in partner.writes_questions)
    if new == old:
        return partner
    partner.writes_questions = new
    partner.save(update_fields=["writes_questions"])
    audit.record(
        actor=actor,
        action="grants.partner.grant_questions",
        target=partner,
        changes={"writes_questions": [old, new]},
    )
    return partner
