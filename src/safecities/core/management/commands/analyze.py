from django.core.management.base import BaseCommand
from django.db import connection

from safecities.core import database


class Command(BaseCommand):
    help = (
        "Refresh the query planner's statistics of every table (ANALYZE). SQLite keeps none "
        "unless asked: run it daily from cron, and after a large import."
    )

    def handle(self, *args, **options):
        database.refresh_statistics()
        if options["verbosity"]:
            self.stdout.write(f"Statistics refreshed ({connection.vendor}).")
