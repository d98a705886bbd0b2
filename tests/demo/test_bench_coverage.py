"""The bench covers every main page: on a tiny bench network each page of `PAGES` answers 200;
its events scenario, its PDF builds and its growth table between two scales."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.urls import reverse

from safecities.demo import bench, bench_events, bench_growth, bench_reports
from safecities.demo.bench import PAGES
from safecities.demo.bench_network import Generator
from safecities.events.models import Event, Registration

NEW_PAGES = [
    "events list",
    "events calendar, a month",
    "event page",
    "practice page",
    "API practice search",
    "plan page",
    "plan effect page",
    "open data",
    "360Giving JSON (API)",
    "360Giving CSV (API)",
    "360Giving JSON (open data)",
]


@pytest.mark.django_db
def test_every_page_of_the_bench_answers_200_and_the_reports_build_as_pdfs(demo, tmp_path):
    Generator(scale=0.005).run()
    context = bench.page_context()

    # time_pages raises PageFailed for any page that does not answer 200.
    results = bench.time_pages(repeat=1)

    assert [r.page.label for r in results] == [p.label for p in PAGES]
    assert set(NEW_PAGES) <= {p.label for p in PAGES}
    paths = {r.page.label: r.path for r in results}
    assert paths["events list"] == f"/events/?since={bench_events.LIST_SINCE}"
    assert paths["events calendar, a month"] == f"/events/?view=month&month={bench_events.MONTH}"
    assert paths["event page"] == context["event"] != ""
    assert paths["plan effect page"] == reverse("plans:effect", args=[context["plan"]])
    assert paths["practice page"] == reverse("practices:detail", args=[context["practice"]])
    assert all(r.samples and r.queries >= 0 for r in results)

    # The PDF builds: every step timed once, a PDF of pages.
    pdfs = bench_reports.time_pdfs(context, repeat=1)
    assert [t.label for t in pdfs] == ["programme report", "city profile"]
    for timing in pdfs:
        assert all(len(step.samples) == 1 for step in timing.steps.values())
        assert timing.pages >= 1 and timing.bytes > 1_000
    table = bench_reports.report(pdfs, repeat=1)
    assert "| programme report |" in table and "| city profile |" in table

    # A run's results go to JSON and come back for the growth table.
    dumped = tmp_path / "run.json"
    bench_growth.dump(dumped, results, scale=0.005, rows={"events": 30}, engine="SQLite")
    run = bench_growth.load(dumped)
    assert [p.label for p in run.pages] == [p.label for p in PAGES]
    assert run.page("event page").queries == next(
        r.queries for r in results if r.page.label == "event page"
    )


@pytest.mark.django_db
def test_the_events_scenario_fills_a_calendar_within_each_events_places(demo):
    before = Event.objects.count()
    Generator(scale=0.01).run()
    synthetic = Event.objects.filter(description__en__startswith="A synthetic event")
    assert synthetic.count() == Event.objects.count() - before == 60
    assert not synthetic.annotate(n=Count("goals")).filter(n=0).exists()
    # Every event has an organiser, a city or an organisation.
    organisers = Count("organising_municipalities") + Count("organising_organisations")
    assert not synthetic.annotate(n=organisers).filter(n=0).exists()
    # Registered people never exceed the places; the rest wait.
    over = synthetic.filter(capacity__isnull=False).annotate(
        registered=Count("registrations", filter=Q(registrations__status="registered"))
    )
    assert all(e.registered <= e.capacity for e in over)
    assert Registration.objects.filter(event__in=synthetic).exists()
    event = Event.objects.get(pk=bench_events.page_paths()["event"].strip("/").split("/")[-1])
    assert event.status == Event.Status.PUBLISHED and event.audience == Event.Audience.PUBLIC


def _run(runs_spec):
    return [
        bench_growth.Run(
            scale=scale,
            engine="SQLite 3",
            rows={"events": events},
            pages=[
                bench_growth.PageRun(label, f"/{label}/", median, median * 1.2, queries)
                for label, median, queries in pages
            ],
        )
        for scale, events, pages in runs_spec
    ]


def test_the_growth_table_gives_each_page_the_ratio_of_its_medians():
    runs = _run(
        [
            (0.1, 600, [("floor", 2.0, 0), ("events list", 10.0, 5), ("gone", 1.0, 1)]),
            (1, 6000, [("floor", 2.2, 0), ("events list", 95.0, 5)]),
        ]
    )
    table = bench_growth.report(runs)
    assert "scales 0.1 → 1" in table and "scale 1 is 10 × scale 0.1" in table
    assert (
        "| page | median ms at 0.1 | median ms at 1 | × growth to 1 | ÷ floor | queries |" in table
    )
    assert "| floor | 2.0 | 2.2 | 1.10 | 1.00 | 0 → 0 |" in table
    # 95 ÷ 10 = 9.5; the floor drifted by 1.1, so 9.5 ÷ 1.1 = 8.64 is the page's own growth.
    assert "| events list | 10.0 | 95.0 | 9.50 | 8.64 | 5 → 5 |" in table
    assert "| gone | 1.0 | – | – | – | 1 → – |" in table  # a page missing from a run
    assert "Rows: events 600 → 6,000." in table


def test_growth_needs_two_scales_above_zero():
    for wrong in ("1", "0.1,x", "0,1"):
        with pytest.raises(CommandError):
            call_command("bench", "--growth", wrong, stderr=io.StringIO())


@pytest.mark.django_db
def test_bench_growth_times_the_pages_at_two_scales_in_their_own_databases(tmp_path):
    out = io.StringIO()
    call_command(
        "bench",
        "--growth",
        "0.005,0.01",
        "--repeat",
        "1",
        "--database",
        str(tmp_path / "bench.sqlite3"),
        stdout=out,
        stderr=io.StringIO(),
    )
    table = out.getvalue()
    # Each scale's page table (pages only), then the growth table.
    assert table.count("| page | path | median ms |") == 2
    assert "Imports:" not in table and "PDF builds" not in table
    growth = table[table.index("Growth:") :]
    rows = [line for line in growth.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split("|")[1].strip() for row in rows[1:]] == [p.label for p in PAGES]
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert re.fullmatch(r"\d+\.\d\d", cells[3]), row  # × growth
        assert re.fullmatch(r"\d+\.\d\d", cells[4]), row  # ÷ floor
        # No page's query count grows with the data: no N+1 on any page of the bench. (It
        # may drop: the busiest event is another one at each scale, and Django skips a
        # prefetch when there are no rows to fetch for.)
        before, after = cells[5].split(" → ")
        assert int(after) <= int(before), row
    for scale in ("0.005", "0.01"):
        assert (tmp_path / f"bench-{scale}.sqlite3").exists()
