"""Who may do what with indicators. Pages and the API ask these same rules.

The secretariat defines indicators and may write any city's figures; a municipality's
coordinators write their own city's observations, baselines and targets, and import them.
"""

from safecities.core.permissions import rule
from safecities.network.models import Municipality
from safecities.network.permissions import (
    coordinated_municipality_ids,
    coordinates,
    is_secretariat,
)

from .models import Import


@rule("indicators.manage")
def manage(user, obj=None) -> bool:
    """Create and edit indicator definitions: the network secretariat."""
    return is_secretariat(user)


@rule("indicators.write_city")
def write_city(user, municipality: Municipality | int | None = None) -> bool:
    """Observations, baselines, targets and imports for `municipality` (an instance or its id).

    With no municipality: may the user write figures for any city at all?
    """
    if is_secretariat(user):
        return True
    if municipality is None:
        return bool(coordinated_municipality_ids(user))
    return coordinates(user, municipality)


@rule("indicators.undo_import")
def undo_import(user, import_: Import) -> bool:
    """The secretariat, or whoever made the import."""
    if is_secretariat(user):
        return True
    return import_ is not None and import_.created_by_id == user.pk
