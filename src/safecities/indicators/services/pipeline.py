"""Running an import: committing its checked rows in batches, all or nothing, taking back what
the batches wrote when one fails, the background worker's run with its progress, and an import
whose worker died found stalled. See docs/imports.md."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import DomainError
from safecities.core.permissions import ensure

from .. import states, summary
from ..bulk import (
    _db_datetime,
    _restore,
    _write_new,
    _write_updates,
)
from ..models import (
    Import,
    Indicator,
    Observation,
    ObservationRevision,
)
from ..rows import ImportRejected, Row
from ..selectors.files import import_rows
from .checks import ImportPlan, _plan, preview_import
from .definitions import _choice, _not_computed

WRITE_BATCH = 2000  # rows per write transaction; progress is reported between batches
# Seconds between two progress reports while writing: each is a write of its own, so a
# million-row import reports after its first batch, then at most once a second, and its last.
REPORT_EVERY = 1.0

Progress = Callable[[str, int, int], None]  # (phase, done, total)

if TYPE_CHECKING:
    from safecities.core.models import User

T = TypeVar("T")


def _batches(items: list[T]) -> Iterator[list[T]]:
    size = WRITE_BATCH
    for i in range(0, len(items), size):
        yield items[i : i + size]


def commit_import(
    actor: User,
    *,
    indicator: Indicator,
    rows: Sequence[Row],
    format: str,
    filename: str = "",
    mapping: dict[str, Any] | None = None,
    import_: Import | None = None,
    progress: Progress | None = None,
    plan: ImportPlan | None = None,
) -> Import:
    """Write `rows` as observations of `indicator`, all or nothing.

    Raises ImportRejected listing every row at fault (nothing is written). Rows for a city the
    actor may not write are faults: a coordinator imports only their own cities. `import_`, when
    given, is the draft or running import (`run_import`) that becomes the committed one; else a
    new one is made. `plan`: the rows' check, when the caller has just made it
    (`preview_import`). `progress("write", done, total)` is called between batches.

    The rows are checked before any transaction opens, then written in batches of WRITE_BATCH
    rows, each its own short transaction (so other requests and the worker never wait long for
    SQLite's write lock), then marked committed. Each batch checks that what it overwrites is
    what the check read. When a batch fails, what the earlier batches wrote is taken back
    (`_take_back`) and the error raised: nothing is imported. See docs/imports.md.
    """
    ensure(actor, "indicators.write_city", field="file")
    _not_computed(indicator, "file")
    _choice(format, Import.Format, "format")
    if plan is None:
        plan = _plan(actor, indicator, rows)
    if plan.errors:
        raise ImportRejected(plan.errors)
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    counts = {
        "created_count": len(plan._new),
        "updated_count": len(plan._updated),
        "unchanged_count": plan.count("unchanged"),
        "row_count": len(rows),
    }
    created = import_ is None
    with transaction.atomic():
        if import_ is None:
            import_ = Import.objects.create(
                indicator=indicator,
                format=format,
                filename=(filename or "")[:255],
                mapping=mapping or {},
                created_by=user,
                status=Import.Status.RUNNING,
                **counts,
            )
        else:
            # the worker's run (`run_import`), claimed: not over a failure, an import given up
            # as stalled meanwhile writes nothing
            if not Import.objects.filter(pk=import_.pk, status=Import.Status.RUNNING).update(
                **counts
            ):
                raise ImportGivenUp(_stalled_message())
            for name, value in counts.items():
                setattr(import_, name, value)
        import_.municipalities.set(sorted({c.municipality_id for c in plan.changes}))
    writes = len(plan._new) + len(plan._updated)
    stamp, user_id = _db_datetime(now), getattr(user, "pk", None)
    done = 0
    try:
        for batch in _batches(plan._new):
            _retrying(partial(_write_new, indicator, import_, stamp, user_id, batch))
            done += len(batch)
            if progress is not None:
                progress(Import.Phase.WRITE, done, writes)
        for batch in _batches(plan._updated):
            _retrying(partial(_atomic, partial(_write_updates, import_, stamp, user_id, batch)))
            done += len(batch)
            if progress is not None:
                progress(Import.Phase.WRITE, done, writes)

        def finish() -> None:
            with transaction.atomic():
                # not over a failure: an import given up as stalled meanwhile stays failed, and
                # what its batches wrote is taken back below
                if not states.move_import(
                    Import.objects.filter(pk=import_.pk),
                    Import.Status.COMMITTED,
                    finished_at=now,
                    error="",
                ):
                    raise ImportGivenUp(_stalled_message())
                audit.record(
                    actor=actor,
                    action="indicators.import.commit",
                    target=import_,
                    changes={
                        "indicator": [None, indicator.code],
                        "format": [None, format],
                        "filename": [None, import_.filename],
                        "created": [None, import_.created_count],
                        "updated": [None, import_.updated_count],
                        "unchanged": [None, import_.unchanged_count],
                    },
                )

        _retrying(finish)
    except BaseException:
        _retrying(lambda: _take_back(import_))
        if created:
            Import.objects.filter(pk=import_.pk).delete()
        raise
    states.IMPORT.move(import_, Import.Status.COMMITTED)
    import_.finished_at, import_.error = now, ""
    return import_


def _atomic(write: Callable[[], object]) -> None:
    with transaction.atomic():
        write()


LOCK_RETRIES = 5  # further tries of a write refused because the database stayed locked


def _retrying(write: Callable[[], object]) -> None:
    """Run `write` (its own transaction), again when SQLite's write lock stayed taken past the
    busy timeout (another process writing long); other errors are raised at once."""
    from django.db import OperationalError

    from safecities.core.errors import is_database_locked

    for attempt in range(LOCK_RETRIES + 1):
        try:
            write()
            return
        except OperationalError as exc:
            nested = transaction.get_connection().in_atomic_block
            if attempt == LOCK_RETRIES or nested or not is_database_locked(exc):
                raise


def _take_back(import_: Import) -> None:
    """Undo what a failed import's batches wrote, in batches: its revisions give back the
    values it overwrote (and are deleted, as is the import's place list: nothing happened),
    the observations it created are deleted. Observations changed by someone else since are
    left as they are."""
    while True:
        with transaction.atomic():
            revisions = list(
                ObservationRevision.objects.filter(made_by_import=import_)
                .select_related("observation")
                .order_by("id")[:WRITE_BATCH]
            )
            if not revisions:
                break
            _restore(r for r in revisions if r.observation.source_import_id == import_.pk)
            ObservationRevision.objects.filter(pk__in=[r.pk for r in revisions]).delete()
    while True:
        with transaction.atomic():
            taken = list(
                Observation.objects.filter(
                    created_by_import=import_, source_import=import_
                ).values_list("pk", "municipality_id", "district", "period_start")[:WRITE_BATCH]
            )
            if not taken:
                break
            Observation.objects.filter(pk__in=[pk for pk, *_cell in taken]).delete()
            whole_city = [(city, start) for _pk, city, district, start in taken if not district]
            if whole_city:
                summary.refresh(
                    import_.indicator_id,
                    municipalities={city for city, _start in whole_city},
                    period_starts={start for _city, start in whole_city},
                )
    with transaction.atomic():
        import_.municipalities.clear()
        Import.objects.filter(pk=import_.pk).update(
            created_count=0, updated_count=0, unchanged_count=0
        )


def _report(import_id: int, phase: str, done: int, total: int) -> None:
    """Progress of a running import on its row, with when it was made (see `fail_if_stalled`),
    in its own short transaction, so every process of every server reads it at once: while
    checking (no transaction is open) and between two write batches (each batch's transaction
    has ended, so on SQLite nobody holds the write lock). A report the database's lock refuses
    is left out (the next one, or the end, says more). An import given up as stalled meanwhile
    stops here and writes nothing (its batches so far are taken back)."""
    from django.db import OperationalError

    from safecities.core.errors import is_database_locked

    try:
        moved = Import.objects.filter(pk=import_id, status=Import.Status.RUNNING).update(
            phase=phase,
            progress_done=done,
            progress_total=total,
            progressed_at=timezone.now(),
        )
    except OperationalError as exc:
        if not is_database_locked(exc) or transaction.get_connection().in_atomic_block:
            raise
        return
    if not moved:  # given up as stalled meanwhile (`fail_if_stalled`): stop, write nothing
        raise ImportGivenUp(_stalled_message())


def _every_second(import_id: int) -> Progress:
    """`_report` for the write phase: after the first batch, at most every REPORT_EVERY
    seconds, and after the last (the row's `progressed_at` stays fresh for `fail_if_stalled`;
    an import given up meanwhile stops at the next report)."""
    last: float | None = None

    def report(phase: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if last is not None and done < total and now - last < REPORT_EVERY:
            return
        last = now
        _report(import_id, phase, done, total)

    return report


def _report_check(import_id: int, done: int, total: int) -> None:
    _report(import_id, Import.Phase.CHECK, done, total)


def run_import(import_id: int) -> str:
    """Run a queued import: check every row, then commit all or nothing, reporting progress on
    the import's row in both phases (`_report`). On a refusal the import is `failed`
    and `error` names the rows or cells at fault; nothing is written. Returns the new status."""
    claimed = 0

    def claim() -> None:
        nonlocal claimed
        claimed = states.move_import(
            Import.objects.filter(pk=import_id, status=Import.Status.QUEUED),
            Import.Status.RUNNING,
            phase=Import.Phase.CHECK,
            progress_done=0,
            progressed_at=timezone.now(),
        )

    _retrying(claim)
    if not claimed:
        return Import.objects.filter(pk=import_id).values_list("status", flat=True).first() or ""
    import_ = Import.objects.select_related("indicator", "created_by").get(pk=import_id)
    actor = import_.created_by
    try:
        if actor is None or not actor.is_active:
            raise NotAllowedToRun(_("The person who started this import can no longer import."))
        rows = import_rows(import_)
        total = len(rows)
        _report_check(import_id, 0, total)
        plan = preview_import(
            actor,
            indicator=import_.indicator,
            rows=rows,
            progress=lambda done: _report_check(import_id, done, total),
        )
        if plan.errors:
            raise ImportRejected(plan.errors)
        _report_check(import_id, total, total)
        _report(import_id, Import.Phase.WRITE, 0, len(plan._new) + len(plan._updated))
        commit_import(
            actor,
            indicator=import_.indicator,
            rows=rows,
            plan=plan,
            format=import_.format,
            filename=import_.filename,
            mapping=import_.mapping,
            import_=import_,
            progress=_every_second(import_id),
        )
    except ImportGivenUp:
        return Import.Status.FAILED  # failed already, saying why
    except DomainError as exc:
        _fail(import_, exc.message)
        return Import.Status.FAILED
    except Exception:
        _fail(import_, _("The import stopped on an unexpected error; nothing was imported."))
        raise
    _retrying(lambda: Import.objects.filter(pk=import_id).update(phase="", progress_done=total))
    return Import.Status.COMMITTED


class NotAllowedToRun(DomainError):
    field = "file"


def _fail(import_: Import, message: str) -> None:
    """The run ends `failed`, saying why, and the failure is audited like every other outcome
    (in the same transaction: a failure not recorded is not marked either)."""

    def fail() -> None:
        with transaction.atomic():
            if states.move_import(
                Import.objects.filter(pk=import_.pk),
                Import.Status.FAILED,
                error=message,
                phase="",
                finished_at=timezone.now(),
            ):
                audit.record(
                    actor=import_.created_by,
                    action="indicators.import.fail",
                    target=import_,
                    changes={
                        "status": [Import.Status.RUNNING, Import.Status.FAILED],
                        "error": [None, message],
                    },
                )

    _retrying(fail)


class ImportGivenUp(DomainError):
    """A running import was taken for stalled and failed meanwhile: its worker stops."""

    field = "file"


def _stalled_message() -> str:
    from django.conf import settings

    return _(
        "The import stopped without finishing: nothing has moved on for more than %(minutes)d "
        "minutes (its background worker stopped). Nothing was imported; upload the file again."
    ) % {"minutes": settings.STALLED_TASK_MINUTES}


def fail_if_stalled(import_: Import, *, now: datetime | None = None) -> Import:
    """An import `running` without progress for STALLED_TASK_MINUTES has lost its worker (the
    process died): it ends `failed`, saying so, and what its batches wrote before the worker
    stopped is taken back. Asked when its page is read; returns the import as it now is."""
    from django.conf import settings

    if not import_.is_running:
        return import_
    now = now or timezone.now()
    last = import_.progressed_at or import_.created_at  # its last report, else when it was made
    if last is not None and last >= now - timedelta(minutes=settings.STALLED_TASK_MINUTES):
        return import_
    failed = states.move_import(
        Import.objects.filter(
            pk=import_.pk, status=Import.Status.RUNNING, progressed_at=import_.progressed_at
        ),
        Import.Status.FAILED,
        error=_stalled_message(),
        phase="",
        finished_at=now,
    )
    if failed:
        # the batches a dead worker wrote before it stopped are taken back: nothing imported
        _retrying(lambda: _take_back(import_))
        _retrying(
            lambda: audit.record(
                actor=None,
                action="indicators.import.stalled",
                target=import_,
                changes={"status": [Import.Status.RUNNING, Import.Status.FAILED]},
            )
        )
    import_.refresh_from_db()
    return import_
