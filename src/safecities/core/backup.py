"""Backup and restore: one archive holding the whole database and the uploaded files.

`safecities backup` and `safecities restore` are thin shells around `write_backup` and
`restore_backup`. The archive is a zip file:

    manifest.json                what the archive holds (see below), written last
    data/<app>.<model>.jsonl     the rows of one model, Django's JSON Lines serialisation
    files/<storage name>         each uploaded file a FileField names, under its storage name

The manifest names the format and its version, when and from which database engine the archive
was made, the migrations applied per app, every model in dependency order with its data member
and row count, the uploaded files, and the SHA-256 of every other member.

Rows keep their primary keys, so links held as plain numbers (the search index's object ids,
the audit trail's record ids) stay true. Only the rows `migrate` creates itself on an empty
database, content types and permissions, are written with their natural keys, and so are the
references to them: they are matched to the rows of the installation restored into.

The backup reads everything in one transaction: a repeatable-read, read-only snapshot on
PostgreSQL, one read transaction on SQLite (deferred, so writers are not held up). Rows are
streamed, a chunk at a time, from the database into the archive.

A restore checks the whole archive before it changes anything: that it is a zip file, that no
member is missing, damaged or unexpected, that every checksum matches, that the migrations are
those of this installation, that the installation is empty (what `migrate` leaves) and that no
uploaded file of the archive exists already. It then loads every row in one transaction, resets
PostgreSQL's sequences, writes the files and rebuilds what is derived from the rows but is not a
model (the full-text index: apps register such rebuilds with `register_rebuild`). Any failure
rolls the rows back and removes the files written so far.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

FORMAT = "safecities-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
FILES_PREFIX = "files/"
EXTENSION = "zip"
CHUNK_ROWS = 2000
COPY_BYTES = 1024 * 1024

# The rows `migrate` creates on an empty database: kept by natural key, allowed in an
# installation a restore goes into.
MIGRATE_CREATES: tuple[type[models.Model], ...] = (ContentType, Permission)

Progress = Callable[[str], None]


class BackupError(DomainError):
    """A backup could not be written."""


class RestoreRefused(DomainError):
    """A restore was refused before anything changed."""


class NotAnArchive(RestoreRefused):
    """The file is not a backup archive (or is cut short)."""


class DamagedArchive(RestoreRefused):
    """A member is missing, unexpected, unreadable or does not match its checksum."""


class MigrationsDiffer(RestoreRefused):
    """The archive was made by an installation at other migrations."""


class NotEmpty(RestoreRefused):
    """The installation holds data or uploaded files already."""


class RestoreFailed(DomainError):
    """Loading failed; everything was rolled back."""


# -- what is derived and not a model -------------------------------------------------------

_rebuilds: dict[str, Callable[[], object]] = {}


def register_rebuild(name: str, rebuild: Callable[[], object]) -> None:
    """Have `rebuild()` run inside a restore's transaction once every row is loaded: for data
    an app derives from its rows outside Django's models (e.g. a full-text index table).
    Apps register in their `AppConfig.ready()`."""
    _rebuilds[name] = rebuild


def registered_rebuilds() -> dict[str, Callable[[], object]]:
    return dict(_rebuilds)


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


# -- checking -------------------------------------------------------------------------------


@dataclass
class Archive:
    """An archive that passed every check of its own (not yet those of the installation)."""

    path: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(entry["rows"] for entry in self.manifest["models"])


def _safe_storage_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and "\\" not in name and ".." not in parts


def check_archive(path: str | os.PathLike, *, progress: Progress | None = None) -> Archive:
    """Read the whole archive once and check it: a zip file, a manifest of this format, every
    member it names present and matching its checksum, no member it does not name."""
    say = progress or (lambda line: None)
    path = Path(path)
    if not path.is_file():
        raise NotAnArchive(_("There is no file %(path)s.") % {"path": path})
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise NotAnArchive(
            _("%(path)s is not a backup archive, or it is cut short (%(error)s).")
            % {"path": path, "error": error}
        ) from error
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise DamagedArchive(
                _(
                    "%(path)s holds no %(manifest)s: it is not a safecities backup, "
                    "or it is damaged."
                )
                % {"path": path, "manifest": MANIFEST}
            )
        try:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise DamagedArchive(
                _("The member %(member)s of %(path)s is damaged (%(error)s).")
                % {"member": MANIFEST, "path": path, "error": error}
            ) from error
        _check_manifest(manifest, path)
        checksums = manifest["checksums"]
        for member in checksums:
            if member not in names:
                raise DamagedArchive(
                    _("The member %(member)s is missing from %(path)s.")
                    % {"member": member, "path": path}
                )
        for member in sorted(names - set(checksums) - {MANIFEST}):
            raise DamagedArchive(
                _("%(path)s holds a member its manifest does not name: %(member)s.")
                % {"member": member, "path": path}
            )
        for member, expected in checksums.items():
            digest = hashlib.sha256()
            try:
                with archive.open(member) as source:
                    while chunk := source.read(COPY_BYTES):
                        digest.update(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
                raise DamagedArchive(
                    _("The member %(member)s of %(path)s is damaged (%(error)s).")
                    % {"member": member, "path": path, "error": error}
                ) from error
            if digest.hexdigest() != expected:
                raise DamagedArchive(
                    _(
                        "The member %(member)s of %(path)s does not match its checksum: "
                        "the archive is damaged."
                    )
                    % {"member": member, "path": path}
                )
    checked = Archive(path=path, manifest=manifest)
    say(
        _(
            "%(path)s: made %(created)s from %(engine)s, %(rows)d rows, %(files)d files; "
            "checksums match."
        )
        % {
            "path": path,
            "created": manifest["created_at"],
            "engine": manifest["engine"],
            "rows": checked.rows,
            "files": len(manifest["files"]),
        }
    )
    return checked


def _check_manifest(manifest, path: Path) -> None:
    def refuse(what: str):
        raise DamagedArchive(
            _("The manifest of %(path)s is not that of a safecities backup: %(what)s.")
            % {"path": path, "what": what}
        )

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        refuse(_("its format is not %(format)s") % {"format": FORMAT})
    if manifest.get("version") != VERSION:
        raise DamagedArchive(
            _(
                "%(path)s is a backup of format version %(version)s; this installation reads "
                "version %(ours)s."
            )
            % {"path": path, "version": manifest.get("version"), "ours": VERSION}
        )
    for key, kind in (
        ("created_at", str),
        ("engine", str),
        ("migrations", dict),
        ("models", list),
        ("files", list),
        ("checksums", dict),
    ):
        if not isinstance(manifest.get(key), kind):
            refuse(_("%(key)s is missing or malformed") % {"key": key})
    for entry in manifest["models"]:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("model"), str)
            and entry.get("member") in manifest["checksums"]
            and isinstance(entry.get("rows"), int)
        ):
            refuse(_("the model entry %(entry)s is malformed") % {"entry": json.dumps(entry)[:200]})
    for entry in manifest["files"]:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not (
            isinstance(name, str)
            and _safe_storage_name(name)
            and entry.get("member") == FILES_PREFIX + name
            and entry["member"] in manifest["checksums"]
        ):
            refuse(_("the file entry %(entry)s is malformed") % {"entry": json.dumps(entry)[:200]})


def check_installation(archive: Archive, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse unless this installation can take the archive: the same migrations, every model
    known, no rows but those `migrate` creates, none of the archive's files stored already."""
    ours = applied_migrations(using)
    if not ours:
        raise MigrationsDiffer(
            _("This installation's database has no tables yet: run `safecities migrate` first.")
        )
    theirs = archive.manifest["migrations"]
    for app_label in sorted(set(ours) | set(theirs)):
        mine, other = set(ours.get(app_label, [])), set(theirs.get(app_label, []))
        if mine == other:
            continue
        details = []
        if other - mine:
            details.append(
                _("the archive has %(names)s, this installation does not")
                % {"names": ", ".join(sorted(other - mine))}
            )
        if mine - other:
            details.append(
                _("this installation has %(names)s, the archive does not")
                % {"names": ", ".join(sorted(mine - other))}
            )
        raise MigrationsDiffer(
            _(
                "The migrations of the app %(app)s differ: %(details)s. Restore into an "
                "installation of the version that made the archive."
            )
            % {"app": app_label, "details": "; ".join(details)}
        )
    for entry in archive.manifest["models"]:
        try:
            apps.get_model(entry["model"])
        except (LookupError, ValueError) as error:
            raise MigrationsDiffer(
                _("The archive holds rows of %(model)s, a model this installation does not have.")
                % {"model": entry["model"]}
            ) from error
    for model in ordered_models(using):
        if _natural(model):
            continue
        if model._base_manager.using(using).exists():
            raise NotEmpty(
                _(
                    "This installation is not empty: the table %(table)s (%(model)s) has rows. "
                    "Restore only into a fresh installation (a new database after `safecities "
                    "migrate`)."
                )
                % {"table": model._meta.db_table, "model": model._meta.label}
            )
    for entry in archive.manifest["files"]:
        if default_storage.exists(entry["name"]):
            raise NotEmpty(
                _(
                    "This installation is not empty: the uploaded file %(name)s exists already. "
                    "Restore only into an installation without uploaded files."
                )
                % {"name": entry["name"]}
            )


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
