"""Computed indicators: indicators whose figures the platform counts itself rather than imports.

An app above `indicators` registers a provider under an indicator's code, with the indicator's
definition; `services.refresh_computed(code, years=…)` then replaces the indicator's
observations for those years with what the provider yields. `indicators` never imports the
apps that register (events registers "network-events-attended" in its `AppConfig.ready`).

A provider is called with the years to count (`None`: every year it has figures for) and
yields `(municipality, year, count)`; a city it does not name for a year has no figure that
year.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Iterable[int] | None], Iterable[tuple[Any, int, int]]]


@dataclass(frozen=True)
class Computed:
    code: str
    provider: Provider
    definition: Mapping[str, Any]  # the keyword arguments of `services.create_indicator`


_registry: dict[str, Computed] = {}


def register(code: str, provider: Provider, *, definition: Mapping[str, Any]) -> None:
    """Register (or replace) the provider of the computed indicator `code`."""
    _registry[code] = Computed(code=code, provider=provider, definition=dict(definition))


def unregister(code: str) -> None:
    _registry.pop(code, None)


def get(code: str) -> Computed | None:
    return _registry.get(code)


def codes() -> list[str]:
    return sorted(_registry)
