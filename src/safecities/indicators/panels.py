"""Links a city's indicator dashboard shows from apps above `indicators`.

`indicators` never imports the apps above it (docs/architecture.md): an app that has something
to show on a city's dashboard registers a provider here when it is ready (`plans` registers
the link to what the city's adopted action plan changes, in its `AppConfig.ready`). A provider
is given the municipality and returns the link to show, or None when it has nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safecities.network.models import Municipality


@dataclass(frozen=True)
class PanelLink:
    """A link on a city's dashboard: its text, its address and the element's id."""

    label: str
    url: str
    id: str


Provider = Callable[["Municipality"], PanelLink | None]

_registry: dict[str, Provider] = {}


def register_panel(key: str, provider: Provider) -> None:
    """Register (or replace) the provider `key` of a link on each city's dashboard."""
    _registry[key] = provider


def unregister_panel(key: str) -> None:
    _registry.pop(key, None)


def city_panels(municipality: Municipality) -> list[PanelLink]:
    """The links the registered providers have for `municipality`, in the order they were
    registered."""
    return [link for provider in _registry.values() if (link := provider(municipality))]
