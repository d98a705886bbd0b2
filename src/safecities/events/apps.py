from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "safecities.events"
    label = "events"
    verbose_name = _("Events and small groups")

    def ready(self):
        from . import computed, permissions  # noqa: F401 — registers the rules

        computed.register()  # attendance as the "network-events-attended" indicator

        from . import personal_data, retention

        personal_data.register_section()  # registrations, needs, groups, feed addresses
        retention.register_rules()  # participants' needs, small groups' notes

        from . import notifications

        notifications.register()  # the mails it owes, kept until sent (core.outbox)

        from . import workspace

        workspace.register()  # its panels on the start page (core.workspace)
