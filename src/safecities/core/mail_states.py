"""The owed mail's workflow (core's one status field; `core.states` is the machinery)."""

from .states import Workflow

__all__: list[str] = []
