"""iCalendar (RFC 5545) files of events, written with the `icalendar` library.

Times are written in the event's own time zone (DTSTART;TZID=Europe/Stockholm:…) with the
VTIMEZONE definitions the calendar needs, so a calendar shows them right wherever it is. The
online link goes only into the files of people who may see it (`include_online_url`, the
personal feed's registrations); the public feed never carries it.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from safecities.core.i18n import translated
from safecities.core.text import one_line

from .models import Event, Registration

PRODID = "-//safecities//events//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "safecities.invalid"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    return calendar


def _location(event: Event) -> str:
    parts = [event.venue, event.municipality.name if event.municipality else ""]
    return one_line(", ".join(p for p in parts if p))


def _vevent(
    event: Event, *, include_online_url: bool, language: str | None, tentative: bool = False
) -> VEvent:
    zone = ZoneInfo(event.time_zone)
    vevent = VEvent()
    vevent.add("uid", f"event-{event.pk}@{_host()}")
    vevent.add("dtstamp", (event.updated_at or timezone.now()).astimezone(ZoneInfo("UTC")))
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    # One line each: a title stored before the single-line rule must not break the file.
    vevent.add("summary", one_line(translated(event.title, language)))
    description = translated(event.description, language)
    online = event.online_url if include_online_url else ""
    if online:
        description = f"{description}\n\n{online}".strip()
        vevent.add("url", online)
    if description:
        vevent.add("description", description)
    location = _location(event) or online
    if location:
        vevent.add("location", location)
    vevent.add("categories", [event.get_type_display()])
    if event.status == Event.Status.CANCELLED:
        vevent.add("status", "CANCELLED")
    elif tentative:
        vevent.add("status", "TENTATIVE")
    else:
        vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


def _bytes(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_calendar(event: Event, *, include_online_url: bool, language: str | None = None) -> bytes:
    """The `.ics` of one event (the confirmation mail's attachment, the event's download)."""
    calendar = _calendar(translated(event.title, language))
    calendar.add_component(_vevent(event, include_online_url=include_online_url, language=language))
    return _bytes(calendar)


def public_feed(events: Iterable[Event], *, language: str | None = None) -> bytes:
    """The feed of public events (`selectors.public_events()`), never with online links."""
    calendar = _calendar(settings.SITE_NAME)
    for event in events:
        calendar.add_component(_vevent(event, include_online_url=False, language=language))
    return _bytes(calendar)


def personal_feed(user) -> bytes:
    """One's own registrations in one's language: the registered ones with their online link,
    the ones on the waiting list as tentative."""
    registrations = (
        Registration.objects.filter(user=user, status__in=Registration.ACTIVE)
        .select_related("event__municipality")
        .order_by("event__starts_at", "id")
    )
    language = getattr(user, "preferred_language", None)
    calendar = _calendar(f"{settings.SITE_NAME} — {user}")
    for registration in registrations:
        registered = registration.status == Registration.Status.REGISTERED
        calendar.add_component(
            _vevent(
                registration.event,
                include_online_url=registered,
                language=language,
                tentative=not registered,
            )
        )
    return _bytes(calendar)
