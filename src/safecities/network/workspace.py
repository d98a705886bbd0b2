"""The network's panel of the start page (core.workspace), registered in `NetworkConfig.ready`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core import dates
from safecities.core.models import User
from safecities.core.workspace import Item, register_panel

from . import selectors


def secretariat_items(user: User) -> list[Item]:
    """Membership applications awaiting a decision."""
    return [
        Item(
            text=str(application.applicant),
            url=reverse("network:application-detail", args=[application.pk]),
            note=_("submitted %(date)s") % {"date": dates.day(application.submitted_at)},
        )
        for application in selectors.applications_to_decide(user)
    ]


def register() -> None:
    register_panel(
        "network.applications",
        title=gettext_lazy("Membership applications to decide"),
        order=10,
        items=secretariat_items,
        more="network:applications",
    )
