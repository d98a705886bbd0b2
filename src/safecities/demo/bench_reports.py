"""The bench's PDF builds: a report's PDF, step by step, on the bench network.

A PDF takes seconds, not milliseconds, so it has a table of its own rather than a row among
the pages. `time_pdfs` builds the programme report of the grants scenario and the city profile
of the busiest indicator city in English, `repeat` times each, through the same three steps
as `reports.services.build_pdf` (without its queue, rows or files): gathering the report's
figures (`reports.documents.context`), rendering the PDF's HTML, and laying it out with
WeasyPrint (`reports.pdf.html_to_pdf`). Nothing is written to the database.
"""

import gc
import time
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import resolve
from django.utils import translation

from safecities.reports import documents
from safecities.reports.models import ReportKind
from safecities.reports.pdf import html_to_pdf, page_count

from .bench_stats import Sampled

STEPS = ("gather", "render", "layout")
# A PDF takes seconds: at most this many timed builds of each, whatever --repeat says.
REPEAT = 3


@dataclass
class _Step(Sampled):
    samples: list[float] = field(default_factory=list)


@dataclass
class PdfTiming:
    label: str
    kind: str
    subject: str
    year: int
    steps: dict[str, _Step] = field(default_factory=lambda: {s: _Step() for s in STEPS})
    total: _Step = field(default_factory=_Step)
    pages: int = 0
    bytes: int = 0


def reports(context: dict[str, str]) -> list[PdfTiming]:
    """The reports to build, from the bench's page context (`bench.page_context()`)."""
    programme = resolve(context["programme_report"]).kwargs
    return [
        PdfTiming("programme report", ReportKind.PROGRAMME, programme["slug"], programme["year"]),
        PdfTiming("city profile", ReportKind.CITY, context["indicator_city"], 0),
    ]


def _build(timing: PdfTiming) -> None:
    marks = [time.perf_counter()]
    report_context = documents.context(timing.kind, timing.subject, timing.year)
    marks.append(time.perf_counter())
    html = render_to_string(documents.pdf_template(timing.kind), report_context)
    marks.append(time.perf_counter())
    pdf = html_to_pdf(html)
    marks.append(time.perf_counter())
    for step, start, end in zip(STEPS, marks, marks[1:], strict=False):
        timing.steps[step].samples.append(end - start)
    timing.total.samples.append(marks[-1] - marks[0])
    timing.pages, timing.bytes = page_count(pdf), len(pdf)


def time_pdfs(context: dict[str, str], *, repeat: int, out=None) -> list[PdfTiming]:
    """Build each report's PDF once to warm up (fonts, templates), then `repeat` times."""
    timings = reports(context)
    with translation.override("en"):
        for timing in timings:
            _build(timing)
            timing.steps = {s: _Step() for s in STEPS}
            timing.total = _Step()
        for _round in range(repeat):
            gc.collect()
            for timing in timings:
                _build(timing)
    if out:
        for t in timings:
            out.write(f"  {t.label} PDF: {t.total.median_ms / 1000:.2f} s, {t.pages} pages")
    return timings


def report(timings: list[PdfTiming], *, repeat: int) -> str:
    lines = [
        f"PDF builds: each report built {repeat} times in English after one warm-up; median "
        "seconds of each step of `reports.services.build_pdf`.",
        "",
        "| report | gather s | render s | layout s | total s | p95 s | pages | PDF KB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for t in timings:
        steps = " | ".join(f"{t.steps[s].median_ms / 1000:.2f}" for s in STEPS)
        lines.append(
            f"| {t.label} | {steps} | {t.total.median_ms / 1000:.2f} "
            f"| {t.total.p95_ms / 1000:.2f} | {t.pages} | {t.bytes / 1024:.0f} |"
        )
    return "\n".join(lines) + "\n"
