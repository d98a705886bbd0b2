"""Backup archives: their format's names, the refusals, and the rebuilds apps register."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..errors import DomainError

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
