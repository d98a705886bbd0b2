"""`safecities restore PATH`: load a backup archive into an empty installation."""

from django.core.management.base import BaseCommand, CommandError

from safecities.core import backup
from safecities.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load an archive written by `safecities backup` into an empty installation (a new "
        "database after `safecities migrate`). Checks the whole archive first; a refusal or a "
        "failure changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to restore")
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, path, quiet=False, verbosity=1, **options):
        say = None if quiet or verbosity == 0 else self.stdout.write
        try:
            backup.restore_backup(path, progress=say)
        except DomainError as error:
            raise CommandError(error.message) from error
