"""A member's own profile: their contact details, and consent to be listed publicly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.inputs import UNCHANGED, Maybe

from ..models import (
    Membership,
    Municipality,
    Organisation,
    Person,
)
from .directory import refresh_directory_keys

if TYPE_CHECKING:
    from safecities.core.models import User


PERSON_FIELDS = [
    "full_name",
    "email",
    "phone",
    "title",
    "organisation",
    "municipality",
    "expertise",
    "languages",
    "listed_publicly",
]

# What of a profile the directory keeps on the person's memberships: their name, the places
# their country is taken from, and whether they agreed to be listed.
DIRECTORY_FIELDS = ("full_name", "organisation_id", "municipality_id", "listed_publicly")


@transaction.atomic
def save_profile(
    *,
    actor: User,
    full_name: Maybe[str] = UNCHANGED,
    email: Maybe[str] = UNCHANGED,
    phone: Maybe[str] = UNCHANGED,
    title: Maybe[str] = UNCHANGED,
    organisation: Maybe[Organisation | None] = UNCHANGED,
    municipality: Maybe[Municipality | None] = UNCHANGED,
    expertise: Maybe[str] = UNCHANGED,
    languages: Maybe[list[str]] = UNCHANGED,
    listed_publicly: Maybe[bool] = UNCHANGED,
) -> Person:
    """Create or update the signed-in member's own profile; consent is timestamped. Arguments
    left out stay as they were."""
    found = Person.objects.select_for_update().filter(user=actor).first()
    created = found is None
    person = found or Person(user=actor, full_name=actor.full_name, email=actor.email)
    before = audit.snapshot(person, PERSON_FIELDS) if not created else {}
    listed_as = [getattr(person, name) for name in DIRECTORY_FIELDS]
    given = {
        "full_name": full_name,
        "email": email,
        "phone": phone,
        "title": title,
        "organisation": organisation,
        "municipality": municipality,
        "expertise": expertise,
        "languages": languages,
        "listed_publicly": listed_publicly,
    }
    for field, value in given.items():
        if value is not UNCHANGED:
            setattr(person, field, value)
    if not (person.full_name or "").strip():
        raise InvalidInput(_("Give your name."), field="full_name")
    if person.listed_publicly and not person.consent_given_at:
        person.consent_given_at = timezone.now()
    if not person.listed_publicly:
        person.consent_given_at = None
    person.save()
    after = audit.snapshot(person, PERSON_FIELDS)
    changes = audit.changes_between(before, after)
    if not created and listed_as != [getattr(person, name) for name in DIRECTORY_FIELDS]:
        refresh_directory_keys(Membership.objects.filter(person=person))
    if changes:
        audit.record(
            actor=actor,
            action="network.person.create" if created else "network.person.update",
            target=person,
            changes=changes,
        )
    return person
