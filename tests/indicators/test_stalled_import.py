"""A background import whose worker died (left `running`) is shown as failed once it has not
progressed for SAFECITIES_STALLED_TASK_MINUTES; progress in either phase keeps it running, and
a worker given up writes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.indicators import services
from safecities.indicators.models import Import, Observation
from safecities.indicators.services import pipeline
from tests.indicators.test_tasks import start_big_import


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.INDICATOR_IMPORT_IN_REQUEST_ROWS = 20


def _died_while_checking(client, indicator) -> Import:
    """The worker claimed the import, checked 40 of its 90 rows, and its process died."""
    import_ = start_big_import(client, indicator)
    assert import_.status == "queued"
    Import.objects.filter(pk=import_.pk).update(status="running")  # the worker's claim
    pipeline._report_check(import_.pk, 40, 90)
    import_.refresh_from_db()
    return import_


def test_a_stalled_import_is_shown_failed(coordinator_client, indicator, settings):
    settings.STALLED_TASK_MINUTES = 10
    import_ = _died_while_checking(coordinator_client, indicator)
    detail = reverse("indicators:import-detail", args=[import_.pk])

    Import.objects.filter(pk=import_.pk).update(progressed_at=timezone.now() - timedelta(minutes=9))
    page = coordinator_client.get(detail).content.decode()
    assert "<progress" in page and 'value="40"' in page

    Import.objects.filter(pk=import_.pk).update(
        progressed_at=timezone.now() - timedelta(minutes=11)
    )
    page = coordinator_client.get(detail).content.decode()
    assert "<progress" not in page and "hx-trigger" not in page
    assert "The import stopped without finishing" in page and "more than 10 minutes" in page
    import_.refresh_from_db()
    assert import_.status == "failed" and import_.finished_at is not None

    with pytest.raises(services.ImportGivenUp):  # the worker, were it alive, stops
        pipeline._report_check(import_.pk, 60, 90)
    import_.refresh_from_db()
    assert (import_.status, import_.progress_done) == ("failed", 40)


def test_progress_in_the_write_phase_keeps_it_running(coordinator_client, indicator):
    import_ = _died_while_checking(coordinator_client, indicator)
    old = timezone.now() - timedelta(minutes=60)
    Import.objects.filter(pk=import_.pk).update(progressed_at=old)  # the check ended long ago
    pipeline._report(import_.pk, Import.Phase.WRITE, 30, 90)  # the write phase moves on
    import_.refresh_from_db()  # as the page reads it
    assert (import_.phase, import_.progress_done, import_.progress_total) == ("write", 30, 90)
    assert services.fail_if_stalled(import_).status == "running"

    later = timezone.now() + timedelta(minutes=31)  # and then nothing for half an hour
    assert services.fail_if_stalled(import_, now=later).status == "failed"
    with pytest.raises(services.ImportGivenUp):  # the worker, were it alive, stops
        pipeline._report(import_.pk, Import.Phase.WRITE, 60, 90)


def test_a_worker_given_up_writes_nothing(coordinator, coordinator_client, indicator):
    import_ = _died_while_checking(coordinator_client, indicator)
    later = timezone.now() + timedelta(minutes=31)
    import_ = services.fail_if_stalled(import_, now=later)
    assert import_.status == "failed"
    rows = services.import_rows(import_)
    with pytest.raises(services.ImportGivenUp):
        services.commit_import(
            coordinator, indicator=indicator, rows=rows, format="csv", import_=import_
        )
    assert Import.objects.get(pk=import_.pk).status == "failed"
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_a_stalled_import_takes_back_the_batches_its_worker_wrote(
    coordinator, coordinator_client, indicator, monkeypatch
):
    """The worker wrote its first batch and died: once found stalled, the batch is taken back
    and the figures it overwrote are as they were, so nothing was imported."""
    import_ = _died_while_checking(coordinator_client, indicator)
    before = set(Observation.objects.values_list("pk", "value"))
    rows = services.import_rows(import_)
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 30)
    written = []

    def die_after_first_batch(phase, done, total):
        written.append(done)
        raise SystemExit  # the process ends here, as a killed worker would, taking nothing back

    monkeypatch.setattr(pipeline, "_take_back", lambda import_: None)
    with pytest.raises(SystemExit):
        services.commit_import(
            coordinator,
            indicator=indicator,
            rows=rows,
            format="csv",
            import_=import_,
            progress=die_after_first_batch,
        )
    monkeypatch.undo()
    assert written == [30]
    assert Observation.objects.filter(created_by_import=import_).count() == 30
    assert Import.objects.get(pk=import_.pk).status == "running"

    import_ = services.fail_if_stalled(import_, now=timezone.now() + timedelta(minutes=31))
    assert import_.status == "failed"
    assert not Observation.objects.filter(created_by_import=import_).exists()
    assert set(Observation.objects.values_list("pk", "value")) == before
