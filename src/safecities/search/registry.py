"""Providers of documents for `safecities reindex`: kind -> callable yielding entries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

_providers: dict[str, Callable[[], Iterable[Any]]] = {}


def register(kind: str, provider: Callable[[], Iterable[Any]]) -> None:
    _providers[kind] = provider


def unregister(kind: str) -> None:
    _providers.pop(kind, None)


def providers() -> Mapping[str, Callable[[], Iterable[Any]]]:
    return dict(_providers)
