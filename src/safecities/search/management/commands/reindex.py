"""`safecities reindex [kind …]`: rebuild the search index from the registered providers."""

from django.core.management.base import BaseCommand, CommandError

from safecities.search import api as search
from safecities.search import registry


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every registered provider (or the kinds named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="kinds to rebuild (default: all)")

    def handle(self, *args, kinds, **options):
        known = sorted(registry.providers())
        unknown = [kind for kind in kinds if kind not in known]
        if unknown:
            raise CommandError(
                f"No search provider for {', '.join(unknown)}. Known: {', '.join(known) or 'none'}."
            )
        counts = search.reindex(kinds or None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} documents")
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} documents."))
