"""`safecities backup [--output PATH]`: one archive of the database and the uploaded files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safecities.core import backup
from safecities.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write a consistent archive of the database and the uploaded files "
        "(default: safecities-backup-<UTC timestamp>.zip in the current folder)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="where to write the archive")
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, output=None, quiet=False, verbosity=1, **options):
        path = Path(output) if output else Path.cwd() / backup.default_filename()
        say = None if quiet or verbosity == 0 else self.stdout.write
        try:
            backup.write_backup(path, progress=say)
        except DomainError as error:
            raise CommandError(error.message) from error
