"""The action plans panel of the start page (core.workspace), registered in `PlansConfig.ready`."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core.models import User
from safecities.core.workspace import Item, register_panel

from . import selectors


def progress_items(user: User) -> list[Item]:
    """Measures of the user's cities with no progress update this year."""
    year = timezone.localdate().year
    return [
        Item(
            text=measure.title,
            url=reverse("plans:measure-progress", args=[measure.pk]),
            note=_("%(city)s: no progress update in %(year)s")
            % {"city": measure.plan.municipality, "year": year},
        )
        for measure in selectors.measures_without_progress(user, year=year)
    ]


def register() -> None:
    register_panel(
        "plans.progress",
        title=gettext_lazy("Measures waiting for a progress update"),
        order=25,
        items=progress_items,
    )
