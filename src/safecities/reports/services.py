"""Building the reports' PDFs: asked for by a reader, built in the background, kept until the
data changes (see `models.ReportFile`). Every status move goes through `states.REPORT_FILE`."""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safecities.core.audit import record
from safecities.core.errors import InvalidInput

from . import documents, selectors
from .models import ReportFile
from .pdf import html_to_pdf, page_count
from .states import REPORT_FILE

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

log = logging.getLogger(__name__)

STEPS = ("gather", "render", "layout", "save")


def request_pdf(
    *,
    actor: AbstractBaseUser | AnonymousUser,
    kind: str,
    subject: str,
    year: int = 0,
    language: str,
) -> ReportFile:
    """The PDF of a report at today's data: the one already built or being built, or a new one
    queued for the background worker. A failed build is queued again."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the platform's languages."), field="language")
    documents.check(kind, subject, year)  # the report exists, or InvalidInput naming the field
    version = selectors.data_version()
    lookup = {"kind": kind, "subject": subject, "year": year, "language": language}
    existing = ReportFile.objects.filter(**lookup, version=version).first()
    if existing:
        existing = fail_if_stalled(existing)  # a build whose worker died is built again
    if existing and existing.status != ReportFile.Status.FAILED:
        return existing
    try:
        with transaction.atomic():
            if existing:
                existing.delete()
            report_file = ReportFile.objects.create(**lookup, version=version)
            record(
                actor=actor,
                action="reports.pdf.request",
                target=report_file,
                changes={"status": [None, report_file.status]},
            )
            # queued in the same transaction (django-tasks' database queue): the build and the
            # request for it are written together, so a queue that cannot be written leaves no
            # request waiting for ever, and a request that rolls back queues nothing
            _enqueue(report_file)
    except IntegrityError:  # another reader asked for the same one a moment ago
        return ReportFile.objects.get(**lookup, version=version)
    return report_file


def _enqueue(report_file: ReportFile) -> None:
    from .tasks import build_pdf as task

    result = task.enqueue(report_file.pk)
    ReportFile.objects.filter(pk=report_file.pk).update(task_id=str(result.id)[:64])


class GivenUp(Exception):
    """The build was taken for stalled and failed meanwhile (`fail_if_stalled`): stop."""


UNDERWAY = (ReportFile.Status.QUEUED, ReportFile.Status.RUNNING)


def _step(report_file: ReportFile, step: str) -> None:
    report_file.step = step
    report_file.progress_done = STEPS.index(step)
    moved = REPORT_FILE.move_all(
        ReportFile.objects.filter(pk=report_file.pk),
        ReportFile.Status.RUNNING,
        step=step,
        progress_done=report_file.progress_done,
        progress_total=len(STEPS),
        progressed_at=timezone.now(),
    )
    if not moved:
        raise GivenUp


def fail_if_stalled(report_file: ReportFile, *, now: datetime | None = None) -> ReportFile:
    """A build `running` without progress for STALLED_TASK_MINUTES has lost its worker (the
    process died): it ends `failed`, saying so, and may be asked for again. Asked when its
    status is read; returns the row as it now is."""
    if report_file.status != ReportFile.Status.RUNNING:
        return report_file
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.STALLED_TASK_MINUTES)
    error = _(
        "The build stopped without finishing: nothing has moved on for more than %(minutes)d "
        "minutes (its background worker stopped). Try again."
    ) % {"minutes": settings.STALLED_TASK_MINUTES}
    with transaction.atomic():
        stalled = ReportFile.objects.filter(
            pk=report_file.pk, status=ReportFile.Status.RUNNING
        ).filter(Q(progressed_at__lt=cutoff) | Q(progressed_at__isnull=True, created_at__lt=cutoff))
        failed = REPORT_FILE.move_all(
            stalled, ReportFile.Status.FAILED, error=error, finished_at=now
        )
        if failed:
            record(
                actor=None,
                action="reports.pdf.stalled",
                target=report_file,
                changes={"status": [ReportFile.Status.RUNNING, ReportFile.Status.FAILED]},
            )
    if failed:
        report_file.refresh_from_db()
    return report_file


def build_pdf(report_file_id: int) -> str:
    """Build a queued PDF, step by step, each step written to its row for the progress page
    (no transaction is held meanwhile). Returns the status it ends in."""
    report_file = ReportFile.objects.get(pk=report_file_id)
    if report_file.status not in UNDERWAY:  # built, or given up as stalled
        return report_file.status
    outcome = ReportFile.Status.DONE
    try:
        with translation.override(report_file.language):
            _step(report_file, "gather")
            context = documents.context(report_file.kind, report_file.subject, report_file.year)
            _step(report_file, "render")
            html = render_to_string(documents.pdf_template(report_file.kind), context)
            _step(report_file, "layout")
            pdf = html_to_pdf(html)
            _step(report_file, "save")
        report_file.pdf.save("report.pdf", ContentFile(pdf), save=False)
        report_file.pages = page_count(pdf)
        report_file.progress_done = len(STEPS)
        report_file.error = ""
    except GivenUp:
        return ReportFile.Status.FAILED
    except Exception as exc:  # a failed build says why and may be asked for again
        log.exception("Building report file %s failed", report_file_id)
        outcome = ReportFile.Status.FAILED
        report_file.error = str(exc)[:1000] or exc.__class__.__name__
    report_file.finished_at = timezone.now()
    with transaction.atomic():
        ended = REPORT_FILE.move_all(
            ReportFile.objects.filter(pk=report_file.pk),
            outcome,
            pdf=report_file.pdf.name or "",
            pages=report_file.pages,
            progress_done=report_file.progress_done,
            error=report_file.error,
            finished_at=report_file.finished_at,
        )
        if not ended:  # given up as stalled meanwhile: that stands, the file goes
            if report_file.pdf:
                name, storage = report_file.pdf.name, report_file.pdf.storage
                transaction.on_commit(lambda: storage.delete(name))
            return ReportFile.Status.FAILED
        REPORT_FILE.move(report_file, outcome)  # as the row now stands
        record(
            actor=None,
            action="reports.pdf.build",
            target=report_file,
            changes={"status": [ReportFile.Status.RUNNING, report_file.status]},
        )
        if report_file.status == ReportFile.Status.DONE:
            _drop_older(report_file)
    return report_file.status


def _drop_older(report_file: ReportFile) -> None:
    """Earlier builds of the same report, stale now, and their files."""
    older = ReportFile.objects.filter(
        kind=report_file.kind,
        subject=report_file.subject,
        year=report_file.year,
        language=report_file.language,
        status__in=[ReportFile.Status.DONE, ReportFile.Status.FAILED],
    ).exclude(pk=report_file.pk)
    for stale in older:
        if stale.pdf:
            name, storage = stale.pdf.name, stale.pdf.storage
            transaction.on_commit(functools.partial(storage.delete, name))
        stale.delete()
