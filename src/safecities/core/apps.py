from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "safecities.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks, personal_data, retention, security, two_factor  # noqa: F401  (they register themselves)

        personal_data.register_core()  # the login, tokens, sessions, login records, audit trail
        retention.register_core()  # inactive accounts, old login records
        from . import states

        states.load_all()  # every app's workflows, for `{% status_tag %}` and the checks
        from . import choice_labels

        choice_labels.install()  # `get_FOO_display` from a table per field and language
