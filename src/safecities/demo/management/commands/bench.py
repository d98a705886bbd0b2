"""`safecities bench`: time the main pages on a large synthetic network in its own database.

The command never touches the configured database. It starts itself again in a child
process whose DATABASE_URL names the bench database (by default var/bench.sqlite3), and the
child migrates it, loads the demo network, generates the synthetic one and times the pages.
With --growth A,B it runs a child for each scale (the pages only) and sets their medians side
by side (`bench_growth`).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from argparse import SUPPRESS, ArgumentTypeError
from contextlib import closing
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from safecities.core import database
from safecities.demo.bench_network import MARKER_ACTION

# The child process is told so through the environment: `--inner` alone never runs.
INNER_ENV = "SAFECITIES_BENCH_INNER"


def _is_bench_file(path: Path) -> bool:
    """Whether the SQLite file at `path` is a bench database (or holds nothing at all)."""
    if path.stat().st_size == 0:
        return True
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
            if tables[0] == 0:
                return True
            found = db.execute(
                "SELECT count(*) FROM core_auditevent WHERE action = ?", [MARKER_ACTION]
            ).fetchone()
            return found[0] > 0
    except sqlite3.DatabaseError:
        return False


def _scales(value: str) -> list[float]:
    try:
        scales = [float(part) for part in value.split(",")]
    except ValueError as error:
        raise ArgumentTypeError("give scales separated by commas, e.g. 0.1,1") from error
    if len(scales) < 2 or any(s <= 0 for s in scales):
        raise ArgumentTypeError("give two or more scales above 0, e.g. 0.1,1")
    return scales


def _same_database(a: dict, b: dict) -> bool:
    if a.get("ENGINE") != b.get("ENGINE"):
        return False
    if a["ENGINE"].endswith("sqlite3"):
        return Path(str(a.get("NAME"))).resolve() == Path(str(b.get("NAME"))).resolve()
    return all(a.get(k) == b.get(k) for k in ("NAME", "HOST", "PORT"))


class Command(BaseCommand):
    help = (
        "Generate a large synthetic network into the bench's own database and time the main "
        "pages and API lists against the floor: median, 95th percentile, ratio and SQL queries."
    )
    requires_system_checks = []  # the child process checks; this one only starts it

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size of the network: 1 is 500 municipalities, 5,000 organisations and "
            "20,000 people (default 1; 0.05 for a quick run).",
        )
        parser.add_argument(
            "--repeat", type=int, default=20, help="Timed requests per page (default 20)."
        )
        parser.add_argument(
            "--database",
            default=None,
            help="Path of the bench SQLite file (default var/bench.sqlite3). It is replaced "
            "unless --keep finds a bench of the same scale in it.",
        )
        parser.add_argument(
            "--database-url",
            default=None,
            help="Run against this database instead, e.g. postgres://… for PostgreSQL. It must "
            "be empty or hold an earlier bench network.",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Reuse the bench database if it holds a network of the same scale.",
        )
        parser.add_argument("--output", default=None, help="Also write the table to this file.")
        parser.add_argument(
            "--growth",
            default=None,
            type=_scales,
            help="Time the pages at two or more scales, e.g. 0.1,1, and report for each page "
            "how its median grows from the first scale to each next (the pages only; each "
            "scale in its own SQLite file, bench-SCALE.sqlite3, or in turn in --database-url).",
        )
        parser.add_argument("--inner", action="store_true", help=SUPPRESS)
        parser.add_argument(
            "--pages-only",
            action="store_true",
            help="Time the pages only: no PDF builds, import, search or open-data ZIP.",
        )
        parser.add_argument("--json", default=None, help=SUPPRESS)

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be above 0.")
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        if options["inner"]:
            if os.environ.get(INNER_ENV) != "1":
                raise CommandError("--inner is the bench's own child process; run `bench`.")
            return self.inner(**options)
        return self.outer(**options)

    # --- the parent: choose the database, start the child ----------------------------------

    def outer(self, *, scale, repeat, database, database_url, keep, output, growth, **options):
        if not growth:
            self.run_child(
                scale,
                repeat,
                database,
                database_url,
                keep,
                output=output,
                options=options,
                extra=["--pages-only"] if options.get("pages_only") else [],
            )
            return
        from safecities.demo import bench_growth

        runs = []
        with tempfile.TemporaryDirectory(prefix="safecities-growth-") as results:
            for each in growth:
                # Each scale in a file of its own, so --keep can reuse both.
                path = Path(database or settings.VAR_DIR / "bench.sqlite3")
                per_scale = (
                    None if database_url else path.with_name(f"{path.stem}-{each:g}.sqlite3")
                )
                json_file = Path(results) / f"{each:g}.json"
                self.run_child(
                    each,
                    repeat,
                    per_scale,
                    database_url,
                    keep,
                    options=options,
                    extra=["--pages-only", "--json", str(json_file)],
                )
                runs.append(bench_growth.load(json_file))
        table = bench_growth.report(runs)
        self.stdout.write("\n" + table, ending="")
        if output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(table, encoding="utf-8")

    def run_child(
        self, scale, repeat, database, database_url, keep, *, output=None, options, extra=()
    ):
        """Choose the bench database (and empty it unless --keep), then run the child."""
        main = settings.DATABASES["default"]
        cleanup = None
        if database_url:
            if database:
                raise CommandError("Give --database or --database-url, not both.")
            url = database_url
            if _same_database(dj_database_url.parse(url), main):
                raise CommandError("--database-url names the main database; give another one.")
            files = cleanup = Path(tempfile.mkdtemp(prefix="safecities-bench-"))
        else:
            path = Path(database or settings.VAR_DIR / "bench.sqlite3").resolve()
            if main["ENGINE"].endswith("sqlite3") and path == Path(str(main["NAME"])).resolve():
                raise CommandError(f"{path} is the main database; give another --database.")
            files = path.with_name(f"{path.stem}-files")  # uploads of the demo network
            if path.exists():
                if not _is_bench_file(path):
                    raise CommandError(
                        f"{path} exists and is not a bench database; delete it or give "
                        "another --database."
                    )
                if not keep:
                    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                        stale.unlink(missing_ok=True)
                    shutil.rmtree(files, ignore_errors=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{path}"
        for sub in ("media", "static"):
            (files / sub).mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            INNER_ENV: "1",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(files / "media"),
            "STATIC_ROOT": str(files / "static"),
            "SAFECITIES_ENV": "development",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        if options.get("pythonpath"):  # --settings reaches the child through the environment
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (options["pythonpath"], env.get("PYTHONPATH")) if p
            )
        command = [sys.executable, "-m", "safecities.cli", "bench", "--inner"]
        command += ["--scale", repr(scale), "--repeat", str(repeat)]
        if keep:
            command.append("--keep")
        if output:
            command += ["--output", str(Path(output).resolve())]
        command += list(extra)
        self.stderr.write(f"Bench database: {'--database-url' if database_url else path}")
        try:
            # The table comes back through our stdout (so call_command(stdout=…) sees it);
            # the child's progress goes straight to stderr.
            completed = subprocess.run(
                command, env=env, check=False, stdout=subprocess.PIPE, text=True
            )
        finally:
            if cleanup:
                shutil.rmtree(cleanup, ignore_errors=True)
        self.stdout.write(completed.stdout, ending="")
        if completed.returncode != 0:
            raise CommandError(f"The bench failed (exit status {completed.returncode}).")

    # --- the child: generate, time, report ---------------------------------------------------

    def inner(self, *, scale, repeat, keep, output, **options):
        from django.db import connection

        from safecities.demo import (
            bench,
            bench_growth,
            bench_indicators,
            bench_network,
            bench_opendata,
            bench_practices,
            bench_reports,
        )
        from safecities.demo.loader import Loader

        tables = connection.introspection.table_names()
        if tables and not ("core_auditevent" in tables and bench_network.bench_marker()):
            raise CommandError(
                "The database holds tables that the bench did not make; give an empty one."
            )
        call_command("migrate", interactive=False, verbosity=0)
        generated_in = None
        if keep and bench_network.is_reusable(scale):
            self.stderr.write(f"Reusing the bench network of scale {scale:g}.")
            # A network generated before the bench measured its tables is measured now.
            database.refresh_statistics()
        else:
            if bench_network.bench_marker():
                self.stderr.write("Emptying the earlier bench network.")
                call_command("flush", interactive=False, verbosity=0)
            self.stderr.write(f"Generating a network of scale {scale:g} …")
            started = time.perf_counter()
            bench_network.mark(scale=scale, complete=False)
            Loader().run()
            bench_network.Generator(scale=scale, out=self.stderr).run()
            generated_in = time.perf_counter() - started
            self.stderr.write(f"Generated in {generated_in:.1f} s.")
        self.stderr.write(f"Timing {len(bench.PAGES)} pages, {repeat} requests each …")
        try:
            results = bench.time_pages(repeat=repeat, out=self.stderr)
        except bench.PageFailed as error:
            raise CommandError(str(error)) from error
        rows = bench_network.row_counts()
        if options.get("json"):
            bench_growth.dump(
                options["json"], results, scale=scale, rows=rows, engine=bench.database_name()
            )
        extras = {}
        if not options.get("pages_only"):
            self.stderr.write("Building report PDFs …")
            pdf_repeat = min(repeat, bench_reports.REPEAT)
            pdfs = bench_reports.time_pdfs(bench.page_context(), repeat=pdf_repeat, out=self.stderr)
            self.stderr.write("Timing an import against a raw insert …")
            extras["imports"] = bench_indicators.time_import(scale=scale, out=self.stderr)
            self.stderr.write("Timing the knowledge bank's search against raw full-text …")
            extras["searches"] = bench_practices.time_search(repeat=repeat, out=self.stderr)
            self.stderr.write("Building the open-data ZIP in a process of its own …")
            extras["zip_timing"] = bench_opendata.time_zip(out=self.stderr)
            extras["pdfs"] = bench_reports.report(pdfs, repeat=pdf_repeat)
        table = bench.report(
            results,
            scale=scale,
            repeat=repeat,
            rows=rows,
            generated_in=generated_in,
            **extras,
        )
        self.stdout.write(table, ending="")
        if output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(table, encoding="utf-8")
