"""The import's bulk writes, in one place: the raw SQL statements that insert and update
observations and their revisions a batch at a time (one `executemany` per table), and the
bulk update that gives observations back what their revisions kept. Per row only a tuple is
built, no model instance. Used by `services.pipeline` and `services.imports`; see
docs/imports.md."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from safecities.core.errors import DomainError

from . import summary
from .models import (
    VALUE_FIELDS,
    Observation,
    ObservationRevision,
)


class ImportConflict(DomainError):
    """Figures the import was about to write changed while it ran; it wrote nothing."""

    status = 409


_EXISTING = [
    "id",
    "municipality_id",
    "district",
    "period",
    *VALUE_FIELDS,
    "source_import_id",
    "source_url",
    "retrieved_at",
    "entered_by_id",
    "updated_at",
]
_E = {name: i for i, name in enumerate(_EXISTING)}


def _executemany(sql: str, params: list[tuple]) -> None:
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _insert_sql(model, columns: Iterable[str]) -> str:
    q = connection.ops.quote_name
    columns = list(columns)
    return "INSERT INTO {} ({}) VALUES ({})".format(
        q(model._meta.db_table), ", ".join(q(c) for c in columns), ", ".join(["%s"] * len(columns))
    )


def _update_sql(model, columns: Iterable[str]) -> str:
    q = connection.ops.quote_name
    return "UPDATE {} SET {} WHERE {} = %s".format(
        q(model._meta.db_table), ", ".join(f"{q(c)} = %s" for c in columns), q("id")
    )


def _db_datetime(value: datetime | None):
    return connection.ops.adapt_datetimefield_value(value)


_OBS_INSERT = [
    "indicator_id",
    "municipality_id",
    "district",
    "period",
    "period_start",
    *VALUE_FIELDS,
    "source_import_id",
    "created_by_import_id",
    "source_url",
    "retrieved_at",
    "entered_by_id",
    "updated_at",
]
_OBS_UPDATE = [
    *VALUE_FIELDS,
    "source_import_id",
    "source_url",
    "retrieved_at",
    "entered_by_id",
    "updated_at",
]
_REVISION_INSERT = [
    "observation_id",
    *VALUE_FIELDS,
    "source_url",
    "retrieved_at",
    "previous_import_id",
    "previous_entered_by_id",
    "previous_updated_at",
    "made_by_import_id",
    "changed_by_id",
    "changed_at",
]


def _values(v: dict, decimal) -> tuple:
    """The figures of `v` as the driver takes them; `decimal`: the connection's adapter."""
    return (
        decimal(v["value"]),
        decimal(v["numerator"]),
        decimal(v["denominator"]),
        v["sample_size"],
        decimal(v["ci_low"]),
        decimal(v["ci_high"]),
        v["status"],
        v["note"],
    )


def _old_values(old: tuple, decimal) -> tuple:
    return (
        decimal(old[_E["value"]]),
        decimal(old[_E["numerator"]]),
        decimal(old[_E["denominator"]]),
        old[_E["sample_size"]],
        decimal(old[_E["ci_low"]]),
        decimal(old[_E["ci_high"]]),
        old[_E["status"]],
        old[_E["note"]],
    )


def _new_params(indicator, import_, stamp, user_id, new) -> list[tuple]:
    # the adapters looked up once a batch, not per value: each `connection.ops` is a lookup
    # of the thread's connection, and a million rows times seven of them is seconds
    ops = connection.ops
    decimal, day = ops.adapt_decimalfield_value, ops.adapt_datefield_value
    indicator_id, import_id = indicator.pk, import_.pk
    return [
        (
            indicator_id,
            key[0],
            key[1],
            key[2],
            day(start),
            *_values(v, decimal),
            import_id,
            import_id,
            row.source_url,
            None,
            user_id,
            stamp,
        )
        for row, key, start, v in new
    ]


def _write_updates(import_, stamp, user_id, updated) -> None:
    """Revisions of, then the new values for, a batch of updated observations; refused when any
    of them changed since the import's check read it."""
    now = {
        old[0]: old
        for old in Observation.objects.filter(pk__in=[old[0] for _r, old, _v in updated])
        .select_for_update()
        .values_list(*_EXISTING)
    }
    if any(now.get(old[0]) != old for _r, old, _v in updated):
        raise ImportConflict(
            _(
                "Figures this import would update were changed while it ran; nothing was "
                "imported. Start the import again."
            )
        )
    ops = connection.ops
    decimal, moment = ops.adapt_decimalfield_value, ops.adapt_datetimefield_value
    _executemany(
        _insert_sql(ObservationRevision, _REVISION_INSERT),
        [
            (
                old[0],
                *_old_values(old, decimal),
                old[_E["source_url"]],
                moment(old[_E["retrieved_at"]]),
                old[_E["source_import_id"]],
                old[_E["entered_by_id"]],
                moment(old[_E["updated_at"]]),
                import_.pk,
                user_id,
                stamp,
            )
            for _row, old, _v in updated
        ],
    )
    _executemany(
        _update_sql(Observation, _OBS_UPDATE),
        [
            (*_values(v, decimal), import_.pk, row.source_url, None, user_id, stamp, old[0])
            for row, old, v in updated
        ],
    )
    # new figures for the cities' whole-city cells: their latest figures may have changed
    cities = {old[_E["municipality_id"]] for _r, old, _v in updated if old[_E["district"]] == ""}
    if cities:
        summary.refresh(import_.indicator_id, municipalities=cities, period_starts=())


def _write_new(indicator, import_, stamp, user_id, new) -> None:
    try:
        with transaction.atomic():
            _executemany(
                _insert_sql(Observation, _OBS_INSERT),
                _new_params(indicator, import_, stamp, user_id, new),
            )
            whole_city = [(key[0], start) for _r, key, start, _v in new if key[1] == ""]
            if whole_city:
                summary.refresh(
                    indicator.pk,
                    municipalities={city for city, _start in whole_city},
                    period_starts={start for _city, start in whole_city},
                )
    except IntegrityError as exc:
        raise ImportConflict(
            _(
                "Figures this import would create were entered while it ran; nothing was "
                "imported. Start the import again."
            )
        ) from exc


_RESTORED = [*VALUE_FIELDS, "source_url", "retrieved_at"]  # what a revision gives back


def _restore(revisions: Iterable[ObservationRevision]) -> None:
    """Give each revision's observation back the figures and provenance the revision kept (and
    the summary its cities' latest figures, in the caller's transaction)."""
    restored = []
    for r in revisions:
        o = r.observation
        for name in _RESTORED:
            setattr(o, name, getattr(r, name))
        o.source_import_id = r.previous_import_id
        o.entered_by_id = r.previous_entered_by_id
        o.updated_at = r.previous_updated_at
        restored.append(o)
    Observation.objects.bulk_update(
        restored,
        [*_RESTORED, "source_import", "entered_by", "updated_at"],
        batch_size=500,
    )
    cells: dict[int, set[int]] = {}
    for o in restored:
        if o.district == "":
            cells.setdefault(o.indicator_id, set()).add(o.municipality_id)
    for indicator_id, cities in cells.items():
        summary.refresh(indicator_id, municipalities=cities, period_starts=())
