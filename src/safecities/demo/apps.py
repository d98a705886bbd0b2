from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network and the benchmark's large one. Sits above every domain app."""

    name = "safecities.demo"
    label = "demo"
    verbose_name = "Demo"
