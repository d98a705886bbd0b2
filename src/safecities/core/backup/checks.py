"""Checking an archive, and the installation it would go into, before a restore changes anything."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from .base import (
    COPY_BYTES,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    VERSION,
    DamagedArchive,
    MigrationsDiffer,
    NotAnArchive,
    NotEmpty,
    Progress,
)
from .rows import _natural, applied_migrations, ordered_models

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
