from django.core.management.base import BaseCommand, CommandError

from safecities.network.services import registry


class Command(BaseCommand):
    help = (
        "Load every current municipality of the Nordic registry files shipped with the package "
        "(see docs/registry.md). Loading twice changes nothing; a newer file updates names and "
        "regions and records each change in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=None, help="Read the registry files from this folder instead."
        )

    def handle(self, *args, dir=None, **options):
        try:
            result = registry.load(dir)
        except registry.RegistryFileError as exc:
            raise CommandError(f"Nothing was loaded: {exc.message}") from exc
        counts = ", ".join(f"{c} {n}" for c, n in result.per_country.items())
        self.stdout.write(
            f"Registry: {counts}. {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged; former codes: {result.predecessors_created} added, "
            f"{result.predecessors_updated} updated."
        )
