from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "safecities.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        # A restore loads the Document rows; the full-text part beside them is rebuilt.
        from safecities.core import backup

        from . import services

        backup.register_rebuild("search", services.rebuild_fulltext)
