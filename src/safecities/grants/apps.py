from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "safecities.grants"
    label = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from . import permissions  # noqa: F401 — registers the rules
