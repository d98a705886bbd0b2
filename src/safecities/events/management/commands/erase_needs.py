from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safecities.events import services


class Command(BaseCommand):
    help = (
        "Erase participants' needs (diet, access) once their events ended more than the "
        "event's retention days ago, and small groups' notes older than the group keeps them. "
        "Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Count as if it were this moment (ISO 8601, e.g. 2026-03-01T00:00)."
        )

    def handle(self, *args, now=None, **options):
        try:
            moment = datetime.fromisoformat(now) if now else None
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        needs = services.erase_expired_needs(now=moment)
        notes = services.erase_expired_notes(now=moment)
        self.stdout.write(f"{needs} registration(s)' needs erased, {notes} note(s) erased.")
