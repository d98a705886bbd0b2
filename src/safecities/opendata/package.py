"""Every dataset at once: a Frictionless Data Package (`datapackage.json`) describing each file,
a README, and one ZIP holding them with every file and schema.

Paths inside the ZIP are those of the downloads under /open-data/ (`<dataset>/<file>`), so
`datapackage.json` read from the site or from the unpacked ZIP finds the same files.

The ZIP is written to a file on disk, a piece of each file at a time (`DataFile.chunks`), and
kept there (`settings.OPEN_DATA_DIR`) under its data version: the hash of every dataset's last
change. The next download is that file, until some dataset changes and the version with it; a
newer build removes the older files.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from . import registry

ZIP_NAME = "safecities-open-data.zip"
PACKAGE_NAME = "safecities-open-data"


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def file_path(dataset: registry.Dataset, filename: str) -> str:
    return f"{dataset.slug}/{filename}"


def _resource(dataset: registry.Dataset, data_file: registry.DataFile) -> dict:
    schema = data_file.schema
    stem, _dot, extension = data_file.filename.rpartition(".")
    resource = {
        "name": f"{stem.replace('.', '-')}-{extension}".lower(),
        "path": file_path(dataset, data_file.filename),
        "title": f"{dataset.title} ({data_file.format})",
        "description": str(dataset.description),
        "format": extension,
        "mediatype": data_file.media_type.split(";")[0],
        "encoding": "utf-8",
    }
    if data_file.tabular:
        resource["profile"] = "tabular-data-resource"
        resource["dialect"] = {"delimiter": ",", "header": True}
        resource["schema"] = schema.build()
    else:
        resource["profile"] = "data-resource"
        if schema.build:
            resource["schema"] = file_path(dataset, schema.filename)
    if schema.standard:
        resource["conformsTo"] = {"title": schema.standard, "path": schema.url}
    return resource


def datapackage(changes: dict[str, datetime | None] | None = None) -> dict:
    """The Data Package descriptor of every dataset's files, in English."""
    with translation.override("en"):
        changes = changes if changes is not None else last_changes()
        resources = [
            {**_resource(d, f), "lastModified": _iso(changes.get(d.slug))}
            for d in registry.datasets()
            for f in d.files
        ]
        return {
            "profile": "data-package",
            "name": PACKAGE_NAME,
            "title": f"{settings.SITE_NAME}: open data",
            "homepage": settings.SITE_URL.rstrip("/") + reverse("opendata:index"),
            "licenses": [registry.licence()],
            "created": _iso(timezone.now()),
            "resources": resources,
        }


def last_changes() -> dict[str, datetime | None]:
    return {d.slug: d.last_change() for d in registry.datasets()}


def readme(changes: dict[str, datetime | None]) -> str:
    """A plain-text README: what each dataset is, its files, licence and last change."""
    licence = registry.licence()
    with translation.override("en"):
        lines = [
            f"# {settings.SITE_NAME}: open data",
            "",
            f"Licence: {licence['title']} ({licence['path']})",
            f"Published: {_iso(timezone.now())}",
            "",
            "datapackage.json describes every file (a Frictionless Data Package): each CSV with "
            "its Table Schema, each JSON file with its JSON Schema or the standard it follows.",
        ]
        for d in registry.datasets():
            lines += [
                "",
                f"## {d.title}",
                "",
                str(d.description),
                "",
                f"Last change: {_iso(changes.get(d.slug)) or 'none'}",
                f"Licence: {licence['title']}",
                "",
            ]
            for f in d.files:
                described = f.schema.filename or f"{f.schema.standard}, {f.schema.url}"
                lines.append(f"- {file_path(d, f.filename)} ({f.format}): {described}")
        return "\n".join(lines) + "\n"


def write_zip(out, changes: dict[str, datetime | None] | None = None) -> None:
    """The ZIP of every file and schema, with `datapackage.json` and `README.md`, written to
    `out` (a file open for writing bytes) a piece at a time."""
    changes = changes if changes is not None else last_changes()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for d in registry.datasets():
            for f in d.files:
                # force_zip64: the size is not known before the file is written
                with archive.open(file_path(d, f.filename), "w", force_zip64=True) as member:
                    for piece in f.chunks():
                        member.write(piece)
                if f.schema.build:
                    archive.writestr(
                        file_path(d, f.schema.filename), f.schema.text().encode("utf-8")
                    )
        archive.writestr("datapackage.json", registry.json_text(datapackage(changes)))
        archive.writestr("README.md", readme(changes))


def data_version(changes: dict[str, datetime | None]) -> str:
    """What the ZIP's content depends on, as a short hash: each dataset's last change, the
    licence and the site's address and name."""
    key = {
        "changes": {
            slug: moment and moment.isoformat() for slug, moment in sorted(changes.items())
        },
        "licence": registry.licence(),
        "site": [settings.SITE_URL, settings.SITE_NAME],
        "database": str(settings.DATABASES["default"]["NAME"]),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]


def zip_path() -> Path:
    """The ZIP of the data as it is now: the kept file when the data has not changed since it
    was built, else a new one, built to a temporary file and then moved into place (so a
    reader never sees half a file), the older ones removed."""
    changes = last_changes()
    folder = Path(settings.OPEN_DATA_DIR)
    path = folder / f"{PACKAGE_NAME}-{data_version(changes)}.zip"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as temporary:
        try:
            write_zip(temporary, changes)
        except BaseException:
            temporary.close()
            os.unlink(temporary.name)
            raise
    os.replace(temporary.name, path)
    for older in folder.glob(f"{PACKAGE_NAME}-*.zip"):
        if older != path:
            older.unlink(missing_ok=True)
    return path


def zip_bytes() -> bytes:
    """The ZIP's bytes (for tests and small data; the download serves `zip_path`)."""
    return zip_path().read_bytes()
