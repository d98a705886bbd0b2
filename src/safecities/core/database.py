"""Where the SQLite database is, and whether it has been created.

SQLite creates an empty file whenever a program opens one that does not exist, so a command
run with the wrong settings would make a new, empty database and then fail on its first query.
The `safecities` command and the web server ask here first: only `safecities migrate` creates
the database (and the folder it lives in); everything else refuses, in one line, to run on a
database that is not there.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.conf import settings


def sqlite_file(alias: str = "default") -> Path | None:
    """The file of a SQLite database, or None for another engine or an in-memory database."""
    database = settings.DATABASES[alias]
    if not database["ENGINE"].endswith("sqlite3"):
        return None
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


def _has_tables(path: Path) -> bool:
    """Whether the file holds Django's migration table, read without creating or changing it."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as probe:
            found = probe.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
    except sqlite3.Error:
        return True  # not ours to judge: the command itself reports what is wrong
    return found is not None


def missing_database(alias: str = "default") -> str | None:
    """Why the SQLite database cannot be used yet (one line), or None when it can."""
    path = sqlite_file(alias)
    if path is None:
        return None
    if not path.exists():
        return (
            f"The database {path} does not exist. Create it with `safecities migrate`, or point "
            "SAFECITIES_VAR (or DATABASE_URL) at the existing one."
        )
    if not _has_tables(path):
        return (
            f"The database {path} is empty (it holds no tables). Create its tables with "
            "`safecities migrate`, or point SAFECITIES_VAR (or DATABASE_URL) at the existing one."
        )
    return None


def prepare_to_create(alias: str = "default") -> None:
    """Make the folder the SQLite database is to be created in (for `safecities migrate`)."""
    path = sqlite_file(alias)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


# Rows of each index that SQLite's ANALYZE reads (what `PRAGMA optimize` uses): enough for the
# planner to tell a table of thousands from one of millions, in well under a second on either.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(alias: str = "default") -> None:
    """Have the query planner measure the tables and indexes anew (`ANALYZE`).

    PostgreSQL's autovacuum does this by itself; SQLite never does, and without statistics it
    guesses every table's size when it plans a join (`safecities analyze`, run daily like the
    other jobs, see docs/deploy.md)."""
    from django.db import connections

    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
