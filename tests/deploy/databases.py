"""A fresh PostgreSQL database beside the suite's, for a deployment test's own servers."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings


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
