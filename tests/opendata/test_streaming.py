"""Large downloads in constant memory: the observation files and the ZIP are written a chunk of
rows at a time, so ten times the observations take about the same peak memory; files are sent
as they are written; the ZIP is kept on disk until the data changes."""

import gc
import io
import json
import tempfile
import tracemalloc
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.indicators import exports
from safecities.indicators import services as indicators
from safecities.indicators.models import Indicator, Observation
from safecities.network.models import Municipality
from safecities.opendata import package, registry
from tests.indicators.conftest import make_indicator

CHUNK = 40  # rows a chunk here, so that a few thousand rows make many chunks
FEW = 400


@pytest.fixture
def small_chunks(monkeypatch):
    """Rows read, and text written out, in small pieces: a few thousand rows make many."""
    monkeypatch.setattr(exports, "CHUNK", CHUNK)
    monkeypatch.setattr(registry, "PIECE", 1024)


def add_observations(indicator: Indicator, n: int, *, first_year: int = 1000) -> None:
    """n yearly observations of the indicator, every city in turn, written raw."""
    cities = list(Municipality.objects.order_by("pk"))
    moment = timezone.now()
    Observation.objects.bulk_create(
        [
            Observation(
                indicator=indicator,
                municipality=cities[i % len(cities)],
                period=str(first_year + i // len(cities)),
                period_start=date(first_year + i // len(cities), 1, 1),
                value=Decimal(100 + i % 50),
                status="final",
                note=f"note {i}",
                updated_at=moment,
            )
            for i in range(n)
        ],
        batch_size=500,
    )


def peak_bytes(write) -> int:
    """The peak of memory allocated while `write()` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def drain(pieces) -> None:
    for _piece in pieces:
        pass


def observation_file(filename: str) -> registry.DataFile:
    return registry.dataset("indicators").file(filename)


@pytest.fixture
def indicator(secretariat):
    return make_indicator(secretariat, code="bench-count", unit_type="count")


@pytest.mark.parametrize("filename", ["observations.csv", "observations.jsonstat.json"])
def test_ten_times_the_observations_take_no_more_memory(small_chunks, indicator, filename):
    data_file = observation_file(filename)
    add_observations(indicator, FEW)
    few = peak_bytes(lambda: drain(data_file.chunks()))
    add_observations(indicator, 9 * FEW, first_year=1500)
    assert Observation.objects.filter(indicator=indicator).count() == 10 * FEW
    many = peak_bytes(lambda: drain(data_file.chunks()))
    # Read whole, ten times the rows would take several times the memory.
    assert many < 1.5 * few, (few, many)


def test_the_zip_is_built_in_constant_memory(small_chunks, indicator):
    def build():
        with tempfile.TemporaryFile() as out:
            package.write_zip(out)

    add_observations(indicator, FEW)
    few = peak_bytes(build)
    add_observations(indicator, 9 * FEW, first_year=1500)
    many = peak_bytes(build)
    assert many < 1.5 * few, (few, many)


def test_the_observation_files_are_sent_as_they_are_written(client, indicator):
    add_observations(indicator, 50)
    for filename in ("observations.csv", "observations.jsonstat.json"):
        response = client.get(reverse("opendata:download", args=["indicators", filename]))
        assert response.status_code == 200
        assert response.streaming, filename
    body = client.get(reverse("opendata:download", args=["indicators", "observations.csv"]))
    assert body.getvalue().decode().count("\nbench-count,") == 50


def test_the_jsonstat_file_written_in_pieces_is_the_dataset(small_chunks, indicator):
    add_observations(indicator, 250)
    observations = registry.dataset("indicators").file("observations.jsonstat.json")
    streamed = json.loads(observations.content())
    whole = exports.jsonstat_dataset(
        Observation.objects.filter(exports.suppression.shown_q()).select_related(
            "indicator", "municipality__country"
        )
    )
    assert streamed == whole


def test_the_zip_is_kept_until_the_data_changes(
    client, indicator, coordinator, demo, django_assert_max_num_queries
):
    first = client.get(reverse("opendata:zip"))
    assert first.status_code == 200 and first.streaming
    body = first.getvalue()
    kept = sorted(package.zip_path().parent.glob("*.zip"))
    assert len(kept) == 1
    # The same data: the kept file, asking only when each dataset last changed.
    with django_assert_max_num_queries(20):
        again = client.get(reverse("opendata:zip"))
        assert again.getvalue() == body
    assert sorted(package.zip_path().parent.glob("*.zip")) == kept

    indicators.record_observation(
        actor=coordinator,
        indicator=indicator,
        municipality=demo.oslo,
        period="2024",
        value=Decimal(42),
    )
    changed = client.get(reverse("opendata:zip")).getvalue()
    assert changed != body
    archive = zipfile.ZipFile(io.BytesIO(changed))
    assert b"bench-count,0301,NO,,2024,42," in archive.read("indicators/observations.csv")
    now = sorted(package.zip_path().parent.glob("*.zip"))
    assert len(now) == 1 and now != kept  # the older file is gone
