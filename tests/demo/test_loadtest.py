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
    stats = tmp_path / "run_stats.csv"
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
    )
    stats.write_text(
        header + "\n"
        "GET,home,400,0,18,20,5,90,30000,50.0,0.0,18,20,22,24,30,40,60,80,90,90,90\n"
        "GET,floor,1000,0,7,8,2,40,9000,125.0,0.0,7,8,9,9,10,12,15,20,40,40,40\n"
        ",Aggregated,1400,0,9,11,2,90,15000,175.0,0.0,9,10,12,13,20,30,40,60,90,90,90\n",
        encoding="utf-8",
    )
    floor = loadtest.read_stats(stats, "floor")
    home = loadtest.read_stats(stats, "home")
    assert (home.requests, home.failures, home.rps, home.p95_ms) == (400, 0, 50.0, 40.0)
    table = loadtest.report([floor, home], heading="Load test")
    assert "| floor | 1,000 | 0 | 125.0 | 1.00 | 7 | 12 |" in table
    assert "| home | 400 | 0 | 50.0 | 0.40 | 18 | 40 |" in table
