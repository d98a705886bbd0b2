"""The `safecities` console command: Django's management commands with our settings.

The database is where the settings say, whichever folder the command is started from (see
`settings.VAR_DIR`). Only `migrate` creates a SQLite database that is not there, and the folder
it lives in; the other commands that read or write data refuse in one line instead of creating
an empty file.
"""

import os
import sys
from contextlib import suppress

# Commands that create the database.
CREATES_DATABASE = {"migrate"}
# Commands that never touch the main database (or bring their own, as the bench does).
NEEDS_NO_DATABASE = {
    "bench",
    "check",
    "collectstatic",
    "compilemessages",
    "diffsettings",
    "findstatic",
    "help",
    "makemessages",
    "makemigrations",
    "sendtestemail",
    "test",
    "version",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecities.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import CommandError, execute_from_command_line
    from django.core.management.base import CommandParser, handle_default_options

    program = os.path.basename(sys.argv[0]) or "safecities"
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if not command.startswith("-"):
        # --settings and --pythonpath, read as Django's own command line reads them.
        parser = CommandParser(add_help=False, allow_abbrev=False)
        parser.add_argument("--settings")
        parser.add_argument("--pythonpath")
        with suppress(CommandError):
            options, _rest = parser.parse_known_args(sys.argv[2:])
            handle_default_options(options)
        try:
            django.setup()
        except ImproperlyConfigured as error:
            sys.exit(f"{program}: {error}")
        from safecities.core import database

        if command in CREATES_DATABASE:
            database.prepare_to_create()
        elif command not in NEEDS_NO_DATABASE and (problem := database.missing_database()):
            sys.exit(f"{program}: {problem}")
    execute_from_command_line([program, *sys.argv[1:]])


if __name__ == "__main__":
    main()
