"""Writes to the charter: endorsements and the shared vocabularies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import DomainError
from safecities.core.i18n import LANGUAGE_CODES
from safecities.core.permissions import ensure
from safecities.network import hooks

from .models import CharterVersion, Endorsement, Term

if TYPE_CHECKING:
    from safecities.core.models import User
    from safecities.network.models import Membership


class NoCharter(DomainError):
    pass


class InvalidTerm(DomainError):
    pass


def current_version() -> CharterVersion | None:
    return CharterVersion.objects.order_by("-adopted_on").first()


@hooks.on_membership_approved
def record_endorsement(*, membership: Membership, actor: User | None) -> Endorsement:
    """An approved member endorses the current charter, dated the day membership starts."""
    version = current_version()
    if version is None:
        raise NoCharter(_("No charter version exists for the member to endorse."))
    endorsement, created = Endorsement.objects.get_or_create(
        membership=membership,
        charter_version=version,
        defaults={"endorsed_on": membership.started_on},
    )
    if created:
        audit.record(
            actor=actor,
            action="charter.endorse",
            target=endorsement,
            changes=audit.created(endorsement, ["charter_version", "endorsed_on"]),
        )
    return endorsement


def _clean_labels(label: dict) -> dict:
    cleaned = {k: (v or "").strip() for k, v in (label or {}).items() if k in LANGUAGE_CODES}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if not cleaned.get("en"):
        raise InvalidTerm(_("Give the term a name in English."), field="label_en")
    return cleaned


@transaction.atomic
def save_term(
    *,
    actor: User,
    vocabulary: str,
    code: str,
    label: dict[str, str],
    active: bool = True,
    term: Term | None = None,
) -> Term:
    ensure(actor, "charter.edit_vocabulary")
    label = _clean_labels(label)
    if not code:
        raise InvalidTerm(_("Give the term a code."), field="code")
    created = term is None
    before: dict[str, object] = {}
    if term is None:
        term = Term(vocabulary=vocabulary)
    else:
        term = Term.objects.select_for_update().get(pk=term.pk)
        before = audit.snapshot(term, ["code", "label", "active"])
    term.code, term.label, term.active = code, label, active
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError as exc:
        raise InvalidTerm(
            _("The code %(code)s is already used in this vocabulary.") % {"code": code},
            field="code",
        ) from exc
    audit.record(
        actor=actor,
        action="charter.term.create" if created else "charter.term.update",
        target=term,
        changes=audit.changes_between(before, audit.snapshot(term, ["code", "label", "active"])),
    )
    return term
