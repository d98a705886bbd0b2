"""`safecities db_worker`: django-tasks' database worker (django-tasks-db), kept running when
the database stays locked.

The worker opens an exclusive transaction to claim the next task. When another process holds
SQLite's write lock past the busy timeout (or PostgreSQL's lock_timeout runs out), that
transaction cannot begin and django-tasks-db's worker exits; this one logs one line and tries
again after its interval. Every option is django-tasks-db's (`safecities db_worker --help`).
"""

import logging
import time

from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker as base

from safecities.core.errors import is_database_locked

logger = logging.getLogger("safecities.worker")


class Worker(base.Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except OperationalError as exc:
                if not is_database_locked(exc) or not self.running:
                    raise
                logger.warning("The database stayed locked; the worker tries again: %s", exc)
                close_old_connections()
                time.sleep(max(self.interval, 0.1))


class Command(base.Command):
    help = base.Command.help

    def handle(self, *args, **options) -> None:
        # django-tasks-db's command builds its module's `Worker`: this one, while it runs.
        original = base.Worker
        base.Worker = Worker
        try:
            super().handle(*args, **options)
        finally:
            base.Worker = original
