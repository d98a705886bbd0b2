"""The import wizard's reads: the imports a person may see, one import, its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Import

if TYPE_CHECKING:
    from safecities.core.models import User

# --- imports (helper C: the import wizard) --------------------------------------------------


def imports_for(user: User, *, status: str = "") -> QuerySet[Import]:
    """The imports `user` may see (`indicators.view_import`), newest first, with who made them;
    those in `status` when one is given."""

    from safecities.network.permissions import coordinated_municipality_ids, is_secretariat

    qs = Import.objects.select_related("indicator", "created_by")
    if not is_secretariat(user):
        cities = coordinated_municipality_ids(user)
        seen = Q(created_by=user) | Q(
            pk__in=Import.municipalities.through.objects.filter(municipality_id__in=cities).values(
                "import_id"
            )
        )
        qs = qs.filter(seen)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class ImportProgress:
    phase: str  # "", "check" or "write"
    done: int
    total: int

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def import_progress(import_: Import) -> ImportProgress:
    """How far a queued or running import has come, as the worker last reported it on the
    import's row (both phases, see `services.run_import`)."""
    return ImportProgress(import_.phase, import_.progress_done, import_.progress_total)


def import_detail(pk: int) -> Import:
    """An import with its indicator and who made it, or a 404."""
    try:
        return Import.objects.select_related("indicator", "created_by").get(pk=pk)
    except Import.DoesNotExist as exc:
        raise Http404(_("No such import.")) from exc


def runs_in_background(import_: Import) -> bool:
    """Whether committing the import is left to the background worker (more rows than a request
    writes while the person waits, `INDICATOR_IMPORT_IN_REQUEST_ROWS`)."""
    from django.conf import settings

    return (import_.row_count or 0) > settings.INDICATOR_IMPORT_IN_REQUEST_ROWS


def imports_waiting(user: User, *, limit: int = 20) -> list[Import]:
    """The user's own imports that wait for them: drafts to map and commit, and failed ones to
    look at, the oldest first."""
    queryset = Import.objects.select_related("indicator").filter(
        created_by=user, status__in=(Import.Status.DRAFT, Import.Status.FAILED)
    )
    return list(queryset.order_by("created_at", "id")[:limit])
