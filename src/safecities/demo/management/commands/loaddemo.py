from django.core.management.base import BaseCommand

from safecities.demo.loader import Loader
from safecities.network.models import Membership


class Command(BaseCommand):
    help = "Load the demo network of the source texts. Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database holds a network (members; the registry alone is none).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Membership.objects.exists():
            self.stdout.write("The database already holds a network; the demo is not loaded.")
            return
        Loader(out=self.stdout).run()
