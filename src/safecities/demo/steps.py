"""The demo loader's shared helpers: what every step uses."""

from datetime import datetime, time

from django.utils import timezone


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


class Steps:
    """What every step of the demo loader shares: its output and its count of records made."""

    def __init__(self, out=None):
        self.out = out
        self.created = 0

    def say(self, text: str) -> None:
        if self.out:
            self.out.write(text)

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += int(created)
        return obj
