import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safecities.core import retention


class Command(BaseCommand):
    help = (
        "Run every retention rule (see the privacy page): erase personal data kept longer than "
        "its period, and print what each rule did. Run it daily from cron, or let it loop with "
        "--every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Count as if it were this moment (ISO 8601, e.g. 2026-03-01T00:00)."
        )
        parser.add_argument(
            "--rule",
            action="append",
            choices=[rule.name for rule in retention.rules()],
            help="Run only this rule (may be given more than once).",
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running: run the rules again every SECONDS seconds until stopped.",
        )

    def handle(self, *args, now=None, every=None, rule=None, **options):
        try:
            moment = datetime.fromisoformat(now) if now else None
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if every is not None and every < 1:
            raise CommandError("--every: give a number of seconds of 1 or more.")
        while True:
            for done, count in retention.run_all(now=moment, names=rule):
                self.stdout.write(f"{done.name}: {count} erased ({done.setting}: {done.period()})")
            if every is None:
                return
            self.stdout.flush()
            time.sleep(every)
