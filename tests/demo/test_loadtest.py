"""The load test's files: the locustfile names its endpoints, one tagged task each, and the
runner reads locust's statistics into the throughput table. Locust itself is not run here
(it patches the standard library with gevent, so it is imported in a process of its own)."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
ENDPOINTS = ["floor", "home", "member directory", "practice search", "API organisations"]


def _loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", BENCHMARKS / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_locustfile_imports_and_has_one_tagged_task_per_endpoint():
    code = (
        "import json, locustfile; "
        "print(json.dumps({'endpoints': locustfile.ENDPOINTS, 'tags': "
        "[sorted(t.locust_tag_set) for t in locustfile.Reader.tasks]}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(found["endpoints"]) == ENDPOINTS
    assert found["endpoints"]["floor"] == "/_floor/"
    assert found["endpoints"]["API organisations"].startswith("/api/v1/")
    assert found["tags"] == [[name] for name in ENDPOINTS]


def test_the_runner_reads_locusts_statistics_into_requests_per_second_against_the_floor(
    tmp_path,
):
    loadtest = _loadtest()
    # locust's --json: per endpoint, the requests, failures, first and last request times and
    # how many requests took each (rounded) number of milliseconds.
    stats = json.dumps(
        [
            {
                "name": "home",
                "num_requests": 400,
                "num_failures": 0,
                "start_time": 1000.0,
                "last_request_timestamp": 1008.0,
                "response_times": {"10": 100, "18": 200, "30": 80, "40": 20},
            },
            {
                "name": "floor",
                "num_requests": 1000,
                "num_failures": 0,
                "start_time": 1000.0,
                "last_request_timestamp": 1008.0,
                "response_times": {"7": 900, "12": 100},
            },
        ]
    )
    floor = loadtest.read_stats(stats, "floor")
    home = loadtest.read_stats(stats, "home")
    assert (home.requests, home.failures, home.rps) == (400, 0, 50.0)
    assert (home.median_ms, home.p95_ms) == (18.0, 30.0)
    table = loadtest.report([floor, home], heading="Load test")
    assert "| floor | 1,000 | 0 | 125.0 | 1.00 | 7 | 12 |" in table
    assert "| home | 400 | 0 | 50.0 | 0.40 | 18 | 30 |" in table
