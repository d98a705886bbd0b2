"""Every dataset at once: a Frictionless Data Package (`datapackage.json`) describing each file,
a README, and one ZIP holding them with every file and schema.

Paths inside the ZIP are those of the downloads under /open-data/ (`<dataset>/<file>`), so
`datapackage.json` read from the site or from the unpacked ZIP finds the same files.
"""

import io
import zipfile
from datetime import UTC, datetime

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


def zip_bytes() -> bytes:
    """The ZIP of every file and schema, with `datapackage.json` and `README.md`."""
    changes = last_changes()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for d in registry.datasets():
            for f in d.files:
                archive.writestr(file_path(d, f.filename), f.content())
                if f.schema.build:
                    archive.writestr(
                        file_path(d, f.schema.filename), f.schema.text().encode("utf-8")
                    )
        archive.writestr("datapackage.json", registry.json_text(datapackage(changes)))
        archive.writestr("README.md", readme(changes))
    return out.getvalue()
