from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "safecities.practices"
    label = "practices"
    verbose_name = _("Knowledge bank")

    def ready(self):
        from . import permissions, personal_data, search

        assert permissions  # imported to register the rules
        search.register()
        personal_data.register_section()  # contacts, translators, authors

        from . import workspace

        workspace.register()  # its panel on the start page (core.workspace)
