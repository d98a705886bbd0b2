"""The events panels of the start page (core.workspace), registered in `EventsConfig.ready`."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core import dates
from safecities.core.models import User
from safecities.core.workspace import Item, register_panel

from . import selectors


def _when(value) -> str:
    return dates.moment(value)


def registered_items(user: User) -> list[Item]:
    """Upcoming events the user registered for (or waits for a place at)."""
    return [
        Item(
            text=registration.event.display_title,
            url=reverse("events:detail", args=[registration.event_id]),
            note=_("starts %(when)s") % {"when": _when(registration.event.starts_at)},
        )
        for registration in selectors.upcoming_registrations(user, now=timezone.now())
    ]


def close_items(user: User) -> list[Item]:
    """Events past their end that nobody closed yet (the report, follow-ups, attendance)."""
    return [
        Item(
            text=event.display_title,
            url=reverse("events:close", args=[event.pk]),
            note=_("ended %(when)s") % {"when": _when(event.ends_at)},
            urgent=True,
        )
        for event in selectors.events_to_close(user, now=timezone.now())
    ]


def register() -> None:
    register_panel(
        "events.close", title=gettext_lazy("Events to close"), order=60, items=close_items
    )
    register_panel(
        "events.registered",
        title=gettext_lazy("Your upcoming events"),
        order=90,
        items=registered_items,
        more="events:mine",
    )
