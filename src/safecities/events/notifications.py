"""Mail about events. Called after commit, with ids, each person in their own language
(`User.preferred_language`), as grants tells its applicants."""

from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core import outbox
from safecities.core.i18n import translated

from . import ics
from .models import Event, Registration


def _when(event: Event) -> str:
    starts = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone))
    return f"{date_format(starts, 'DATETIME_FORMAT')} ({event.time_zone})"


def _send(user, subject: str, body: str, attachment: bytes | None = None) -> None:
    if not user.email or not user.is_active:
        return
    message = EmailMessage(" ".join(subject.split()), body, None, [user.email])
    if attachment is not None:
        message.attach("event.ics", attachment, "text/calendar; method=PUBLISH; charset=utf-8")
    message.send()


def _registration(pk: int) -> Registration:
    return Registration.objects.select_related("user", "event__municipality").get(pk=pk)


def _language(user) -> str:
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE


@contextmanager
def _told(user, event: Event) -> Iterator[tuple[str, dict]]:
    """In the person's language: that language, and the event's title, time and the site's
    name for the mail's text."""
    language = _language(user)
    with translation.override(language):
        title = translated(event.title, language)
        yield language, {"title": title, "when": _when(event), "site": settings.SITE_NAME}


def registration_received(registration_id: int) -> None:
    """A place: the confirmation with the event's `.ics`. The waiting list: its place in it."""
    registration = _registration(registration_id)
    if registration.status not in Registration.ACTIVE:
        raise outbox.Moot("The registration was cancelled before it was confirmed.")
    user, event = registration.user, registration.event
    with _told(user, event) as (language, context):
        if registration.status == Registration.Status.REGISTERED:
            subject = _("You are registered: %(title)s") % context
            body = (
                _(
                    "Hello,\n\nyou have a place at %(title)s, %(when)s.\n"
                    "The attached calendar file adds it to your calendar.\n\n%(site)s"
                )
                % context
            )
            attachment = ics.event_calendar(event, include_online_url=True, language=language)
        else:
            subject = _("On the waiting list: %(title)s") % context
            body = (
                _(
                    "Hello,\n\n%(title)s, %(when)s, is full: you are on the waiting list. If a place "
                    "frees up, you get it automatically and we write to you.\n\n%(site)s"
                )
                % context
            )
            attachment = None
    _send(user, subject, body, attachment)


def place_freed(registration_id: int) -> None:
    """Promoted from the waiting list: told, with the event's `.ics`."""
    registration = _registration(registration_id)
    if registration.status != Registration.Status.REGISTERED:
        raise outbox.Moot("The place was given up before the mail went.")
    user, event = registration.user, registration.event
    with _told(user, event) as (language, context):
        subject = _("A place for you: %(title)s") % context
        body = (
            _(
                "Hello,\n\na place freed up at %(title)s, %(when)s, and it is yours: you are "
                "registered. The attached calendar file adds it to your calendar. If you cannot come, "
                "cancel your registration so the next person gets the place.\n\n%(site)s"
            )
            % context
        )
        attachment = ics.event_calendar(event, include_online_url=True, language=language)
    _send(user, subject, body, attachment)


def event_cancelled(event_id: int, registration_id: int) -> None:
    """Someone registered or waiting hears that the event is cancelled, with the calendar
    update (one mail per registration, owed and retried alone)."""
    event = Event.objects.select_related("municipality").get(pk=event_id)
    user = Registration.objects.select_related("user").get(pk=registration_id).user
    with _told(user, event) as (language, context):
        subject = _("Cancelled: %(title)s") % context
        body = _("Hello,\n\n%(title)s, %(when)s, is cancelled.\n\n%(site)s") % context
        if event.cancellation_reason:
            body += "\n\n" + event.cancellation_reason
        attachment = ics.event_calendar(event, include_online_url=False, language=language)
    _send(user, subject, body, attachment)


def register() -> None:
    """The mails events owe, for `core.outbox`."""

    def event_page(registration: Registration) -> str:
        return reverse("events:detail", args=[registration.event_id])

    outbox.register(
        "events.registration_received",
        registration_received,
        label=gettext_lazy("Event registration received"),
        record=Registration,
        link=event_page,
    )
    outbox.register(
        "events.place_freed",
        place_freed,
        label=gettext_lazy("Place freed at an event"),
        record=Registration,
        link=event_page,
    )
    outbox.register(
        "events.event_cancelled",
        event_cancelled,
        label=gettext_lazy("Event cancelled"),
        record=Event,
        link=lambda event: reverse("events:detail", args=[event.pk]),
    )
