"""`safecities analyze`: the query planner's statistics, which SQLite keeps only when asked."""

from io import StringIO

from django.core.management import call_command
from django.db import connection


def _measured(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
            return cursor.fetchone()[0] > 0
        # PostgreSQL: ANALYZE writes the rows it counted to reltuples (-1: never measured).
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0] >= 1


def test_analyze_measures_the_tables(demo):
    out = StringIO()
    call_command("analyze", stdout=out)
    assert "Statistics refreshed" in out.getvalue()
    assert _measured("network_municipality")
    assert _measured("core_user")
