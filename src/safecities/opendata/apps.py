from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "safecities.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        from . import datasets

        datasets.register_all()
