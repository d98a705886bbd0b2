"""What waits for a person in grants, for their start page: one query per list, whatever the
number of rows, and none for a person without the role a list serves."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from safecities.core.models import User
from safecities.network.permissions import (
    funder_organisation_ids,
)

from .. import states
from ..models import Application, GrantReport, Payment, Review
from .applications import _application_related, taking_part

LIMIT = 20  # a start page names the first few; each panel links to the full list


def _led_by(user: User, via: str = "") -> Q | None:
    return taking_part(user, via=via)


def drafts_to_finish(user: User) -> list[Application]:
    """Draft applications, and concept notes invited to a full proposal, led by (or with as a
    partner) a city the user coordinates or an organisation they speak for, last saved first."""
    led = _led_by(user)
    if led is None:
        return []
    queryset = _application_related(Application.objects).filter(
        led, status__in=(Application.Status.DRAFT, Application.Status.INVITED)
    )
    return list(queryset.order_by("-updated_at", "-id")[:LIMIT])


def reports_owed(user: User) -> list[GrantReport]:
    """Grant reports the user's city or organisation still owes, the earliest due first."""
    led = _led_by(user, "award__application__")
    if led is None:
        return []
    queryset = _application_related(GrantReport.objects, "award__application__").filter(
        led, status=GrantReport.Status.DUE
    )
    return list(queryset.order_by("due_on", "id")[:LIMIT])


def reviews_to_submit(user: User) -> list[Review]:
    """Reviews assigned to the user and not submitted, the oldest assignment first."""
    queryset = _application_related(
        Review.objects.filter(reviewer=user, status=Review.Status.ASSIGNED), "application__"
    )
    return list(queryset.order_by("assigned_at", "id")[:LIMIT])


def awaiting_decision(user: User) -> list[Application]:
    """Applications the user may decide now (`states.decidable`: a full proposal once a review
    of it is finished) in the programmes of the user's funders, the oldest first."""
    funders = funder_organisation_ids(user)
    if not funders:
        return []
    queryset = states.decidable(
        _application_related(Application.objects).filter(call__programme__funder_id__in=funders)
    )
    return list(queryset.order_by("submitted_at", "id")[:LIMIT])


def payments_scheduled(user: User) -> list[Payment]:
    """Scheduled payments of the user's funders' awards, the earliest due first."""
    funders = funder_organisation_ids(user)
    if not funders:
        return []
    queryset = _application_related(Payment.objects, "award__application__").filter(
        award__application__call__programme__funder_id__in=funders,
        status=Payment.Status.SCHEDULED,
    )
    return list(queryset.order_by("due_on", "id")[:LIMIT])


def reports_overdue_to_funder(user: User, *, today: date) -> list[GrantReport]:
    """Reports past their due date on the user's funders' awards, the longest overdue first."""
    funders = funder_organisation_ids(user)
    if not funders:
        return []
    queryset = _application_related(GrantReport.objects, "award__application__").filter(
        award__application__call__programme__funder_id__in=funders,
        status=GrantReport.Status.DUE,
        due_on__lt=today,
    )
    return list(queryset.order_by("due_on", "id")[:LIMIT])
