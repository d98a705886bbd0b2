"""Writes to the charter: endorsements and the shared vocabularies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import DomainError
from safecities.core.i18n import LANGUAGE_CODES, given_translations
from safecities.core.permissions import ensure
from safecities.network import hooks

from .models import CharterVersion, Endorsement, Goal, Term

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


GOAL_FIELDS = ["code", "position", "name", "description"]
VERSION_FIELDS = ["version", "adopted_on", "preamble"]


def _translations(values: dict | None, field: str, *, required: bool) -> dict[str, str]:
    return given_translations(values, field, required=required)


@transaction.atomic
def save_goal(
    *,
    actor: User,
    code: str,
    position: int,
    name: dict[str, str],
    description: dict[str, str] | None = None,
    goal: Goal | None = None,
) -> Goal:
    """Create a charter goal (or, given `goal`, change it), its name and description in each
    language it is translated into."""
    ensure(actor, "charter.edit_vocabulary", field="code")
    if not code:
        raise DomainError(_("Give the goal a code."), field="code")
    if position is None or position < 1:
        raise DomainError(_("Give the goal's place in the charter: 1 or more."), field="position")
    name = _translations(name, "name", required=True)
    description = _translations(description, "description", required=False)
    return audit.save_recorded(
        actor=actor,
        model=Goal,
        instance=goal,
        values={"code": code, "position": position, "name": name, "description": description},
        fields=GOAL_FIELDS,
        action="charter.goal",
        duplicate=DomainError(
            _("The code %(code)s is already a goal's.") % {"code": code}, field="code"
        ),
    )


@transaction.atomic
def save_charter_version(
    *,
    actor: User,
    version: str,
    adopted_on: date,
    goals: Iterable[Goal],
    preamble: dict[str, str] | None = None,
    charter_version: CharterVersion | None = None,
) -> CharterVersion:
    """Create a charter version (or, given `charter_version`, change it): the goals it holds
    and its preamble. The newest adopted version is the one new members endorse."""
    ensure(actor, "charter.edit_vocabulary", field="version")
    version = (version or "").strip()
    if not version:
        raise DomainError(_("Give the version a name, e.g. 2025."), field="version")
    if adopted_on is None:
        raise DomainError(_("Give the day the version was adopted."), field="adopted_on")
    goals = list(goals)
    if not goals:
        raise DomainError(_("Choose the goals of this version."), field="goals")
    preamble = _translations(preamble, "preamble", required=False)
    before: dict[str, object] = {}
    if charter_version is None:
        charter_version = CharterVersion()
    else:
        charter_version = CharterVersion.objects.select_for_update().get(pk=charter_version.pk)
        before = audit.snapshot(charter_version, VERSION_FIELDS) | audit.related_snapshot(
            charter_version, ["goals"]
        )
    created = not before
    charter_version.version, charter_version.adopted_on = version, adopted_on
    charter_version.preamble = preamble
    try:
        with transaction.atomic():
            charter_version.save()
    except IntegrityError as exc:
        raise DomainError(
            _("The version %(version)s already exists.") % {"version": version}, field="version"
        ) from exc
    charter_version.goals.set(goals)
    after = audit.snapshot(charter_version, VERSION_FIELDS) | audit.related_snapshot(
        charter_version, ["goals"]
    )
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(
            actor=actor,
            action="charter.version.create" if created else "charter.version.update",
            target=charter_version,
            changes=changes,
        )
    return charter_version
