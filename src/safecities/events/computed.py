"""Attendance as a computed output indicator of `indicators` ("network events attended by city
staff"): registered in `EventsConfig.ready`, recounted by the services that change attendance
(`mark_attendance`, `close_event`, `cancel_event`) for the event's year."""

from collections.abc import Iterable

from safecities.indicators import computed
from safecities.indicators import services as indicator_services

from . import selectors
from .models import Event

ATTENDED = "network-events-attended"

DEFINITION = {
    "name": {
        "en": "Network events attended by city staff",
        "nb": "Nettverksarrangementer med deltakere fra kommunen",
        "sv": "Nätverksevenemang med deltagare från staden",
        "da": "Netværksarrangementer med deltagere fra kommunen",
        "fi": "Verkoston tapahtumiin osallistuneet kaupungin työntekijät",
    },
    "description": {
        "en": "Attendances at the network's events by people who work for the city, per year "
        "(the day an event starts). Each attendance marked by an event's organiser counts once; "
        "a person who attends two events counts twice. Cancelled events are left out.",
        "nb": "Deltakelser på nettverkets arrangementer av folk som arbeider for kommunen, per "
        "år. Hver deltakelse arrangøren har registrert teller én gang.",
    },
    "kind": "output",
    "unit_type": "count",
    "better": "higher",
    "source_name": "safecities events",
    "numerator_description": {"en": "Attendances marked by the events' organisers."},
}


def attended_by_city(years: Iterable[int] | None):
    """(municipality, year, attendances) of `years` (None: every year with attendance)."""
    for year in selectors.attendance_years() if years is None else years:
        for municipality, count in selectors.attendance_counts(year).cities:
            yield municipality, year, count


def register() -> None:
    computed.register(ATTENDED, attended_by_city, definition=DEFINITION)


def refresh_for(event: Event, *, actor) -> None:
    """Recount the indicator for the year of `event` (in the caller's transaction)."""
    indicator_services.refresh_computed(
        ATTENDED, years=[selectors.attendance_year(event)], actor=actor
    )
