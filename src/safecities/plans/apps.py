from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "safecities.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from . import permissions  # noqa: F401 — registers the rules
