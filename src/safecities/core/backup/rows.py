"""The models a backup holds, in the order they load, and their rows as JSON Lines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.migrations.recorder import MigrationRecorder

from .base import CHUNK_ROWS, DATA_PREFIX, MIGRATE_CREATES

# -- models, their order and their serialisation --------------------------------------------


def _natural(model: type[models.Model]) -> bool:
    return model._meta.concrete_model in MIGRATE_CREATES


def ordered_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every model whose rows the database holds, each after the models it refers to (where
    references go round in a cycle, the database's deferred constraints settle it)."""
    candidates = [
        model
        for model in apps.get_models()
        if not model._meta.proxy and router.allow_migrate_model(using, model)
    ]
    known = set(candidates)

    def dependencies(model):
        related = [field.related_model for field in model._meta.fields if field.is_relation]
        related += [field.related_model for field in model._meta.many_to_many]
        return [
            other._meta.concrete_model
            for other in related
            if other is not None and other._meta.concrete_model in known and other is not model
        ]

    ordered: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()
    done: set[type[models.Model]] = set()

    def visit(model):
        if model in done or model in visiting:
            return
        visiting.add(model)
        for other in dependencies(model):
            visit(other)
        visiting.discard(model)
        done.add(model)
        ordered.append(model)

    # Content types and permissions first: the natural keys of the rest resolve against them.
    for model in sorted(candidates, key=lambda m: not _natural(m)):
        visit(model)
    return ordered


def member_for(model: type[models.Model]) -> str:
    return f"{DATA_PREFIX}{model._meta.label_lower}.jsonl"


class _Encoder(DjangoJSONEncoder):
    """Django's JSON encoder, keeping the microseconds of times (Django's own cuts them to
    milliseconds, which a restore would not give back)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(JSONLSerializer):
    """Django's JSON Lines, with natural keys only for references to content types and
    permissions; every other reference is the primary key it is in the database."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _natural(field.remote_field.model)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = _natural(field.remote_field.model)
        super().handle_m2m_field(obj, field)


def rows_of(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> Iterator[models.Model]:
    """The rows of `model` in primary-key order, streamed a chunk at a time, with what their
    serialisation needs fetched per chunk (many-to-many links, natural keys)."""
    queryset = model._base_manager.using(using).order_by("pk")
    natural_fks = [
        field.name
        for field in model._meta.fields
        if field.is_relation and field.related_model and _natural(field.related_model)
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    prefetch = []
    for field in model._meta.many_to_many:
        if not field.remote_field.through._meta.auto_created:
            continue  # an explicit through model is a model of its own
        prefetch.append(field.name)
        if field.related_model is Permission:
            prefetch.append(f"{field.name}__content_type")
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return queryset.iterator(chunk_size=CHUNK_ROWS)


def serialize_rows(model: type[models.Model], rows: Iterable[models.Model], stream) -> None:
    """Write `rows` of `model` to the text `stream` as JSON Lines, one row a line."""
    _Serializer().serialize(
        rows,
        stream=stream,
        use_natural_foreign_keys=False,
        use_natural_primary_keys=_natural(model),
        cls=_Encoder,
    )


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """{app label: names of its applied migrations, sorted}."""
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app_label, name in recorder.applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(applied.items())}


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [
        field for field in model._meta.local_concrete_fields if isinstance(field, models.FileField)
    ]
