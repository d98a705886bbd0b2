"""The audit trail: every service records who changed what, in its own transaction."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction

from .errors import DomainError
from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` on `instance`, in a form the audit trail can store."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def related_snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, list[str]]:
    """The many-to-many fields `names` of `instance`, each as the sorted labels of its records,
    beside `snapshot`'s values (so `changes_between` compares them too)."""
    return {name: sorted(str(v) for v in getattr(instance, name).all()) for name in names}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for each field whose value differs."""
    return {
        k: [before.get(k), after.get(k)]
        for k in after.keys() | before.keys()
        if before.get(k) != after.get(k)
    }


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    confidential: bool = False,
    label: str | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction.

    `confidential`: the event belongs to a closed group's business; the audit trail shows it
    without its actor (the caller leaves names out of `changes` and gives a `label` naming no
    one when the record's own name would)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=str(actor_obj) if actor_obj else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_label=str(target if label is None else label)[:300],
        changes=_plain(changes or {}),
        confidential=confidential,
    )


def created(instance: models.Model, fields: Iterable[str]) -> dict[str, list]:
    """The changes that creating `instance` made: every field from nothing to its value."""
    return {k: [None, v] for k, v in snapshot(instance, fields).items()}


def save_recorded(
    *,
    actor,
    model: type[models.Model],
    instance: models.Model | None,
    values: dict[str, Any],
    fields: Iterable[str],
    action: str,
    duplicate: DomainError,
) -> Any:
    """Create (`instance` None) or change (locked first) one record with `values`, inside the
    caller's transaction, and record `<action>.create` or `<action>.update` with what changed
    in `fields`. A unique clash raises `duplicate` (which names its field) and saves nothing."""
    fields = list(fields)
    before: dict[str, Any] = {}
    if instance is None:
        instance = model()
    else:
        instance = model._default_manager.select_for_update().get(pk=instance.pk)
        before = snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise duplicate from exc
    changes = changes_between(before, snapshot(instance, fields))
    if changes:
        record(
            actor=actor,
            action=f"{action}.{'update' if before else 'create'}",
            target=instance,
            changes=changes,
        )
    return instance
