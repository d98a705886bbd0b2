"""Reads of reviews and scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import (
    QuerySet,
)
from django.utils.translation import gettext as _

from safecities.core.models import User
from safecities.network.models import (
    Role,
)

from ..models import (
    Application,
    Review,
)
from .applications import _application_related
from .ledger import _one

if TYPE_CHECKING:
    from safecities.core.models import User

# --- reviews ----------------------------------------------------------------------------


def affiliations(user: User) -> tuple[set[int], set[int]]:
    """The municipalities and organisations a user belongs to: by role or by workplace."""
    municipality_ids = {
        m for m in user.role_assignments.values_list("municipality_id", flat=True) if m
    }
    organisation_ids = {
        o for o in user.role_assignments.values_list("organisation_id", flat=True) if o
    }
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None:
        if person.municipality_id:
            municipality_ids.add(person.municipality_id)
        if person.organisation_id:
            organisation_ids.add(person.organisation_id)
    return municipality_ids, organisation_ids


def reviewer_candidates(application: Application) -> QuerySet[User]:
    """Active users with the reviewer role not yet assigned to the application, by name."""
    return (
        User.objects.filter(role_assignments__role=Role.REVIEWER, is_active=True)
        .exclude(grant_reviews__application=application)
        .distinct()
        .order_by("full_name", "email")
    )


def reviews_of(user: User, *, status: str = "") -> QuerySet[Review]:
    """The user's own reviews, to do first, newest assigned first."""
    queryset = _application_related(Review.objects.filter(reviewer=user), "application__")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "-assigned_at")


def reviews_for(application: Application, *, status: str = "") -> QuerySet[Review]:
    """The application's reviews (in `status`, if given) with reviewer and scores, in the
    order they were assigned."""
    queryset = application.reviews.select_related("reviewer").prefetch_related("scores__criterion")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("assigned_at", "id")


def finished_review_count(application: Application) -> int:
    """How many reviews of the application are finished (submitted): one query."""
    return application.reviews.filter(status=Review.Status.SUBMITTED).count()


def review_detail(pk: int) -> Review:
    """A review with its reviewer, scores and application (with the call's criteria), or a
    404."""
    return _one(
        _application_related(Review.objects, "application__")
        .select_related("reviewer")
        .prefetch_related("scores", "application__call__criteria"),
        _("No such review."),
        pk=pk,
    )
