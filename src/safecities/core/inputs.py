"""Typed inputs the services share: `UNCHANGED`, the value of an argument an update leaves out.

def update_measure(*, actor: User, measure: Measure, title: Maybe[str] = UNCHANGED): ...
if title is not UNCHANGED:
    measure.title = title
"""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias, TypeVar


class _Unchanged(enum.Enum):
    """An argument left out of an update: the value stays as it was."""

    UNCHANGED = enum.auto()

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged.UNCHANGED
Unchanged: TypeAlias = Literal[_Unchanged.UNCHANGED]
T = TypeVar("T")
Maybe: TypeAlias = T | Unchanged  # noqa: UP040 - Python 3.11 has no `type` statement
