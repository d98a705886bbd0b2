from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safecities.api"
    label = "api"
    verbose_name = "API"
