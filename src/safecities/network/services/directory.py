"""The directory's key kept on each membership: the member's name, its country's code and
whether the public directory lists it (every city and organisation, a person only with their
consent). The member directory and the API read one page of members in order from an index on
these columns, and count them on it, instead of joining every member and its country to sort.

`refresh_directory_keys` recomputes the key from the members' rows, set-based (one UPDATE,
whatever the number of rows). Every service whose write changes a key calls it in that write's
transaction: approving an application (a new membership), changing an organisation (its name or
country: its memberships and its people's), a member's profile (name, workplace, consent),
erasing a person, and the registry's renamed municipalities. Ending a membership moves its
status, a column of its own, and leaves the key as it is. The migration that added the
columns, the demo loader and the bench generator call the same function over every row; it
takes the queryset's model from its app registry, so a migration can pass its historical model.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

KEY_FIELDS = ("member_name", "country_code", "listed")


def directory_key() -> dict[str, Any]:
    """Each key field as the database computes it afresh from a membership's member: a city's
    or organisation's name and country; a person's name and the country of their organisation,
    else of their municipality; listed unless a person who has not agreed to be."""
    return {
        "member_name": Coalesce(
            "municipality__name", "organisation__name", "person__full_name", Value("")
        ),
        "country_code": Coalesce(
            "municipality__country__code",
            "organisation__country__code",
            "person__organisation__country__code",
            "person__municipality__country__code",
            Value(""),
        ),
        "listed": Case(
            When(person__isnull=True, then=Value(True)),
            default="person__listed_publicly",
            output_field=BooleanField(),
        ),
    }


def refresh_directory_keys(memberships: QuerySet[Any]) -> int:
    """Store on each of `memberships` its member's key as it is now. Returns the rows."""
    fresh = memberships.model.objects.filter(pk=OuterRef("pk")).order_by()
    return memberships.update(
        **{
            field: Subquery(fresh.annotate(value=expression).values("value")[:1])
            for field, expression in directory_key().items()
        }
    )
