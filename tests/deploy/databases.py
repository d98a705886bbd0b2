"""A fresh PostgreSQL database for a deployment test's own servers: beside the suite's when the
suite runs on PostgreSQL, or on a throwaway server of the test's own when it runs on SQLite."""

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings

SERVER_BINARIES = Path("/usr/lib/postgresql")


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """Create an empty database on the suite's PostgreSQL server, yield its URL, drop it after
    (with any connection the servers left open)."""
    import psycopg

    db = settings.DATABASES["default"]
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian's layout), if any."""
    found = sorted(
        (p for p in SERVER_BINARIES.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(argv: list[str]) -> None:
    """Run a server command; as root, as the postgres user (the server refuses to run as root)."""
    if os.geteuid() == 0:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]
    subprocess.run(argv, check=True, capture_output=True, text=True, timeout=120)


@contextmanager
def throwaway_postgres_server(bin_dir: Path) -> Iterator[str]:
    """Start a PostgreSQL server of our own on a loopback port, as CI and `make bench-pg` do (a
    cluster in a temporary folder, trust auth, fsync off), yield its URL, stop it and delete
    the cluster after."""
    data = Path(tempfile.mkdtemp(prefix="safecities-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port = _free_port()
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    try:
        _as_postgres(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8"]
        )
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres(pg_ctl + ["-l", str(data / "server.log"), "-w", "-o", options, "start"])
        _as_postgres(
            [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port)]
            + ["-U", "postgres", "safecities"]
        )
        yield f"postgres://postgres@127.0.0.1:{port}/safecities"
    finally:
        with suppress(subprocess.CalledProcessError):  # it never started: nothing to stop
            _as_postgres(pg_ctl + ["-m", "immediate", "stop"])
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for servers of a test's own, whatever engine the suite runs
    on. With neither a suite server nor the server binaries, the test fails saying what to
    install, as the browser tests do without chromium: the suite needs both."""
    import pytest

    if on_postgres():
        with fresh_postgres_database(prefix) as url:
            yield url
        return
    bin_dir = server_binaries()
    if bin_dir is None:
        pytest.fail(
            "The deployment tests start PostgreSQL servers of their own, and the PostgreSQL "
            f"server is not installed (nothing under {SERVER_BINARIES}). Install it with "
            "`apt-get install postgresql`, as .ci/run does.",
            pytrace=False,
        )
    with throwaway_postgres_server(bin_dir) as url:
        yield url
