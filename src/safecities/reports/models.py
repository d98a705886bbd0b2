"""Reports: a programme's year and a city's profile, as web pages and PDFs.

The pages are drawn from the other apps' records on each request. A PDF takes longer (its
layout is WeasyPrint's work), so it is built in the background into a `ReportFile`, which is
kept as long as the data it was built from (`version`) is the newest: the next reader gets it
at once; after any change, the next reader's request builds a new one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme report")
    CITY = "city", _("City profile")


def pdf_upload_to(instance: "ReportFile", filename: str) -> str:
    year = f"-{instance.year}" if instance.year else ""
    return f"reports/{instance.kind}-{instance.subject}{year}-{instance.language}.pdf"


class ReportFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    subject = models.SlugField(_("of"), max_length=220, help_text=_("A programme or a city."))
    year = models.PositiveSmallIntegerField(_("year"), default=0, help_text=_("0: no year."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    version = models.CharField(_("data version"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=20, blank=True)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    # when the build last moved on a step: a build `running` with no progress for
    # STALLED_TASK_MINUTES has lost its worker (`services.fail_if_stalled`)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=pdf_upload_to, blank=True, max_length=300)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "year", "language", "version"],
                name="report_file_once_per_version",
            )
        ]

    def __str__(self) -> str:
        year = f" {self.year}" if self.year else ""
        return f"{self.get_kind_display()}: {self.subject}{year} ({self.language})"

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def underway(self) -> bool:
        """Waiting for its worker or being built."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def waiting(self) -> bool:
        """Queued: no worker has started on it yet."""
        return self.status == self.Status.QUEUED

    @property
    def ready(self) -> bool:
        """Built, with its PDF there to download."""
        return self.status == self.Status.DONE and bool(self.pdf)
