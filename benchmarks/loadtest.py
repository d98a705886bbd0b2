"""Throughput on loopback: the project under gunicorn, loaded by locust, endpoint by endpoint.

    .venv/bin/python benchmarks/loadtest.py --seconds 8     # or: make loadtest

It starts gunicorn (`safecities.wsgi`, `--workers` sync workers, DEBUG off) on 127.0.0.1 over
a database that it only reads: by default the bench database of the last `safecities bench`
(`bench.sqlite3` in SAFECITIES_VAR, a checkout's var/), or `--database FILE`, or
`--database-url URL`. It waits until the floor answers, then runs locust headless
once per endpoint of `locustfile.ENDPOINTS` for `--seconds` each with `--users` users that
never pause, and stops gunicorn. The table gives each endpoint's requests per second, its
median and 95th percentile response times, its failures, and its requests per second divided
by the floor's ("÷ floor rps": 1 is as fast as the framework alone). A run with any failure
exits non-zero.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"


@dataclass(frozen=True)
class Throughput:
    name: str
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float


def _percentile(response_times: dict[str, int], share: float) -> float:
    """The response time (ms, as locust rounds it) below which `share` of the requests fell."""
    times = sorted((float(ms), n) for ms, n in response_times.items())
    total = sum(n for _ms, n in times)
    rank, seen = share * total, 0
    for ms, n in times:
        seen += n
        if seen >= rank:
            return ms
    return times[-1][0] if times else 0.0


def read_stats(text: str, name: str) -> Throughput:
    """Endpoint `name`'s figures from locust's final statistics (`--json`, on its stdout):
    requests per second as locust counts them, over the first to the last request."""
    for entry in json.loads(text):
        if entry["name"] == name:
            seconds = entry["last_request_timestamp"] - entry["start_time"]
            return Throughput(
                name=name,
                requests=entry["num_requests"],
                failures=entry["num_failures"],
                rps=entry["num_requests"] / seconds if seconds > 0 else 0.0,
                median_ms=_percentile(entry["response_times"], 0.5),
                p95_ms=_percentile(entry["response_times"], 0.95),
            )
    raise LookupError(f"locust's statistics have no entry for {name!r}")


def report(results: list[Throughput], *, floor: str = "floor", heading: str = "") -> str:
    base = next(r for r in results if r.name == floor)
    lines = [heading, ""] if heading else []
    lines += [
        "| endpoint | requests | failures | requests/s | ÷ floor rps | median ms | p95 ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        ratio = r.rps / base.rps if base.rps else float("nan")
        lines.append(
            f"| {r.name} | {r.requests:,} | {r.failures} | {r.rps:.1f} | {ratio:.2f} "
            f"| {r.median_ms:.0f} | {r.p95_ms:.0f} |"
        )
    return "\n".join(lines) + "\n"


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit status {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s.")


def main(argv=None) -> int:
    from locustfile import ENDPOINTS  # beside this file

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    var = Path(os.environ.get("SAFECITIES_VAR") or HERE.parent / "var")
    where.add_argument(
        "--database",
        default=str(var / "bench.sqlite3"),
        help="a SQLite file (default: the bench database, bench.sqlite3 in SAFECITIES_VAR)",
    )
    where.add_argument("--database-url", help="e.g. postgres://…/safecities_bench")
    parser.add_argument("--seconds", type=int, default=8, help="per endpoint (default 8)")
    parser.add_argument("--users", type=int, default=4, help="concurrent users (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", help="also write the table to this file")
    args = parser.parse_args(argv)

    if not args.database_url and not Path(args.database).is_file():
        parser.error(f"{args.database} does not exist: make one with `safecities bench`.")
    url = args.database_url or f"sqlite:///{Path(args.database).resolve()}"
    host = f"http://127.0.0.1:{args.port}"
    scratch = Path(tempfile.mkdtemp(prefix="safecities-loadtest-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SAFECITIES_ENV": "development",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "SAFECITIES_OPEN_DATA_DIR": str(scratch / "open-data"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = [sys.executable, "-m", "gunicorn", "safecities.wsgi"]
    gunicorn += ["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)]
    gunicorn += ["--log-level", "warning"]
    server = subprocess.Popen(gunicorn, env=env)
    results = []
    try:
        _wait_until_up(host + ENDPOINTS["floor"], server)
        for name in ENDPOINTS:
            locust = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
            locust += ["--host", host, "--users", str(args.users)]
            locust += ["--spawn-rate", str(args.users), "--run-time", f"{args.seconds}s"]
            locust += ["--tags", name, "--json", "--only-summary"]
            locust += ["--loglevel", "WARNING", "--exit-code-on-error", "0"]
            print(f"{name}: {args.seconds} s …", file=sys.stderr, flush=True)
            done = subprocess.run(
                locust, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            )
            results.append(read_stats(done.stdout, name))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    heading = (
        f"Load test: gunicorn with {args.workers} sync workers on loopback, locust with "
        f"{args.users} users that never pause, {args.seconds} s per endpoint, one endpoint at "
        "a time."
    )
    table = report(results, heading=heading)
    print(table, end="")
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(table, encoding="utf-8")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
