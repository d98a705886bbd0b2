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

from .base import (
    EXTENSION,
    MANIFEST,
    BackupError,
    DamagedArchive,
    MigrationsDiffer,
    NotAnArchive,
    NotEmpty,
    RestoreFailed,
    RestoreRefused,
    register_rebuild,
    registered_rebuilds,
)
from .checks import Archive, check_archive, check_installation
from .dump import default_filename, write_backup
from .restore import restore_backup
from .rows import applied_migrations, member_for, ordered_models, rows_of, serialize_rows

__all__ = [
    "EXTENSION",
    "MANIFEST",
    "Archive",
    "BackupError",
    "DamagedArchive",
    "MigrationsDiffer",
    "NotAnArchive",
    "NotEmpty",
    "RestoreFailed",
    "RestoreRefused",
    "applied_migrations",
    "check_archive",
    "check_installation",
    "default_filename",
    "member_for",
    "ordered_models",
    "register_rebuild",
    "registered_rebuilds",
    "restore_backup",
    "rows_of",
    "serialize_rows",
    "write_backup",
]
