from datetime import date

from django.core.management.base import BaseCommand, CommandError

from safecities.grants import services


class Command(BaseCommand):
    help = (
        "Mail grantees about reports due within two weeks or overdue (each at most once a "
        "week). Run it daily, e.g. from cron. A reminder whose mail fails stays due: it is "
        "named on one line, the others still go, and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Count as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        done = services.send_report_reminders(today=day)
        self.stdout.write(f"{done.sent} reminder(s) sent.")
        for line in done.failed:
            self.stderr.write(line)
        if done.failed:
            raise CommandError(
                f"{len(done.failed)} reminder(s) not sent; they stay due for the next run.",
                returncode=1,
            )
