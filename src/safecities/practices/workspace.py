"""The practices panel of the start page (core.workspace), registered in `PracticesConfig.ready`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core import dates
from safecities.core.models import User
from safecities.core.workspace import Item, register_panel

from . import selectors


def review_items(user: User) -> list[Item]:
    """Practices submitted for the secretariat's review."""
    return [
        Item(
            text=practice.title,
            url=reverse("practices:review", args=[practice.pk]),
            note=_("waiting since %(date)s") % {"date": dates.day(practice.updated_at)},
        )
        for practice in selectors.practices_to_review(user)
    ]


def register() -> None:
    register_panel(
        "practices.review",
        title=gettext_lazy("Practices to review"),
        order=50,
        items=review_items,
        more="practices:queue",
    )
