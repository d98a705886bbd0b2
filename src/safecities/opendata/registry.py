"""The open datasets: one entry per dataset, each with its files and each file with its schema.

Filled by `datasets.register_all()` from the app's `ready()`; the page, the downloads, the ZIP
and its `datapackage.json` all read this one list, so a dataset added here is published
everywhere at once.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.functional import Promise


@dataclass(frozen=True)
class Schema:
    """What a file's structure is described by: a schema file served beside it (`filename`,
    made by `build`), and/or a published standard (`standard`, `url`)."""

    filename: str = ""
    build: Callable[[], dict] | None = None
    standard: str = ""  # e.g. "JSON-stat 2.0"
    url: str = ""  # the standard's address
    kind: str = "json-schema"  # "table-schema", "json-schema" or "standard"

    @property
    def served(self) -> bool:
        """Whether a schema file is served beside the data: asked by the page, which must not
        ask `build` (a template calls what it is given, and would build every schema)."""
        return bool(self.filename and self.build)

    def text(self) -> str:
        return json_text(self.build())


PIECE = 64 * 1024  # characters of a file written out at a time


@dataclass(frozen=True)
class DataFile:
    filename: str
    format: str  # what the page names it: "CSV", "JSON", "iCalendar", ...
    media_type: str
    # The file's text or bytes, or its text in pieces (a line, a record), written as read.
    write: Callable[[], str | bytes | Iterable[str]]
    schema: Schema

    @property
    def tabular(self) -> bool:
        return self.media_type.startswith("text/csv")

    def chunks(self) -> Iterator[bytes]:
        """The file as UTF-8 bytes, in pieces of about `PIECE` characters (a file written a
        line at a time is gathered into pieces, so that whoever writes it out, the ZIP's
        compressor or the response, does so a few times per file rather than per line)."""
        data = self.write()
        if isinstance(data, str | bytes):
            data = [data]
        gathered, size = [], 0
        for piece in data:
            if isinstance(piece, bytes):
                piece = piece.decode("utf-8")
            gathered.append(piece)
            size += len(piece)
            if size >= PIECE:
                yield "".join(gathered).encode("utf-8")
                gathered, size = [], 0
        if gathered:
            yield "".join(gathered).encode("utf-8")

    def content(self) -> bytes:
        return b"".join(self.chunks())


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    last_change: Callable[[], datetime | None]
    has_records: Callable[[], bool]
    files: tuple[DataFile, ...] = field(default_factory=tuple)

    def file(self, filename: str) -> DataFile | None:
        return next((f for f in self.files if f.filename == filename), None)

    def schema_file(self, filename: str) -> Schema | None:
        return next(
            (f.schema for f in self.files if f.schema.build and f.schema.filename == filename),
            None,
        )


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in _DATASETS:
        raise ValueError(f"The dataset {dataset.slug!r} is registered twice.")
    _DATASETS[dataset.slug] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return list(_DATASETS.values())


def dataset(slug: str) -> Dataset | None:
    return _DATASETS.get(slug)


def licence() -> dict:
    """The licence every dataset is published under: {"name", "title", "path"} (setting
    `SAFECITIES_OPEN_DATA_LICENCE`), in the shape a Data Package lists licences."""
    return dict(settings.SAFECITIES_OPEN_DATA_LICENCE)


def json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
