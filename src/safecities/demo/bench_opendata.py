"""The bench's open-data step: how long the open-data ZIP takes to build on the bench network
and how much memory it takes, measured in a process of its own.

`time_zip` starts a child Python process (the same settings and database, so the bench's
2,000,000 × scale observations) that builds the ZIP with `opendata.package.write_zip` into a
temporary file, a file at a time, and reports its time, its size, the observations in it and
two peaks: the process's own peak resident set size (`own_peak_kb`, what the machine gives it,
Python and Django included) and, built a second time under `tracemalloc`, the peak of what the
build itself allocated. A child of its own keeps the bench's earlier steps out of the resident
peak.

The resident peak is the child's `VmHWM`, not `resource.getrusage(RUSAGE_SELF).ru_maxrss`:
Linux carries `ru_maxrss` over from the process that started the child (the peak of the
bench's own process so far, over a gigabyte once the import step has run), so
the child reported the bench's peak rather than the ZIP's.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

# In the child: the JSON line that carries the result back, after this prefix.
RESULT = "zip-result: "


@dataclass(frozen=True)
class ZipTiming:
    seconds: float
    cpu_seconds: float  # of those, on the processor (the rest: waiting, for disk or a core)
    bytes: int
    observations: int
    max_rss_mb: float  # the child's own peak resident set size (`own_peak_kb`)
    traced_peak_mb: float  # the peak the build itself allocated (tracemalloc)


def own_peak_kb() -> int:
    """This process's own peak resident set size in kilobytes, since it started: `VmHWM` in
    `/proc/self/status`, which begins afresh with the program. `ru_maxrss` does not (Linux
    keeps, across the start of a program, the peak of the process that started it); it is the
    fallback where there is no `/proc` (in kilobytes on Linux, in bytes on macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _build() -> tuple[float, float, int]:
    from safecities.opendata import package

    with tempfile.TemporaryFile() as out:
        started, cpu = time.perf_counter(), time.process_time()
        package.write_zip(out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return seconds, cpu, out.tell()


def child() -> None:
    """Runs in the child process: build the ZIP twice (plainly, then traced) and print the
    result as one JSON line."""
    import tracemalloc

    import django

    django.setup()
    from safecities.opendata import selectors

    seconds, cpu_seconds, size = _build()
    max_rss_kb = own_peak_kb()
    tracemalloc.start()
    _build()
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    result = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "bytes": size,
        "observations": selectors.public_observations().count(),
        "max_rss_mb": max_rss_kb / 1024,
        "traced_peak_mb": traced_peak / 2**20,
    }
    sys.stdout.write(RESULT + json.dumps(result) + "\n")


def time_zip(*, out=None) -> ZipTiming:
    """Build the open-data ZIP in a child process and return what it measured."""
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "safecities.settings")
    code = "from safecities.demo.bench_opendata import child; child()"
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    line = next(
        line for line in completed.stdout.splitlines() if line.startswith(RESULT)
    ).removeprefix(RESULT)
    timing = ZipTiming(**json.loads(line))
    if out:
        out.write(
            f"  open-data ZIP: {timing.seconds:.1f} s ({timing.cpu_seconds:.1f} s CPU), "
            f"{timing.max_rss_mb:.0f} MB max RSS, "
            f"{timing.traced_peak_mb:.1f} MB traced peak, {timing.bytes / 2**20:.1f} MB"
        )
    return timing


def report(timing: ZipTiming) -> str:
    return (
        "\n".join(
            [
                f"Open data: the ZIP of every dataset, {timing.observations:,} observations "
                "in it, built in a process of its own.",
                "",
                "| build | seconds | CPU seconds | ZIP MB | max RSS MB | traced peak MB |",
                "|---|--:|--:|--:|--:|--:|",
                f"| `opendata.package.write_zip` | {timing.seconds:.1f} | {timing.cpu_seconds:.1f} "
                f"| {timing.bytes / 2**20:.1f} | {timing.max_rss_mb:.0f} "
                f"| {timing.traced_peak_mb:.1f} |",
            ]
        )
        + "\n"
    )
