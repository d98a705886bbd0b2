import time

from django.core.management.base import BaseCommand, CommandError

from safecities.core import outbox


class Command(BaseCommand):
    help = (
        "Send every mail still owed (a mail whose server failed when its action was done), "
        "oldest first. One line per mail that fails again; it stays owed and the command exits "
        "with status 1. Run it from cron, or let it loop with --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running: try the owed mails again every SECONDS seconds until stopped.",
        )

    def handle(self, *args, every=None, **options):
        if every is not None and every < 1:
            raise CommandError("--every: give a number of seconds of 1 or more.")
        while True:
            run = outbox.deliver_owed()
            self.stdout.write(f"{run.sent} owed mail(s) sent.")
            for line in run.failed:
                self.stderr.write(line)
            if every is None:
                break
            self.stdout.flush()
            time.sleep(every)
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} mail(s) not sent; they stay owed for the next run.",
                returncode=1,
            )
