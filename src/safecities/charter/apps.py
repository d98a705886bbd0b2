from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "safecities.charter"
    label = "charter"
    verbose_name = _("Charter")

    def ready(self):
        from . import permissions, services  # noqa: F401 — registers rules and hooks
