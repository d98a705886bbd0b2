"""`safecities loaddemo`: the demo network. Running it twice changes nothing.

The steps are cut by concern, one module each (`network_loader`, `grants_loader`,
`plans_loader`, `practices_loader`, `events_loader`); `Loader.run` plays them in order."""

from django.db import transaction
from django.test.utils import override_settings

from . import events_data
from .events_loader import EventsLoader
from .grants_loader import GrantSteps
from .network_loader import ILLUSTRATIVE_PEOPLE, NetworkSteps
from .plans_loader import PlanSteps
from .practices_loader import PracticeSteps


class Loader(NetworkSteps, GrantSteps, PlanSteps, PracticeSteps):
    def run(self) -> int:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                self.network()
                self.charter()
                self.memberships()
                self.people()
                self.two_factor_devices()
            self.stockholm()
            with transaction.atomic():
                self.grants()
            with transaction.atomic():
                self.indicators()
                self.application_indicators()
            with transaction.atomic():
                self.plans()
            with transaction.atomic():
                self.practices()
            with transaction.atomic():
                self.events()
        self.say(f"Demo network: {self.created} records created.")
        return self.created

    def events(self) -> None:
        """The network's meetings and the closed small group (`events_data`)."""
        self.created += EventsLoader(self.cities, self.orgs).run(events_data)


__all__ = ["ILLUSTRATIVE_PEOPLE", "Loader"]
