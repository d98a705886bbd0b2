from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "safecities.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from . import permissions, personal_data

        assert permissions  # imported to register the rules

        personal_data.register_section()
