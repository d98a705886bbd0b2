"""The benchmark harness runs end to end on a tiny network in its own database."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.urls import reverse

from safecities.core.models import AuditEvent
from safecities.demo import bench, bench_grants, bench_indicators, bench_practices
from safecities.demo.bench import PAGES
from safecities.demo.bench_network import Generator
from safecities.grants import selectors
from safecities.grants.models import Application, Award, BudgetLine, Payment, Programme, Review
from safecities.indicators.models import Import, Indicator, Observation
from safecities.network.models import Municipality
from safecities.practices.models import Practice
from safecities.search import api as search
from safecities.search.models import Document

GRANT_PAGES = ["grant decision pack (funder officer)", "grant programme overview"]


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
    pages = table.split("\nImports:")[0]
    rows = [line for line in pages.splitlines() if line.startswith("| ") and "---" not in line]
    labels = [row.split("|")[1].strip() for row in rows[1:]]
    assert labels == [page.label for page in PAGES]
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        median, p95, ratio, queries = cells[2:6]
        assert float(median) > 0 and float(p95) >= float(median)
        assert re.fullmatch(r"\d+(\.\d+)?", ratio) and queries.isdigit()
    paths = {row.split("|")[1].strip(): row.split("|")[2].strip() for row in rows[1:]}
    assert set(GRANT_PAGES) <= set(labels)
    assert re.fullmatch(r"`/grants/calls/\d+/decision-pack/`", paths[GRANT_PAGES[0]])
    assert paths[GRANT_PAGES[1]] == f"`/grants/programmes/{bench_grants.PROGRAMME_SLUG}/`"
    assert "grant applications" in table and "scores" in table
    assert "Imports: 20,000 observations" in table and "raw `executemany`" in table
    assert "Search: 1,020 published practices, 3,0" in table
    assert "| faceted search, top 20 (`search_bank`) |" in table
    # The open-data ZIP, built in a process of its own, with its time and memory.
    built = re.search(
        r"Open data: the ZIP of every dataset, ([\d,]+) observations in it.*\n"
        r"\| `opendata.package.write_zip` \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| (\d+) \|",
        table,
        re.S,
    )
    assert built, table
    observations, seconds, _cpu, _megabytes, max_rss = built.groups()
    assert int(observations.replace(",", "")) > 20_000
    assert float(seconds) > 0 and 50 < int(max_rss) < 500
    floor = next(r for r in rows[1:] if r.split("|")[1].strip() == "floor")
    assert floor.strip("|").split("|")[5].strip() == "0", "the floor must query nothing"
    # The configured database was never touched.
    assert Municipality.objects.count() == before
    assert (tmp_path / "bench.sqlite3").stat().st_size > 0


@pytest.mark.django_db
def test_the_grants_scenario_fills_one_call_within_its_budget_and_times_its_pages(demo):
    Generator(scale=0.01).run()
    programme = Programme.objects.get(slug=bench_grants.PROGRAMME_SLUG)
    [call] = programme.calls.all()
    applications = call.applications.all()
    assert applications.count() == bench_grants.scaled(0.01)["applications"] == 200
    assert set(applications.values_list("status", flat=True)) == {
        "draft", "submitted", "withdrawn", "declined", "awarded",
    }  # fmt: skip
    assert not applications.filter(illustrative=False).exists()
    # Budget lines add up to each request; every application has a partner and a goal.
    sums = dict(
        BudgetLine.objects.filter(application__call=call)
        .values_list("application")
        .annotate(t=Sum("amount_minor"))
    )
    assert sums == dict(applications.values_list("pk", "requested_minor"))
    assert not applications.annotate(n=Count("partners")).filter(n=0).exists()
    assert not applications.annotate(n=Count("goals")).filter(n=0).exists()
    # A good share is reviewed, each submitted review scored on every criterion.
    submitted = Review.objects.filter(application__call=call, status=Review.Status.SUBMITTED)
    assert submitted.count() > applications.filter(status="submitted").count() // 2
    criteria = call.criteria.count()
    assert not submitted.annotate(n=Count("scores")).exclude(n=criteria).exists()
    # Awards within the request, payments within the award, the ledger within the budget.
    awards = Award.objects.filter(application__call=call)
    assert awards.exists()
    assert not awards.filter(amount_minor__gt=F("application__requested_minor")).exists()
    for award in awards:
        committed = award.payments.filter(status__in=[Payment.Status.PAID, "scheduled"])
        assert sum(p.amount_minor for p in committed) <= award.amount_minor
    ledger = selectors.programme_ledger(programme)
    assert ledger["paid"] <= ledger["awarded"] <= ledger["budget"]
    # The decision pack ranks the waiting proposals; the budget runs out part-way down.
    pack = selectors.decision_pack(call)
    assert pack["count"] == applications.filter(status=Application.Status.SUBMITTED).count()
    assert pack["rows"][0].score is not None
    assert 1 < pack["line_at"] <= pack["count"]

    results = bench.time_pages([p for p in PAGES if p.label in GRANT_PAGES], repeat=1)
    assert [r.page.label for r in results] == ["floor", *GRANT_PAGES]
    assert [r.path for r in results[1:]] == [
        reverse("grants:decision-pack", args=[call.pk]),
        reverse("grants:programme", args=[programme.slug]),
    ]
    assert all(r.queries > 0 and r.samples for r in results[1:])


@pytest.mark.django_db
def test_the_indicators_scenario_times_an_import_against_a_raw_insert_and_leaves_no_trace(demo):
    Generator(scale=0.01).run()
    dashboard = Observation.objects.count()
    synthetic = Observation.objects.filter(indicator__code__startswith="bench-").count()
    assert synthetic == bench_indicators.scaled(0.01)["dashboard"] == 20_000
    indicators, imports = Indicator.objects.count(), Import.objects.count()
    audit = AuditEvent.objects.count()

    timing = bench_indicators.time_import(scale=0.001)

    assert timing.rows == bench_indicators.scaled(0.001)["imported"] == 1_000
    assert timing.imported == timing.raw == 1_000
    assert timing.import_seconds > 0 and timing.raw_seconds > 0
    assert timing.table_rows == dashboard
    # The run's indicators are gone with their rows, imports and audit events.
    assert Observation.objects.count() == dashboard
    assert Indicator.objects.count() == indicators
    assert Import.objects.count() == imports
    assert AuditEvent.objects.count() == audit
    table = bench_indicators.report(timing)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split("|")[1].strip() for row in rows[1:]] == [
        "import (`commit_import`)",
        "raw `executemany`",
    ]
    assert all(row.split("|")[2].strip() == "1,000" for row in rows[1:])


def test_import_rows_name_each_place_and_period_once():
    cities = [(1, "0301"), (2, "0180")]
    cells = list(bench_indicators.cells(120, cities))
    assert len(cells) == len(set(cells)) == 120
    # Every city and year for the whole city first, then the first district.
    assert {c[2] for c in cells[:50]} == {""} and {c[2] for c in cells[50:100]} == {"District 1"}
    assert {c[2] for c in cells[100:]} == {"District 2"}


@pytest.mark.django_db
def test_the_search_scenario_indexes_three_languages_per_practice_and_times_three_paths(demo):
    Generator(scale=0.01).run()
    synthetic = Practice.objects.filter(translations__translator="Bench translator").distinct()
    assert synthetic.count() == bench_practices.scaled(0.01)["practices"] == 500
    assert not synthetic.annotate(n=Count("translations")).exclude(n=2).exists()
    assert not synthetic.exclude(status=Practice.Status.PUBLISHED).exists()
    assert not synthetic.annotate(n=Count("goals")).filter(n=0).exists()
    # Every language of every practice is in the index, and a Swedish word finds all three
    # Scandinavian languages.
    documents = Document.objects.filter(kind="practice", object_id__in=synthetic.values("pk"))
    assert documents.count() == 1_500
    hits = search.search("förebyggande", user_is_member=True, collapse=False, per_page=100)
    assert {"nb", "sv", "da"} <= {hit.language for hit in hits.hits}

    timing = bench_practices.time_search(repeat=1)

    assert [t.label for t in timing.timings] == [
        "faceted search, top 20 (`search_bank`)",
        "search page (`/practices/`)",
        "raw full-text query, top 20",
    ]
    assert all(len(t.samples) == len(bench_practices.QUERIES) for t in timing.timings)
    service, _page, raw = timing.timings
    assert all(n > 0 for n in service.hits), "every query finds practices of the goal"
    assert all(0 < n <= 20 for n in raw.hits)
    table = bench_practices.report(timing)
    assert f"Search: {timing.practices:,} published practices" in table
    assert "| raw full-text query, top 20 |" in table
