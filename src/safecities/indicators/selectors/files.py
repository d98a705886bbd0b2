"""An import's stored file: reading it as text (CSV or JSON-stat, UTF-8), its datasets and its
rows as mapped."""

from __future__ import annotations

from django.utils.translation import gettext as _

from safecities.core.errors import DomainError

from .. import jsonstat
from ..models import (
    Import,
)
from ..rows import ImportRejected, Row, RowError, rows_from_csv, rows_from_jsonstat


class UnreadableFile(DomainError):
    """The upload is not a CSV or JSON-stat file we can read."""

    field = "file"


def _detect_format(name: str, data: bytes) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == "json" or (suffix not in ("csv", "txt") and head[:1] == b"{"):
        return Import.Format.JSONSTAT
    if suffix in ("csv", "txt"):
        return Import.Format.CSV
    raise UnreadableFile(
        _(
            "The file %(name)s is neither CSV (.csv) nor JSON-stat (.json): upload the table as "
            "one of those."
        )
        % {"name": name}
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("The file is not text: upload a CSV or JSON-stat file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("The file is not UTF-8 text (byte %(n)s): save it as UTF-8 and upload it again.")
            % {"n": exc.start + 1}
        ) from exc


def _read_file(import_: Import) -> str:
    with import_.file.open("rb") as handle:
        return _decode(handle.read())


def import_datasets(import_: Import) -> list[jsonstat.Dataset]:
    """The JSON-stat datasets of a stored import's file."""
    return jsonstat.loads(_read_file(import_))


def import_rows(import_: Import) -> list[Row]:
    """The rows of a stored import's file as mapped. Raises ImportRejected or JsonStatError."""
    mapping = import_.mapping or {}
    country = mapping.get("country") or None
    if import_.format == Import.Format.CSV:
        return rows_from_csv(_read_file(import_), country=country)
    datasets = import_datasets(import_)
    dataset = mapping.get("dataset")
    if dataset is None or "geo_dimension" not in mapping:
        raise ImportRejected(
            [RowError(_("mapping"), None, _("Map the file's dimensions first."))],
            field="mapping",
        )
    if not 0 <= dataset < len(datasets):
        raise ImportRejected([RowError(_("mapping"), "dataset", _("No such dataset."))])
    return rows_from_jsonstat(
        datasets[dataset],
        geo_dimension=mapping["geo_dimension"],
        time_dimension=mapping["time_dimension"],
        content_dimension=mapping.get("content_dimension") or None,
        content_code=mapping.get("content_code") or None,
        country=country or "",
        fixed=mapping.get("fixed") or {},
    )
