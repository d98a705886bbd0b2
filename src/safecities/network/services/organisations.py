"""Organisations in the register: recorded (before or as they apply) and kept up to date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.inputs import UNCHANGED, Maybe
from safecities.core.permissions import ensure
from safecities.core.text import unique_slug

from .. import validators
from ..models import (
    Membership,
    Municipality,
    Organisation,
)
from .directory import refresh_directory_keys

if TYPE_CHECKING:
    from safecities.core.models import User

    from ..models import Country


ORGANISATION_FIELDS = [
    "name",
    "type",
    "country",
    "municipality",
    "org_id_scheme",
    "org_id_number",
    "website",
    "description",
]


def _validated_organisation(organisation: Organisation) -> Organisation:
    try:
        # The one-number-per-register constraint is left to the database, see _save_organisation.
        organisation.full_clean(exclude=["slug"], validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from exc
    return organisation


def _save_organisation(organisation: Organisation) -> None:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        raise InvalidInput(
            _("An organisation with the number %(id)s is already registered.")
            % {"id": organisation.org_id},
            field="org_id_number",
        ) from exc


@transaction.atomic
def register_organisation(
    *,
    actor: User,
    name: str,
    type: str = "",  # noqa: A002 - the model's field
    country: Country | None = None,
    municipality: Municipality | None = None,
    org_id_scheme: str = "",
    org_id_number: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    """Record a new organisation (not yet a member). A number given without its register is
    taken to be in the national register of the organisation's country."""
    organisation = Organisation(
        name=name,
        type=type,
        country=country,
        municipality=municipality,
        org_id_scheme=org_id_scheme,
        org_id_number=org_id_number,
        website=website,
        description=description,
    )
    if organisation.org_id_number and not organisation.org_id_scheme and organisation.country_id:
        organisation.org_id_scheme = validators.SCHEME_FOR_COUNTRY.get(
            organisation.country.code, ""
        )
    organisation.slug = unique_slug(Organisation, organisation.name)
    _validated_organisation(organisation)
    _save_organisation(organisation)
    audit.record(
        actor=actor,
        action="network.organisation.create",
        target=organisation,
        changes=audit.created(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def update_organisation(
    *,
    actor: User,
    organisation: Organisation,
    name: Maybe[str] = UNCHANGED,
    type: Maybe[str] = UNCHANGED,  # noqa: A002 - the model's field
    country: Maybe[Country | None] = UNCHANGED,
    municipality: Maybe[Municipality | None] = UNCHANGED,
    org_id_scheme: Maybe[str] = UNCHANGED,
    org_id_number: Maybe[str] = UNCHANGED,
    website: Maybe[str] = UNCHANGED,
    description: Maybe[str] = UNCHANGED,
) -> Organisation:
    """Change an organisation's record; arguments left out stay as they were."""
    ensure(actor, "network.manage_organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    listed_as = (organisation.name, organisation.country_id)
    given = {
        "name": name,
        "type": type,
        "country": country,
        "municipality": municipality,
        "org_id_scheme": org_id_scheme,
        "org_id_number": org_id_number,
        "website": website,
        "description": description,
    }
    for field, value in given.items():
        if value is not UNCHANGED:
            setattr(organisation, field, value)
    _validated_organisation(organisation)
    _save_organisation(organisation)
    changes = audit.changes_between(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if listed_as != (organisation.name, organisation.country_id):
        # Its memberships and its people's: a person is of their organisation's country.
        refresh_directory_keys(
            Membership.objects.filter(
                Q(organisation=organisation) | Q(person__organisation=organisation)
            )
        )
    if changes:
        audit.record(
            actor=actor, action="network.organisation.update", target=organisation, changes=changes
        )
    return organisation
