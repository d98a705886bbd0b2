"""`safecities db_worker` keeps running when the database stays locked, and runs the queued work
once the lock is gone (on SQLite the busy timeout runs out; on PostgreSQL lock_timeout)."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from safecities.indicators.models import Import, Observation
from tests.indicators.conftest import make_indicator
from tests.utils import locked_database, run_worker, sign_in


class ReleaseOnWarning(logging.Handler):
    """Lets the lock go when the worker says it met it."""

    def __init__(self, release):
        super().__init__(level=logging.WARNING)
        self.release, self.seen = release, []

    def emit(self, record):
        self.seen.append(record.getMessage())
        self.release()


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_locked_database_and_runs_the_import(secretariat, settings, tmp_path):
    settings.INDICATOR_IMPORT_IN_REQUEST_ROWS = 1
    settings.CACHES = {
        **settings.CACHES,
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "progress"),
        },
    }
    indicator = make_indicator(secretariat)
    client = sign_in(Client(), secretariat)
    text = "municipality_code;period;value\n0301;2023;4\n3301;2023;5\n"
    client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile("q.csv", text.encode())},
    )
    import_ = Import.objects.get(filename="q.csv")
    client.post(reverse("indicators:import-commit", args=[import_.pk]))
    import_.refresh_from_db()
    assert import_.status == "queued"

    logger = logging.getLogger("safecities.worker")
    with locked_database(DBTaskResult._meta.db_table) as release:
        handler = ReleaseOnWarning(release)
        logger.addHandler(handler)
        try:
            run_worker()
        finally:
            logger.removeHandler(handler)
    assert handler.seen and "database stayed locked" in handler.seen[0]
    import_.refresh_from_db()
    assert import_.status == "committed"
    assert Observation.objects.filter(indicator=indicator).count() == 2
