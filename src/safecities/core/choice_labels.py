"""`get_FOO_display` read from a table kept per field and language.

Django's own builds the field's whole table of choices on every call, hashing each label,
which translates it: on a list of 25 rows showing a status and a kind, that is a few hundred
translations per page. The same answer (the choice's label in the current language, or the
value itself when it is no choice) is read here from a table made once per field and
language. Installed on the project's models when the apps are ready (`CoreConfig.ready`); a
model's own `get_FOO_display`, and a field whose choices are worked out per call, keep
Django's.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_tables: dict[tuple[models.Field, str | None], dict[Any, Any]] = {}


def _table(field: models.Field) -> dict[Any, Any]:
    key = (field, get_language())
    table = _tables.get(key)
    if table is None:
        table = {
            value: force_str(label, strings_only=True)
            for value, label in dict(make_hashable(field.flatchoices)).items()
        }
        _tables[key] = table
    return table


def display(instance: models.Model, field: models.Field) -> Any:
    """What Django's `get_FOO_display` answers, without rebuilding the table."""
    value = getattr(instance, field.attname)
    try:
        return _table(field)[make_hashable(value)]
    except KeyError:
        return force_str(value, strings_only=True)


def install(prefix: str = "safecities.") -> int:
    """Give the project's models' choice fields the quick `get_FOO_display`; how many."""
    installed = 0
    for model in apps.get_models():
        if not model.__module__.startswith(prefix):
            continue
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if (
                field.choices is None
                or isinstance(field.choices, CallableChoiceIterator)
                or not isinstance(current, partialmethod)
                or current.func is not models.Model._get_FIELD_display
            ):
                continue
            setattr(model, name, partialmethod(display, field=field))
            installed += 1
    return installed
