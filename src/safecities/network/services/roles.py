"""Roles the secretariat gives: coordinators, contacts, reviewers, officers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure

from ..models import (
    Municipality,
    Organisation,
    Role,
    RoleAssignment,
)

if TYPE_CHECKING:
    from safecities.core.models import User


# Roles that act for one city or organisation (plain strings: enum members hash by name).
SCOPED_ROLES = {
    "coordinator": "municipality",
    "organisation_contact": "organisation",
    "funder_officer": "organisation",
}


@transaction.atomic
def assign_role(
    *,
    actor: User,
    user: User,
    role: str,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """The secretariat gives a user a role, scoped to a city or organisation where it needs one."""
    ensure(actor, "network.secretariat")
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    needed = SCOPED_ROLES.get(str(role))
    if needed == "municipality" and municipality is None:
        raise InvalidInput(_("A city coordinator needs a city."), field="municipality")
    if needed == "organisation" and organisation is None:
        raise InvalidInput(_("This role needs an organisation."), field="organisation")
    if needed != "municipality":
        municipality = None
    if needed != "organisation" and role != Role.SECRETARIAT:
        organisation = None
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, municipality=municipality, organisation=organisation
    )
    if created:
        audit.record(
            actor=actor,
            action="network.role.assign",
            target=assignment,
            changes={"user": [None, str(user)], "role": [None, role]},
        )
    return assignment


@transaction.atomic
def revoke_role(*, actor: User, assignment: RoleAssignment) -> None:
    ensure(actor, "network.secretariat")
    if (
        assignment.role == Role.SECRETARIAT
        and RoleAssignment.objects.filter(role=Role.SECRETARIAT).count() <= 1
    ):
        raise InvalidInput(
            _("This is the last secretariat role; the network would have nobody to run it."),
            field="role",
        )
    audit.record(
        actor=actor,
        action="network.role.revoke",
        target=assignment,
        changes={"user": [str(assignment.user), None], "role": [assignment.role, None]},
    )
    assignment.delete()
