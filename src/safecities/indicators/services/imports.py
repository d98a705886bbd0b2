"""The import wizard: upload a file as a draft, map a JSON-stat draft, preview it, commit it now
or in the background, throw a draft away, undo a committed import as a whole."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.permissions import ensure

from .. import states, summary
from ..bulk import _restore
from ..models import (
    Import,
    Indicator,
    Observation,
    ObservationRevision,
)
from ..rows import ImportRejected, RowError, rows_from_csv
from ..selectors.files import UnreadableFile, _decode, _detect_format, import_datasets, import_rows
from ..selectors.imports import runs_in_background
from .checks import ImportPlan, preview_import
from .definitions import _not_computed
from .observations import _revision_of
from .pipeline import run_import

if TYPE_CHECKING:
    from django.core.files import File

    from safecities.core.models import User
    from safecities.network.models import Country


class ImportAlreadyUndone(DomainError):
    status = 409


class ImportNotCommitted(DomainError):
    """Undo, or a result, asked of an import that has not been committed."""


class ImportNotDraft(DomainError):
    """The import has left the draft stage: it can no longer be mapped or committed."""


class UndoConflict(DomainError):
    """A later change touched what the import wrote; undoing it would lose that change."""

    status = 409


@transaction.atomic
def undo_import(import_: Import, *, actor: User) -> Import:
    """Undo an import as a whole: delete the observations it created and restore those it
    updated to what its revisions hold. Refused if anything it wrote has changed since."""
    ensure(actor, "indicators.undo_import", import_)
    import_ = Import.objects.select_for_update().get(pk=import_.pk)
    if import_.is_undone:
        raise ImportAlreadyUndone(_("This import has already been undone."))
    if not states.IMPORT.may_move(import_, Import.Status.UNDONE):
        raise ImportNotCommitted(_("Only a committed import can be undone."))
    created = Observation.objects.filter(created_by_import=import_)
    revisions = list(
        ObservationRevision.objects.filter(made_by_import=import_)
        .select_related("observation")
        .order_by("id")
    )
    changed_since = created.exclude(source_import=import_).count() + sum(
        1 for r in revisions if r.observation.source_import_id != import_.pk
    )
    if changed_since:
        raise UndoConflict(
            _(
                "%(n)s of the import's observations have changed since; undoing it would lose "
                "those changes."
            )
            % {"n": changed_since}
        )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    deleted = created.count()
    whole_city = list(created.filter(district="").values_list("municipality_id", "period_start"))
    created.delete()
    # Undoing is itself a change: each restored observation gets a revision holding the
    # value the import had written, so the history reads value → import → undo.
    ObservationRevision.objects.bulk_create(
        [_revision_of(r.observation, actor=user, import_=None, now=now) for r in revisions],
        batch_size=500,
    )
    _restore(revisions)  # and the summary of the cities restored
    summary.refresh(
        import_.indicator_id,
        municipalities={city for city, _start in whole_city},
        period_starts={start for _city, start in whole_city},
    )
    states.IMPORT.move(import_, Import.Status.UNDONE)
    import_.undone_at = now
    import_.undone_by = user
    import_.save(update_fields=["status", "undone_at", "undone_by"])
    audit.record(
        actor=actor,
        action="indicators.import.undo",
        target=import_,
        changes={"deleted": [None, deleted], "restored": [None, len(revisions)]},
    )
    return import_


# --- the import wizard: a stored file, its mapping, committing now or in the background ----
#
# Upload: the file is read and checked (CSV: every row, against the user's cities; JSON-stat:
# that it is JSON-stat), and only then stored with a `draft` import; a bad file stores nothing.
# A JSON-stat draft is then mapped (dataset, place and time dimensions, content code). Committing
# runs `run_import` at once for up to INDICATOR_IMPORT_IN_REQUEST_ROWS rows, or queues it for the
# worker (`tasks.run_import`).
#
# Progress while running, readable by any other request on any server: both phases write it to
# the import's row (`phase`, `progress_done`, `progress_total`, `progressed_at`), each report its
# own short transaction (the write phase between its batches); `selectors.import_progress`
# reads it.


def _ensure_draft(import_: Import) -> None:
    if not import_.is_draft:
        raise ImportNotDraft(
            _("This import is %(status)s: it can no longer be changed or committed.")
            % {"status": import_.get_status_display().lower()}
        )


def upload_import(
    actor: User, *, indicator: Indicator, upload: File, country: Country | str | None = None
) -> Import:
    """Check an uploaded file and keep it as a draft import of `indicator`.

    A CSV file is checked whole (every row, against the cities the actor may write); a JSON-stat
    file is checked to be JSON-stat, its rows once mapped (`map_import`). Raises UnreadableFile,
    JsonStatError or ImportRejected naming the line or cell; then nothing is stored. The file is
    read and checked before any transaction opens (a large one takes seconds, and SQLite's write
    lock must not be held meanwhile); the draft is then saved in one short transaction.
    """
    from django.conf import settings
    from django.core.files.base import ContentFile

    from .. import jsonstat

    ensure(actor, "indicators.write_city", field="file")
    _not_computed(indicator, "file")
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    data = upload.read(settings.INDICATOR_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.INDICATOR_IMPORT_MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.INDICATOR_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    format = _detect_format(name, data)
    text = _decode(data)
    code = getattr(country, "code", country) or ""
    mapping: dict[str, Any] = {"country": code}
    row_count = None
    if format == Import.Format.CSV:
        rows = rows_from_csv(text, country=code or None)
        plan = preview_import(actor, indicator=indicator, rows=rows)
        if plan.errors:
            raise ImportRejected(plan.errors)
        row_count = len(rows)
    else:
        datasets = jsonstat.loads(text)
        mapping["dataset"] = 0 if len(datasets) == 1 else None
    import_ = Import(
        indicator=indicator,
        format=format,
        filename=name,
        mapping=mapping,
        status=Import.Status.DRAFT,
        row_count=row_count,
        created_by=actor,
    )
    import_.file.save(name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            import_.save()
            audit.record(
                actor=actor,
                action="indicators.import.upload",
                target=import_,
                changes={
                    "indicator": [None, indicator.code],
                    "format": [None, format],
                    "filename": [None, name],
                },
            )
    except BaseException:
        import_.file.storage.delete(import_.file.name)
        raise
    return import_


def map_import(
    import_: Import,
    *,
    actor: User,
    dataset: int,
    geo_dimension: str,
    time_dimension: str,
    fixed: dict[str, str],
    country: Country | str | None,
) -> ImportPlan:
    """Map a JSON-stat draft: which dimension holds the municipalities (official codes of
    `country`), which the periods, and the category chosen of every other dimension (the
    content code among them). Checks every cell; raises ImportRejected naming each cell at fault
    (the mapping is then not saved). Returns the preview."""
    ensure(actor, "indicators.continue_import", import_)
    import_ = Import.objects.get(pk=import_.pk)
    _ensure_draft(import_)
    datasets = import_datasets(import_)
    if not 0 <= dataset < len(datasets):
        raise InvalidInput(_("Choose one of the file's datasets."), field="dataset")
    metric = [d for d in datasets[dataset].role_of("metric") if d in fixed]
    fixed = dict(fixed)
    content_dimension = metric[0] if metric else ""
    content_code = fixed.pop(content_dimension, "") if content_dimension else ""
    code = getattr(country, "code", country) or ""
    mapping = {
        "country": code,
        "dataset": dataset,
        "geo_dimension": geo_dimension,
        "time_dimension": time_dimension,
        "content_dimension": content_dimension,
        "content_code": content_code,
        "fixed": fixed,
    }
    import_.mapping = mapping
    rows = import_rows(import_)
    plan = preview_import(actor, indicator=import_.indicator, rows=rows)
    if plan.errors:
        raise ImportRejected(plan.errors)
    # The file was read and checked above, outside any transaction; only the mapping is saved
    # under the write lock, if the import is still a draft.
    with transaction.atomic():
        import_ = Import.objects.select_for_update().get(pk=import_.pk)
        _ensure_draft(import_)
        import_.mapping = mapping
        import_.row_count = len(rows)
        import_.save(update_fields=["mapping", "row_count"])
        audit.record(
            actor=actor,
            action="indicators.import.map",
            target=import_,
            changes={"mapping": [None, mapping]},
        )
    return plan


def preview_stored_import(import_: Import, *, actor: User) -> ImportPlan:
    """What committing a draft would do now, and every error (each naming its row or cell)."""
    from ..jsonstat import JsonStatError

    ensure(actor, "indicators.continue_import", import_)
    try:
        rows = import_rows(import_)
    except ImportRejected as exc:
        return ImportPlan(errors=exc.errors)
    except JsonStatError as exc:
        return ImportPlan(errors=[RowError(_("file"), None, exc.message)])
    return preview_import(actor, indicator=import_.indicator, rows=rows)


def commit_stored_import(import_: Import, *, actor: User) -> Import:
    """Commit a draft: at once when small, else queued for the worker (see `run_import`).
    All or nothing either way; a failure leaves the import `failed` with the reason."""
    ensure(actor, "indicators.continue_import", import_)
    with transaction.atomic():
        import_ = Import.objects.select_for_update().get(pk=import_.pk)
        _ensure_draft(import_)
        states.IMPORT.move(import_, Import.Status.QUEUED)
        import_.phase, import_.progress_done = "", 0
        import_.progress_total = import_.row_count or 0
        fields = ["status", "phase", "progress_done", "progress_total"]
        background = runs_in_background(import_)
        if background:
            from ..tasks import run_import as task

            import_.task_id = str(task.enqueue(import_.pk).id)[:64]
            fields.append("task_id")
        import_.save(update_fields=fields)
    if not background:
        run_import(import_.pk)
    import_.refresh_from_db()
    return import_


@transaction.atomic
def discard_import(import_: Import, *, actor: User) -> None:
    """Throw away a draft import and its stored file; nothing else was written."""
    ensure(actor, "indicators.continue_import", import_)
    import_ = Import.objects.select_for_update().get(pk=import_.pk)
    _ensure_draft(import_)
    audit.record(
        actor=actor,
        action="indicators.import.discard",
        target=import_,
        changes={"filename": [import_.filename, None]},
    )
    name = import_.file.name
    storage = import_.file.storage
    import_.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
