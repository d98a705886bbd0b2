"""The bench's open-data step reports the memory of the ZIP's build, not of the bench around it:
Linux carries `ru_maxrss` over from the process that starts a program, so the child that builds
the ZIP, started by a bench that had held a gigabyte, reported a gigabyte."""

import os
import subprocess
import sys

HELD = 256 * 2**20  # bytes the starting process holds, far above a bare Python's peak

CHILD = (
    "import resource\n"
    "from safecities.demo.bench_opendata import own_peak_kb\n"
    "print(own_peak_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def test_a_child_reports_its_own_peak_not_that_of_the_process_that_started_it():
    held = b"\1" * HELD  # written, so resident
    completed = subprocess.run(
        [sys.executable, "-c", CHILD],
        env={**os.environ},
        check=True,
        capture_output=True,
        text=True,
    )
    assert len(held) == HELD
    own_kb, inherited_kb = (int(n) for n in completed.stdout.split())
    # What the child was handed: the peak of this process, holding HELD.
    assert inherited_kb * 1024 > HELD
    # What it used itself: a bare Python and the bench module.
    assert 0 < own_kb * 1024 < HELD / 4, (own_kb, inherited_kb)
