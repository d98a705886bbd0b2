from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "safecities.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self):
        from . import permissions, personal_data

        assert permissions  # imported to register the rules

        personal_data.register_section()  # profile, roles, membership applications

        from . import notifications

        notifications.register()  # the mails it owes, kept until sent (core.outbox)

        from . import workspace

        workspace.register()  # its panel on the start page (core.workspace)
