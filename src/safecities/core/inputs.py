"""Typed inputs the services share.

- `UNCHANGED`, the value of an argument an update leaves out:

      def update_measure(*, actor: User, measure: Measure, title: Maybe[str] = UNCHANGED): ...
      if title is not UNCHANGED:
          measure.title = title

- checks of a service's input: each returns the clean value or raises `InvalidInput` naming the
  field (texts are `core.text.clean_text`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Final, Literal, TypeAlias, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _

from .errors import InvalidInput
from .text import clean_text


class _Unchanged(enum.Enum):
    """An argument left out of an update: the value stays as it was."""

    UNCHANGED = enum.auto()

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged.UNCHANGED
Unchanged: TypeAlias = Literal[_Unchanged.UNCHANGED]
T = TypeVar("T")
Maybe: TypeAlias = T | Unchanged  # noqa: UP040 - Python 3.11 has no `type` statement
M = TypeVar("M", bound=models.Model)


def choice(
    value: Any, field: str, choices: Iterable[tuple[Any, Any]], default: str | None = None
) -> str:
    """One of `choices`' values; an empty value is `default` when one is given."""
    if value in (None, "") and default is not None:
        return default
    if value not in {v for v, _label in choices}:
        raise InvalidInput(_("Choose one of the offered values."), field=field)
    return str(value)


def records(values: Iterable[Any] | None, model: type[M], field: str, **filters: Any) -> list[M]:
    """Saved records of `model` (each once, in the order given); with `filters`, only records
    the filters allow."""
    chosen = list(values or [])
    if any(not isinstance(v, model) or v.pk is None for v in chosen):
        raise InvalidInput(_("Choose from the offered values."), field=field)
    if filters:
        ids = {v.pk for v in chosen}
        if model._default_manager.filter(pk__in=ids, **filters).count() != len(ids):
            raise InvalidInput(_("Choose from the offered values."), field=field)
    return list(dict.fromkeys(chosen))


def url(value: Any, field: str) -> str:
    """An http(s) address, or ""."""
    value = clean_text(value, field, limit=500)
    if value:
        try:
            URLValidator(schemes=["https", "http"])(value)
        except ValidationError as exc:
            raise InvalidInput(
                _("Give a web address starting with https://."), field=field
            ) from exc
    return value
