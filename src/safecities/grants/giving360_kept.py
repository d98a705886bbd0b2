"""The 360Giving files kept on disk: built once for each state of the data they publish, then
served from the file until that data changes.

Writing every grant anew on each download costs about a millisecond per award (the records
with their joins, then the JSON or CSV text), so a network with a few thousand grants would
spend seconds on each download. 360Giving publishes a data file as one whole file at one
address (the data registry and its Datastore fetch each file whole), so the download is not
paged: the file is kept instead, like the open-data ZIP.

Which file is current is decided on every request by `data_version`, two aggregate queries:
- over the awards published: how many, the newest id, the sum awarded, and the newest
  decision, closure and application change (what the records' `dateModified` and `issued`
  read);
- over the audit trail: the newest event on any kind of record a grant's text is taken from
  (`WATCHED`: an organisation renamed, a programme retitled, a charter goal reworded …);
and the settings written into the file (the identifier prefix, the publisher, the licence).
A file whose version is not on disk is built to a temporary file and moved into place, so a
reader never sees half a file and two builders never mix; the older versions are removed.
Building and serving both go a piece at a time, so neither holds the file in memory.

The file's own "as of" is its `issued` (the newest grant's change) and the response's
`Last-Modified` (when the kept file was written).
"""

import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.http import FileResponse

from safecities.core.models import AuditEvent

from . import giving360, selectors
from .models import Award

# The kinds of record whose audited changes can change a grant's text in the files.
WATCHED = (
    "grants.award",
    "grants.application",
    "grants.partner",
    "grants.programme",
    "grants.programmeline",
    "grants.call",
    "network.organisation",
    "network.municipality",
    "charter.goal",
)
# Raised when what the writers write changes, so files kept by an older release are rebuilt.
FORMAT = 2

BLOCK = 256 * 1024  # bytes read from the kept file at a time

KINDS = {
    "json": ("application/json", "safecities-360giving.json"),
    "csv": ("text/csv; charset=utf-8", "safecities-360giving.csv"),
}


def folder() -> Path:
    return Path(settings.OPEN_DATA_DIR) / "360giving"


def data_version(awards: QuerySet[Award], *, kind: str, license: str) -> str:
    """What the file's content depends on, as a short hash (see the module's text)."""
    state = awards.order_by().aggregate(
        n=Count("pk"),
        last=Max("pk"),
        awarded=Sum("amount_minor"),
        decided=Max("decided_at"),
        closed=Max("closed_at"),
        edited=Max("application__updated_at"),
    )
    audited = AuditEvent.objects.filter(target_type__in=WATCHED).aggregate(last=Max("pk"))
    key = {
        "format": FORMAT,
        "kind": kind,
        "awards": {k: v.isoformat() if isinstance(v, datetime) else v for k, v in state.items()},
        "audited": audited["last"],
        "prefix": settings.GRANTS_360_PREFIX,
        "site": [settings.SITE_URL, settings.SITE_NAME],
        "license": license,
        "database": str(settings.DATABASES["default"]["NAME"]),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]


def _write(kind: str, awards: QuerySet[Award], *, license: str):
    if kind == "json":
        return giving360.package_chunks(awards, license=license)
    return giving360.csv_lines(awards)


def kept_file(
    kind: str, *, illustrative: bool = False, license: str = giving360.DEFAULT_LICENSE
) -> Path:
    """The 360Giving file of `kind` ("json" or "csv") of the awards published
    (`selectors.giving360_awards`) as they are now: the kept file if the data has not changed
    since it was built, else a new one."""
    if kind not in KINDS:
        raise ValueError(f"No 360Giving file of kind {kind!r}.")
    awards = selectors.giving360_awards(illustrative=illustrative)
    stem = f"360giving-{'all' if illustrative else 'real'}-{kind}"
    licence_key = hashlib.sha256(license.encode()).hexdigest()[:8]
    path = folder() / f"{stem}-{licence_key}-{data_version(awards, kind=kind, license=license)}"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, suffix=".part", delete=False
    ) as temporary:
        try:
            for piece in _write(kind, awards, license=license):
                temporary.write(piece)
        except BaseException:
            temporary.close()
            os.unlink(temporary.name)
            raise
    os.replace(temporary.name, path)
    for older in path.parent.glob(f"{stem}-{licence_key}-*"):
        if older != path and not older.name.endswith(".part"):
            older.unlink(missing_ok=True)
    return path


def response(kind: str, *, illustrative: bool = False, attachment: bool = False) -> FileResponse:
    """The kept file as a download, read from disk a block at a time."""
    path = kept_file(kind, illustrative=illustrative)
    media_type, filename = KINDS[kind]
    sent = FileResponse(
        path.open("rb"), content_type=media_type, as_attachment=attachment, filename=filename
    )
    sent.block_size = BLOCK
    built = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    sent["Last-Modified"] = built.strftime("%a, %d %b %Y %H:%M:%S GMT")
    sent["ETag"] = f'"{path.name}"'
    return sent
