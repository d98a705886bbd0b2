from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "safecities.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from . import permissions, personal_data

        assert permissions  # imported to register the rules

        personal_data.register_section()

        from . import workspace

        workspace.register()  # its panel on the start page (core.workspace)
