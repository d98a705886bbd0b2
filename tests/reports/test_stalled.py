"""A PDF build whose worker died (left `running`) is shown as failed, to be tried again, once
it has not progressed for SAFECITIES_STALLED_TASK_MINUTES; never while it moves on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.core.models import AuditEvent
from safecities.reports import services
from safecities.reports.models import ReportFile

# django-tasks' database queue, as in production: a request queues the build, nothing runs it
# unless the test does (see conftest.py)
pytestmark = pytest.mark.real_worker


def _died_while_laying_out(client) -> ReportFile:
    """Ask for Oslo's profile (the build is queued: its commit never runs here), then the
    worker takes it up to the layout step and its process dies."""
    response = client.post(reverse("reports:city-pdf", args=["oslo"]))
    report_file = ReportFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert report_file.status == "queued"
    services._step(report_file, "gather")
    services._step(report_file, "layout")
    return report_file


def _minutes_pass(report_file: ReportFile, minutes: int) -> None:
    ReportFile.objects.filter(pk=report_file.pk).update(
        progressed_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_build_that_stopped_moving_is_shown_failed_and_built_again(client, demo, settings):
    settings.STALLED_TASK_MINUTES = 10
    report_file = _died_while_laying_out(client)
    build = reverse("reports:build", args=[report_file.pk])
    city = reverse("reports:city", args=["oslo"])

    _minutes_pass(report_file, 9)  # slow, not stalled
    page = client.get(build).content.decode()
    assert "Laying out the PDF" in page and 'hx-trigger="every 1s"' in page
    assert "The PDF is being made" in client.get(city).content.decode()

    _minutes_pass(report_file, 11)
    page = client.get(build).content.decode()
    assert "Status: Failed" in page and "hx-trigger" not in page
    assert "The build stopped without finishing" in page and "more than 10 minutes" in page
    assert "Try again" in page
    report_file.refresh_from_db()
    assert report_file.status == "failed" and report_file.finished_at is not None
    assert AuditEvent.objects.filter(
        action="reports.pdf.stalled", target_id=str(report_file.pk)
    ).exists()
    assert "Make a PDF of this report" in client.get(city).content.decode()

    # the worker, were it alive after all, stops at its next step and leaves the failure
    assert services.build_pdf(report_file.pk) == "failed"
    report_file.refresh_from_db()
    assert report_file.status == "failed" and not report_file.pdf

    response = client.post(reverse("reports:city-pdf", args=["oslo"]))  # "Try again"
    again = ReportFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert again.status == "queued" and again.task_id  # queued anew for the worker
    assert not ReportFile.objects.filter(pk=report_file.pk).exists()
    assert services.build_pdf(again.pk) == "done"  # what the worker runs


def test_a_queued_build_is_never_taken_for_stalled(client, demo, settings):
    response = client.post(reverse("reports:city-pdf", args=["oslo"]))
    report_file = ReportFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    later = timezone.now() + timedelta(minutes=settings.STALLED_TASK_MINUTES * 10)
    assert services.fail_if_stalled(report_file, now=later).status == "queued"


def test_a_finished_build_is_never_taken_up_again(client, demo):
    """The report file's workflow (`reports.states.REPORT_FILE`): done and failed are final, so a
    worker that comes late to a finished build changes nothing."""
    from safecities.reports.states import REPORT_FILE

    response = client.post(reverse("reports:city-pdf", args=["oslo"]))
    report_file = ReportFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert services.build_pdf(report_file.pk) == "done"
    report_file.refresh_from_db()
    assert report_file.ready and REPORT_FILE.is_final(report_file.status)
    with pytest.raises(services.GivenUp):
        services._step(report_file, "gather")
    assert services.build_pdf(report_file.pk) == "done"
    report_file.refresh_from_db()
    assert (report_file.status, report_file.step) == ("done", "save")
