"""Partners as equals: each partner confirms its own participation before the lead submits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
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
    confirmed what the application said it does, so a new role needs a new confirmation."""
    kept = {_key(p): p for p in application.partners.all() if p.confirmed_at is not None}
    for row in rows:
        old = kept.get(_key(row))
        if old is not None:
            row.confirmed_at, row.confirmed_by_id = old.confirmed_at, old.confirmed_by_id


def _locked(partner: Partner) -> Partner:
    partner = (
        Partner.objects.select_for_update(of=("self",))
        .select_related("application", "municipality", "organisation")
        .get(pk=partner.pk)
    )
    if not partner.application.editable:
        raise NotEditable(
            _("The application is %(status)s: participation can no longer change.")
            % {"status": partner.application.get_status_display().lower()},
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
