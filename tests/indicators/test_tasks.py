"""Large imports in the background: queued by the wizard, run by the real worker (django-tasks'
`db_worker`), progress readable from another connection while the import's write transaction is
open, all or nothing, undone as a whole.

These tests use a transactional database: the worker runs its own transactions (and another
thread reads progress on its own connection), which a test wrapped in one transaction would hide.
"""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from safecities.core.models import AuditEvent
from safecities.indicators import services
from safecities.indicators.models import Import, Observation
from safecities.indicators.services import checks, pipeline
from safecities.network.models import RoleAssignment
from tests.utils import run_worker

pytestmark = pytest.mark.real_worker

YEARS = range(1980, 2025)  # 45 years × 2 cities = 90 rows


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.INDICATOR_IMPORT_IN_REQUEST_ROWS = 20


def big_csv() -> str:
    lines = ["municipality_code;period;value"]
    lines += [f"{code};{year};{year - 1970}" for code in ("0301", "3301") for year in YEARS]
    return "\n".join(lines) + "\n"


def start_big_import(client, indicator) -> Import:
    client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile("big.csv", big_csv().encode())},
    )
    import_ = Import.objects.get(filename="big.csv")
    client.post(reverse("indicators:import-commit", args=[import_.pk]))
    import_.refresh_from_db()
    return import_


@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_the_background_with_progress(coordinator, indicator, monkeypatch):
    client = Client()
    client.force_login(coordinator)
    import_ = start_big_import(client, indicator)
    assert (import_.status, import_.row_count) == ("queued", 90)
    assert DBTaskResult.objects.filter(pk=import_.task_id, status="READY").exists()
    assert not Observation.objects.filter(indicator=indicator).exists()
    detail = reverse("indicators:import-detail", args=[import_.pk])
    page = client.get(detail).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh"' in page and "Waiting for the background worker" in page

    # While the import writes its batches, another connection reads its progress.
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 30)
    seen: list[str] = []
    reader = Client()
    reader.force_login(coordinator)  # its session is written now, not during the import
    real_report = pipeline._report

    def report_and_look(import_id, phase, done, total):
        real_report(import_id, phase, done, total)
        if phase == "write" and done == 30 and not seen:

            def look():
                try:
                    response = reader.get(detail, headers={"HX-Request": "true"})
                    seen.append(response.content.decode())
                finally:
                    connection.close()

            thread = threading.Thread(target=look)
            thread.start()
            thread.join(timeout=30)

    monkeypatch.setattr(pipeline, "_report", report_and_look)
    run_worker()

    assert seen, "the write phase reported no progress"
    assert "Writing the observations" in seen[0]
    assert 'value="30"' in seen[0] and 'max="90"' in seen[0]  # 90 rows, all new
    assert 'id="import-progress"' in seen[0] and "<h1" not in seen[0]  # the fragment htmx swaps

    import_.refresh_from_db()
    assert (import_.status, import_.created_count, import_.progress_done) == ("committed", 90, 90)
    assert Observation.objects.filter(indicator=indicator).count() == 90
    assert DBTaskResult.objects.get(pk=import_.task_id).status == "SUCCESSFUL"
    page = client.get(detail).content.decode()
    assert "<progress" not in page and "hx-trigger" not in page and "Undo the import" in page

    # A background import is undone as a whole, like any other.
    client.post(reverse("indicators:import-undo", args=[import_.pk]))
    import_.refresh_from_db()
    assert import_.status == "undone"
    assert Observation.objects.filter(indicator=indicator).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failing_background_import_writes_nothing_and_says_why(coordinator, demo, indicator):
    client = Client()
    client.force_login(coordinator)
    import_ = start_big_import(client, indicator)
    assert import_.status == "queued"
    # Before the worker gets to it, the coordinator stops coordinating Drammen.
    RoleAssignment.objects.filter(user=coordinator, municipality=demo.drammen).delete()
    run_worker()

    import_.refresh_from_db()
    assert import_.status == "failed"
    assert "line 47, column municipality_code" in import_.error  # Drammen's first row
    assert "You may not import figures for 3301" in import_.error
    assert Observation.objects.filter(indicator=indicator).count() == 0
    assert not import_.municipalities.exists()
    page = client.get(reverse("indicators:import-detail", args=[import_.pk])).content.decode()
    assert "Nothing was imported." in page and "line 47" in page
    assert "Undo the import" not in page


