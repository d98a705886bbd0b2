"""Restoring a checked archive: every row in one transaction, then the files; all or nothing."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils.translation import gettext as _

from .base import CHUNK_ROWS, Progress, RestoreFailed, registered_rebuilds
from .checks import Archive, check_archive, check_installation
from .rows import _natural

# -- restoring ------------------------------------------------------------------------------


def restore_backup(
    path: str | os.PathLike, *, progress: Progress | None = None, using: str = DEFAULT_DB_ALIAS
) -> Archive:
    """Load the archive at `path` into this (empty) installation, all or nothing."""
    say = progress or (lambda line: None)
    archive = check_archive(path, progress=say)
    written: list[str] = []
    try:
        with transaction.atomic(using=using):
            check_installation(archive, using=using)
            with zipfile.ZipFile(archive.path) as source:
                _load_rows(source, archive.manifest, say=say, using=using)
                _reset_sequences(archive.manifest, using=using)
                for name, rebuild in sorted(registered_rebuilds().items()):
                    say(_("Rebuilding %(name)s") % {"name": name})
                    rebuild()
                for entry in archive.manifest["files"]:
                    _restore_file(source, entry, written)
                say(_("Uploaded files: %(count)d") % {"count": len(written)})
                for name in archive.manifest.get("missing_files") or []:
                    say(
                        _("The uploaded file %(name)s was missing when the backup was made.")
                        % {"name": name}
                    )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    say(
        _("Restored %(rows)d rows and %(files)d files from %(path)s.")
        % {"rows": archive.rows, "files": len(written), "path": archive.path}
    )
    return archive


def _load_rows(source: zipfile.ZipFile, manifest: dict, *, say: Progress, using: str) -> None:
    connection = connections[using]
    loaded_tables = []
    with connection.constraint_checks_disabled():
        for entry in manifest["models"]:
            model = apps.get_model(entry["model"])
            with source.open(entry["member"]) as binary:
                text = io.TextIOWrapper(binary, encoding="utf-8")
                try:
                    count = _load_model(model, text, using=using)
                except RestoreFailed:
                    raise
                except Exception as error:
                    raise RestoreFailed(
                        _(
                            "The rows of %(model)s in %(member)s could not be loaded (%(error)s). "
                            "Nothing was restored."
                        )
                        % {"model": entry["model"], "member": entry["member"], "error": error}
                    ) from error
            if count != entry["rows"]:
                raise RestoreFailed(
                    _(
                        "%(member)s holds %(count)d rows, its manifest says %(rows)d. "
                        "Nothing was restored."
                    )
                    % {"member": entry["member"], "count": count, "rows": entry["rows"]}
                )
            loaded_tables.append(model._meta.db_table)
            loaded_tables.extend(
                field.remote_field.through._meta.db_table
                for field in model._meta.local_many_to_many
                if field.remote_field.through._meta.auto_created
            )
            say(f"{entry['model']}: {count}")
    try:
        connection.check_constraints(table_names=loaded_tables)
    except Exception as error:
        raise RestoreFailed(
            _("The restored rows do not hold together (%(error)s). Nothing was restored.")
            % {"error": error}
        ) from error


def _load_model(model: type[models.Model], text, *, using: str) -> int:
    """Insert the rows of one model, a batch at a time, as they are (raw: no auto_now, no
    signals). Content types and permissions are matched to this installation's rows by natural
    key and saved one by one."""
    count = 0
    batch: list = []
    natural = _natural(model)
    for deserialized in serializers.deserialize("jsonl", text, using=using):
        count += 1
        if natural:
            deserialized.save(using=using)
            continue
        batch.append(deserialized)
        if len(batch) >= CHUNK_ROWS:
            _insert(model, batch, using=using)
            batch = []
    if batch:
        _insert(model, batch, using=using)
    return count


def _insert(model: type[models.Model], batch: list, *, using: str) -> None:
    connection = connections[using]
    objects = [deserialized.object for deserialized in batch]
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    for start in range(0, len(objects), size):
        model._base_manager._insert(
            objects[start : start + size], fields=fields, raw=True, using=using
        )
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        links = [
            through(**{source: deserialized.object.pk, target: pk})
            for deserialized in batch
            for pk in (deserialized.m2m_data or {}).get(field.name, [])
        ]
        through._base_manager.using(using).bulk_create(links, batch_size=CHUNK_ROWS)


def _reset_sequences(manifest: dict, *, using: str) -> None:
    """New rows after a restore must not reuse the restored rows' keys (PostgreSQL keeps a
    sequence per table; SQLite follows the largest key by itself)."""
    connection = connections[using]
    loaded = [apps.get_model(entry["model"]) for entry in manifest["models"]]
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _restore_file(source: zipfile.ZipFile, entry: dict, written: list[str]) -> None:
    name = entry["name"]
    with source.open(entry["member"]) as content:
        stored = default_storage.save(name, File(content, name=PurePosixPath(name).name))
    written.append(stored)
    if stored != name:
        raise RestoreFailed(
            _("The uploaded file %(name)s was stored as %(stored)s. Nothing was restored.")
            % {"name": name, "stored": stored}
        )
