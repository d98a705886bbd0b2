"""How each page's cost grows with the data: `safecities bench --growth 0.1,1`.

The command times the pages (`bench.time_pages`) at each scale in turn, each run in its own
child process and database, and each child writes its results with `dump`. `report` then sets
the runs side by side: for each page, its median at each scale and the ratio of the medians
of each later scale to the first ("× growth"), with the ratio of the floor beside it (what the
machine itself drifted by between the runs) and the query counts, which should not move.

A page whose ratio ("÷ floor", the ratio with the machine's drift taken out) stays near 1 does
not grow with the data; one near the ratio of the scales grows linearly (it reads every row);
above that, faster than the data.
"""

import json
from dataclasses import dataclass
from pathlib import Path

FLOOR_LABEL = "floor"


@dataclass(frozen=True)
class PageRun:
    label: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int


@dataclass(frozen=True)
class Run:
    scale: float
    engine: str
    rows: dict[str, int]
    pages: list[PageRun]

    def page(self, label: str) -> PageRun | None:
        return next((p for p in self.pages if p.label == label), None)


def dump(path, results, *, scale: float, rows: dict[str, int], engine: str) -> None:
    """Write one run's page results (`bench.Result`s) as JSON for `load`."""
    data = {
        "scale": scale,
        "engine": engine,
        "rows": rows,
        "pages": [
            {
                "label": r.page.label,
                "path": r.path,
                "median_ms": r.median_ms,
                "p95_ms": r.p95_ms,
                "queries": r.queries,
            }
            for r in results
        ],
    }
    Path(path).write_text(json.dumps(data), encoding="utf-8")


def load(path) -> Run:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Run(
        scale=data["scale"],
        engine=data["engine"],
        rows=data["rows"],
        pages=[PageRun(**page) for page in data["pages"]],
    )


def _ratio(after: float, before: float) -> str:
    return f"{after / before:.2f}" if before else "–"


def report(runs: list[Run]) -> str:
    """The growth table: per page, the median at each scale, the ratio of each later scale's
    median to the first's, that ratio divided by the floor's own (what is left once the
    machine's drift between the runs is taken out), and the queries at each scale."""
    first, later = runs[0], runs[1:]
    scales = " → ".join(f"{r.scale:g}" for r in runs)
    sizes = "; ".join(
        f"scale {r.scale:g} is {r.scale / first.scale:g} × scale {first.scale:g}" for r in later
    )
    lines = [
        f"Growth: the pages at scales {scales} ({first.engine}); {sizes}. “× growth” is the "
        "ratio of the medians (later ÷ first); “÷ floor” divides it by the floor's own ratio, "
        "which is what the machine drifted by between the runs.",
        "",
    ]
    header = ["page"]
    header += [f"median ms at {r.scale:g}" for r in runs]
    for r in later:
        header += [f"× growth to {r.scale:g}", "÷ floor"]
    header += ["queries"]
    lines += [
        "| " + " | ".join(header) + " |",
        "|---|" + "--:|" * (len(header) - 1),
    ]
    floors = [run.page(FLOOR_LABEL) for run in runs]
    for page in first.pages:
        matched = [run.page(page.label) for run in runs]
        cells = [f"{m.median_ms:.1f}" if m else "–" for m in matched]
        for m, floor in zip(matched[1:], floors[1:], strict=True):
            if m is None:
                cells += ["–", "–"]
                continue
            growth = m.median_ms / page.median_ms if page.median_ms else 0.0
            drift = floor.median_ms / floors[0].median_ms if floor and floors[0] else 0.0
            cells += [_ratio(m.median_ms, page.median_ms), _ratio(growth, drift)]
        cells.append(" → ".join(str(m.queries) if m else "–" for m in matched))
        lines.append(f"| {page.label} | " + " | ".join(cells) + " |")
    rows = sorted(set(first.rows) & set(runs[-1].rows), key=list(first.rows).index)
    lines += [
        "",
        "Rows: "
        + ", ".join(f"{name} {' → '.join(f'{r.rows[name]:,}' for r in runs)}" for name in rows)
        + ".",
    ]
    return "\n".join(lines) + "\n"
