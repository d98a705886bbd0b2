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


# --- the import wizard (helper C) ---------------------------------------------------------


@rule("indicators.view_import")
def view_import(user, import_: Import | None = None) -> bool:
    """The list of imports: whoever may import. One import: the secretariat, whoever made it,
    and the coordinators of a city whose figures it wrote."""
    if import_ is None:
        return write_city(user)
    if is_secretariat(user) or import_.created_by_id == user.pk:
        return True
    cities = coordinated_municipality_ids(user)
    return bool(cities) and import_.municipalities.filter(pk__in=cities).exists()


@rule("indicators.continue_import")
def continue_import(user, import_: Import) -> bool:
    """Map, preview and commit a draft import: whoever uploaded it, or the secretariat; and only
    while they may still import at all."""
    if import_ is None or not write_city(user):
        return False
    return is_secretariat(user) or import_.created_by_id == user.pk
