"""The start page's panels: what needs a signed-in person now.

`core` imports no app above it (docs/architecture.md): each app that has something for a person
to do registers a panel here when it is ready (in its `AppConfig.ready`). A panel's `items` is
given the user and returns the things that wait for them, each with a link to where it is done
(the first few: `more` names the page with the full list);
it returns an empty list when the person has no role it serves. The start page shows the
panels that have items, in their `order`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass(frozen=True)
class Item:
    """One thing that waits: its text, the address where it is done, and a short note (a
    deadline, a count); `urgent` marks what is overdue."""

    text: str
    url: str
    note: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    order: int
    items: Callable[[Any], list[Item]]
    more: str = ""


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str | Promise
    items: list[Item]
    more_url: str = ""


_registry: dict[str, Panel] = {}


def register_panel(
    key: str,
    *,
    title: str | Promise,
    order: int,
    items: Callable[[Any], list[Item]],
    more: str = "",
) -> None:
    """Register (or replace) the panel `key`; `more` names the URL of the full list, if any."""
    _registry[key] = Panel(key=key, title=title, order=order, items=items, more=more)


def unregister_panel(key: str) -> None:
    _registry.pop(key, None)


def registered() -> list[str]:
    return [panel.key for panel in sorted(_registry.values(), key=lambda p: (p.order, p.key))]


def panels_for(user: Any) -> list[ShownPanel]:
    """The panels with something for `user`, in their order."""
    shown = []
    for panel in sorted(_registry.values(), key=lambda p: (p.order, p.key)):
        items = panel.items(user)
        if items:
            more_url = reverse(panel.more) if panel.more else ""
            shown.append(
                ShownPanel(key=panel.key, title=panel.title, items=items, more_url=more_url)
            )
    return shown
