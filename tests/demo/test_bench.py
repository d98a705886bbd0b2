"""The benchmark harness runs end to end on a tiny network in its own database."""

import io
import re

import pytest
from django.core.management import call_command

from safecities.demo.bench import PAGES
from safecities.network.models import Municipality


@pytest.mark.django_db
def test_bench_times_every_page_in_its_own_database(tmp_path):
    before = Municipality.objects.count()
    out = io.StringIO()
    call_command(
        "bench",
        "--scale",
        "0.02",
        "--repeat",
        "1",
        "--database",
        str(tmp_path / "bench.sqlite3"),
        stdout=out,
        stderr=io.StringIO(),
    )
    table = out.getvalue()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    labels = [row.split("|")[1].strip() for row in rows[1:]]
    assert labels == [page.label for page in PAGES]
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        median, p95, ratio, queries = cells[2:6]
        assert float(median) > 0 and float(p95) >= float(median)
        assert re.fullmatch(r"\d+(\.\d+)?", ratio) and queries.isdigit()
    floor = next(r for r in rows[1:] if r.split("|")[1].strip() == "floor")
    assert floor.strip("|").split("|")[5].strip() == "0", "the floor must query nothing"
    # The configured database was never touched.
    assert Municipality.objects.count() == before
    assert (tmp_path / "bench.sqlite3").stat().st_size > 0
