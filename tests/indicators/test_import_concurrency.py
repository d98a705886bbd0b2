"""A large import does not lock the database for everyone.

The import checks its rows before any transaction opens and writes them in short batches, so
a person signing in or another writer gets through while it runs (SQLite lets one writer at a
time; these tests run on a transactional database, each side on its own connection, on SQLite
and PostgreSQL alike). A batch that fails takes back what the earlier ones wrote.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from safecities.core.models import User
from safecities.indicators import services
from safecities.indicators.models import Import, Observation, ObservationRevision
from safecities.indicators.services import pipeline
from tests.conftest import DEMO_PASSWORD, ROLE_EMAILS
from tests.indicators.conftest import make_indicator

MONTHS = [f"{year}-{month:02}" for year in range(1900, 2150) for month in range(1, 13)]
# 3,000 months × 2 cities = 6,000 rows


def large_csv(offset: int = 0) -> str:
    lines = ["municipality_code;period;value"]
    lines += [
        f"{code};{month};{n % 97 + offset}"
        for code in ("0301", "3301")
        for n, month in enumerate(MONTHS)
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def indicator(secretariat):
    """A monthly count, so one file holds thousands of periods."""
    return make_indicator(secretariat, code="monthly-reports", period_type="month")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 1000)


def import_in_thread(actor, indicator, text, on_batch):
    """Start the import in a thread of its own (its own connection); `on_batch(done)` is called
    between its write batches. Returns (thread, outcome)."""
    outcome: dict = {}

    def run():
        try:
            rows = services.rows_from_csv(text, country="NO")
            outcome["import"] = services.commit_import(
                actor,
                indicator=indicator,
                rows=rows,
                format="csv",
                filename="large.csv",
                progress=lambda _phase, done, _total: on_batch(done),
            )
        except BaseException as exc:  # reported to the test's thread
            outcome["error"] = exc
            on_batch(None)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_signing_in_and_writing_go_through_while_a_large_import_writes(
    secretariat, demo, indicator, small_batches
):
    writing, others_done = threading.Event(), threading.Event()

    def on_batch(done):
        if done in (
            1000,
            None,
        ):  # the first batch (or a failure) is written; the import goes on after the others
            writing.set()
            others_done.wait(timeout=120)

    thread, outcome = import_in_thread(secretariat, indicator, large_csv(), on_batch)
    try:
        assert writing.wait(timeout=120), outcome.get("error")
        visitor = Client()
        response = visitor.post(
            reverse("core:login"), {"username": ROLE_EMAILS["member"], "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, response.status_code
        assert User.objects.get(email=ROLE_EMAILS["member"]).last_login is not None
        other = services.record_observation(
            actor=secretariat,
            indicator=indicator,
            municipality=demo.stockholm,
            period="2024-01",
            value=Decimal(7),
        )
    finally:
        others_done.set()
        thread.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    import_ = Import.objects.get(filename="large.csv")
    assert (import_.status, import_.created_count) == ("committed", 6000)
    assert Observation.objects.filter(indicator=indicator).count() == 6001
    assert Observation.objects.get(pk=other.pk).value == 7


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_fails_takes_back_what_the_others_wrote(secretariat, demo, indicator):
    """The import's check read 0301's 2023 figure; someone changes it before the import gets
    to it: the import fails, says why, and what its earlier batches wrote is taken back."""
    first = services.commit_import(
        secretariat,
        indicator=indicator,
        rows=services.rows_from_csv(large_csv(), country="NO"),
        format="csv",
        filename="first.csv",
    )
    before = dict(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
    revisions = ObservationRevision.objects.count()
    rows = services.rows_from_csv(large_csv(offset=1), country="NO")
    plan = services.preview_import(secretariat, indicator=indicator, rows=rows)
    assert plan.count("updated") == 6000
    last = Observation.objects.get(indicator=indicator, municipality=demo.drammen, period="2149-12")
    services.record_observation(
        actor=secretariat,
        indicator=indicator,
        municipality=demo.drammen,
        period="2149-12",
        value=Decimal(500),
    )
    with pytest.raises(services.ImportConflict):
        services.commit_import(
            secretariat,
            indicator=indicator,
            rows=rows,
            plan=plan,
            format="csv",
            filename="second.csv",
        )
    after = dict(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
    assert after == {**before, last.pk: Decimal(500)}
    assert ObservationRevision.objects.count() == revisions + 1  # the hand-made change's
    assert not Import.objects.filter(filename="second.csv").exists()
    assert Observation.objects.filter(source_import=first).count() == 5999
