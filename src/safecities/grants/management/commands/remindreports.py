from datetime import date

from django.core.management.base import BaseCommand, CommandError

from safecities.grants import services


class Command(BaseCommand):
    help = (
        "Mail grantees about reports due within two weeks or overdue (each at most once a "
        "week). Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Count as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        sent = services.send_report_reminders(today=day)
        self.stdout.write(f"{sent} reminder(s) sent.")
