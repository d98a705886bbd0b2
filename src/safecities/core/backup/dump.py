"""Writing a backup: every row and uploaded file, read in one snapshot, into one archive."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import (
    CHUNK_ROWS,
    COPY_BYTES,
    EXTENSION,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    Progress,
)
from .rows import (
    _file_fields,
    applied_migrations,
    member_for,
    ordered_models,
    rows_of,
    serialize_rows,
)

# -- writing --------------------------------------------------------------------------------


def default_filename(now=None) -> str:
    """safecities-backup-<UTC timestamp>.zip"""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return f"safecities-backup-{now:%Y%m%dT%H%M%SZ}.{EXTENSION}"


class _HashingTextWriter:
    """A text stream writing UTF-8 into a binary one, keeping the SHA-256 of what it wrote."""

    def __init__(self, binary):
        self.binary = binary
        self.sha256 = hashlib.sha256()

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.sha256.update(data)
        self.binary.write(data)
        return len(text)


def _member_info(name: str) -> zipfile.ZipInfo:
    """A member dated now (a member opened by name for writing would be dated 1980)."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _counted(rows: Iterable, counter: list[int]) -> Iterator:
    for row in rows:
        counter[0] += 1
        yield row


@contextmanager
def _snapshot(using: str):
    """One transaction whose reads all see the same state of the database.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction (the settings make
    transactions IMMEDIATE, which would hold the write lock for the whole backup); its first
    read fixes the snapshot. Inside a transaction already (a test), that one is used."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode


def write_backup(
    path: str | os.PathLike, *, progress: Progress | None = None, using: str = DEFAULT_DB_ALIAS
) -> dict:
    """Write the archive of the database and the uploaded files to `path`; return its manifest.

    The archive is written beside `path` under a temporary name and moved into place when
    complete, so `path` never holds half an archive. An existing `path` is not overwritten."""
    say = progress or (lambda line: None)
    path = Path(path)
    if path.exists():
        raise BackupError(
            _("%(path)s exists already. Choose another name with --output.") % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temporary = Path(temporary)
    os.chmod(temporary, 0o600)  # it holds password hashes and personal data
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            manifest = _write_members(archive, say=say, using=using)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    rows = sum(entry["rows"] for entry in manifest["models"])
    say(
        _("Wrote %(path)s: %(rows)d rows of %(models)d models, %(files)d files.")
        % {
            "path": path,
            "rows": rows,
            "models": len(manifest["models"]),
            "files": len(manifest["files"]),
        }
    )
    return manifest


def _write_members(archive: zipfile.ZipFile, *, say: Progress, using: str) -> dict:
    connection = connections[using]
    checksums: dict[str, str] = {}
    entries = []
    files: list[dict] = []
    missing: list[str] = []
    with _snapshot(using):
        created_at = timezone.now()
        migrations = applied_migrations(using)
        file_names: dict[str, str] = {}  # storage name -> the field naming it first
        for model in ordered_models(using):
            member = member_for(model)
            counter = [0]
            with archive.open(_member_info(member), "w", force_zip64=True) as binary:
                stream = _HashingTextWriter(binary)
                serialize_rows(model, _counted(rows_of(model, using), counter), stream)
            checksums[member] = stream.sha256.hexdigest()
            entries.append({"model": model._meta.label, "member": member, "rows": counter[0]})
            say(f"{model._meta.label}: {counter[0]}")
            for field in _file_fields(model):
                names = (
                    model._base_manager.using(using)
                    .exclude(**{field.attname: ""})
                    .exclude(**{f"{field.attname}__isnull": True})
                    .values_list(field.attname, flat=True)
                    .order_by("pk")
                    .iterator(chunk_size=CHUNK_ROWS)
                )
                for name in names:
                    file_names.setdefault(name, f"{model._meta.label}.{field.name}")
        for name, field in file_names.items():
            member = FILES_PREFIX + name
            try:
                source = default_storage.open(name, "rb")
            except FileNotFoundError:
                missing.append(name)
                say(
                    _("Missing uploaded file %(name)s (named by %(field)s): not in the archive.")
                    % {"name": name, "field": field}
                )
                continue
            digest = hashlib.sha256()
            with source, archive.open(_member_info(member), "w", force_zip64=True) as target:
                while chunk := source.read(COPY_BYTES):
                    digest.update(chunk)
                    target.write(chunk)
            checksums[member] = digest.hexdigest()
            files.append({"name": name, "member": member})
        say(_("Uploaded files: %(count)d") % {"count": len(files)})
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": created_at.isoformat(),
        "engine": connection.vendor,
        "migrations": migrations,
        "models": entries,
        "files": files,
        "missing_files": missing,
        "checksums": checksums,
    }
