from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "safecities.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self):
        from . import permissions  # noqa: F401 — registers the rules
