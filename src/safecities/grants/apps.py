from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "safecities.grants"
    label = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from . import permissions, personal_data

        assert permissions  # imported to register the rules

        personal_data.register_section()

        from . import notifications

        notifications.register()  # the mails it owes, kept until sent (core.outbox)

        from . import workspace

        workspace.register()  # its panels on the start page (core.workspace)