def test_a_failed_import_is_audited_with_why(coordinator, demo, indicator):
    """A run refused at its check ends `failed`, and the failure is in the audit trail like
    every other outcome: who started the import, that it failed, and why."""
    text = "municipality_code;period;value\n0301;2023;437\n3301;2023;58\n"
    draft = services.upload_import(
        coordinator, indicator=indicator, upload=SimpleUploadedFile("f.csv", text.encode())
    )
    RoleAssignment.objects.filter(user=coordinator, municipality=demo.drammen).delete()

    import_ = services.commit_stored_import(draft, actor=coordinator)

    assert import_.status == "failed"
    event = AuditEvent.objects.get(action="indicators.import.fail")
    assert (event.target_type, event.target_id) == ("indicators.import", str(import_.pk))
    assert event.actor == coordinator
    assert event.changes["status"] == ["running", "failed"]
    assert "line 3, column municipality_code" in event.changes["error"][1]
    assert not AuditEvent.objects.filter(action="indicators.import.commit").exists()


def test_a_small_import_commits_in_the_request(secretariat_client, indicator, settings):
    settings.INDICATOR_IMPORT_IN_REQUEST_ROWS = 1000
    import_ = start_big_import(secretariat_client, indicator)
    assert import_.status == "committed" and not import_.task_id
    assert not DBTaskResult.objects.exists()


def test_the_check_phase_reports_progress_on_the_import(secretariat, indicator, monkeypatch):
    """Before the write transaction opens, progress goes to the import's row, report by report."""
    import_ = services.upload_import(
        secretariat, indicator=indicator, upload=SimpleUploadedFile("big.csv", big_csv().encode())
    )
    Import.objects.filter(pk=import_.pk).update(status="queued")
    monkeypatch.setattr(checks, "PROGRESS_EVERY", 40)
    seen = []
    real = pipeline._report_check

    def spy(import_id, done, total):
        real(import_id, done, total)
        seen.append(
            Import.objects.values_list("phase", "progress_done", "progress_total").get(pk=import_id)
        )

    monkeypatch.setattr(pipeline, "_report_check", spy)
    assert services.run_import(import_.pk) == "committed"
    assert seen == [
        ("check", 0, 90),
        ("check", 0, 90),
        ("check", 40, 90),
        ("check", 80, 90),
        ("check", 90, 90),
    ]


@pytest.mark.parametrize(
    ("every", "reports"),
    [
        # a fast import: its first batch, then its last
        (3600, [("write", 0, 90), ("write", 30, 90), ("write", 90, 90)]),
        # a slow one: every batch, each after the time has passed
        (0, [("write", 0, 90), ("write", 30, 90), ("write", 60, 90), ("write", 90, 90)]),
    ],
)
def test_the_write_phase_reports_at_most_once_a_time(
    secretariat, indicator, monkeypatch, every, reports
):
    """Each report is a write: between batches the worker reports after the first, then only
    once REPORT_EVERY seconds have passed, and always after the last."""
    import_ = services.upload_import(
        secretariat, indicator=indicator, upload=SimpleUploadedFile("big.csv", big_csv().encode())
    )
    Import.objects.filter(pk=import_.pk).update(status="queued")
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 30)
    monkeypatch.setattr(pipeline, "REPORT_EVERY", every)
    seen = []
    real = pipeline._report

    def spy(import_id, phase, done, total):
        real(import_id, phase, done, total)
        if phase == "write":
            seen.append(
                Import.objects.values_list("phase", "progress_done", "progress_total").get(
                    pk=import_id
                )
            )

    monkeypatch.setattr(pipeline, "_report", spy)
    assert services.run_import(import_.pk) == "committed"
    assert seen == reports
    assert Observation.objects.filter(indicator=indicator).count() == 90
