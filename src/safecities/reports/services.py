"""Building the reports' PDFs: asked for by a reader, built in the background, kept until the
data changes (see `models.ReportFile`)."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safecities.core.audit import record
from safecities.core.errors import InvalidInput

from . import documents, selectors
from .models import ReportFile
from .pdf import html_to_pdf, page_count

log = logging.getLogger(__name__)

STEPS = ("gather", "render", "layout", "save")


def request_pdf(*, actor, kind: str, subject: str, year: int = 0, language: str) -> ReportFile:
    """The PDF of a report at today's data: the one already built or being built, or a new one
    queued for the background worker. A failed build is queued again."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the platform's languages."), field="language")
    documents.check(kind, subject, year)  # the report exists, or InvalidInput naming the field
    version = selectors.data_version()
    lookup = {"kind": kind, "subject": subject, "year": year, "language": language}
    existing = ReportFile.objects.filter(**lookup, version=version).first()
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


def _step(report_file: ReportFile, step: str) -> None:
    report_file.step = step
    report_file.progress_done = STEPS.index(step)
    ReportFile.objects.filter(pk=report_file.pk).update(
        status=ReportFile.Status.RUNNING,
        step=step,
        progress_done=report_file.progress_done,
        progress_total=len(STEPS),
    )


def build_pdf(report_file_id: int) -> str:
    """Build a queued PDF, step by step, each step written to its row for the progress page
    (no transaction is held meanwhile). Returns the status it ends in."""
    report_file = ReportFile.objects.get(pk=report_file_id)
    if report_file.status == ReportFile.Status.DONE:
        return report_file.status
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
        report_file.status = ReportFile.Status.DONE
        report_file.progress_done = len(STEPS)
        report_file.error = ""
    except Exception as exc:  # a failed build says why and may be asked for again
        log.exception("Building report file %s failed", report_file_id)
        report_file.status = ReportFile.Status.FAILED
        report_file.error = str(exc)[:1000] or exc.__class__.__name__
    report_file.finished_at = timezone.now()
    with transaction.atomic():
        report_file.save()
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
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        stale.delete()
