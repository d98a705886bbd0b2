"""Checking the input of the events' services: each helper returns the clean value or raises
`InvalidInput` naming the field; `clean_event` checks an event's fields and the rules between
them on the values the event will have."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import TypedDict
from zoneinfo import available_timezones

from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core.errors import InvalidInput
from safecities.core.i18n import LANGUAGE_CODES, clean_translations
from safecities.core.inputs import choice, records, url
from safecities.core.text import LINE_LIMIT, TEXT_LIMIT
from safecities.core.text import clean_text as text
from safecities.network.models import Municipality, Organisation
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    is_secretariat,
)

from .models import Event, EventType, Group


class EventData(TypedDict, total=False):
    """An event's fields as a service takes them; on an update, the ones left out keep their
    values. Texts per language are `{"en": ..., "nb": ...}`; records are model instances."""

    type: str
    title: dict[str, str]
    description: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    municipality: Municipality | None
    online_url: str
    audience: str
    invited_group: Group | None
    capacity: int | None
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    languages: list[str]
    needs_retention_days: int | None
    goals: Iterable[Goal]
    organising_organisations: Iterable[Organisation]
    organising_municipalities: Iterable[Municipality]


class GroupData(TypedDict, total=False):
    """A small group's fields as a service takes them; on an update, the ones left out keep
    their values."""

    name: str
    description: str
    notes_retention_days: int | None


SCALAR_FIELDS = [
    "type",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "municipality",
    "online_url",
    "audience",
    "invited_group",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "languages",
    "needs_retention_days",
]
M2M_FIELDS = ["goals", "organising_organisations", "organising_municipalities"]


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def translations(
    value, field: str, *, required: bool, limit: int, single_line: bool = False
) -> dict:
    if value is not None and not isinstance(value, Mapping):
        raise InvalidInput(_("Give a text per language."), field=field)
    if any(code not in LANGUAGE_CODES for code in value or {}):
        raise InvalidInput(_("Choose one of the offered languages."), field=field)
    cleaned = clean_translations(
        {k: text(v, field, limit=limit, single_line=single_line) for k, v in (value or {}).items()},
        field,
        required=required,
    )
    return cleaned


def moment(value, field: str, *, required: bool = False) -> datetime | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(_("This field is required."), field=field)
        return None
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise InvalidInput(_("Give a date and time with its time zone."), field=field)
    return value


def whole(value, field: str, *, low: int, high: int, empty: bool = False) -> int | None:
    if value in (None, "") and empty:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(
            _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
            field=field,
        )
    return value


def record(value, model, field: str):
    if value is not None and not isinstance(value, model):
        raise InvalidInput(_("Choose from the offered values."), field=field)
    return value


def clean_event(actor, data: Mapping, *, existing: Event | None = None) -> tuple[dict, dict]:
    """(scalar fields, many-to-many fields) from `data`; on an update, fields left out keep
    their values. Every rule between fields is checked on the values the event will have."""
    unknown = set(data) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    s: dict = {}
    m2m: dict = {}

    def given(name):
        return existing is None or name in data

    def value(name):
        return s[name] if name in s else getattr(existing, name, None)

    if given("type"):
        s["type"] = choice(data.get("type"), "type", EventType.choices)
    if given("title"):
        s["title"] = translations(
            data.get("title"), "title", required=True, limit=LINE_LIMIT, single_line=True
        )
    if given("description"):
        s["description"] = translations(
            data.get("description"), "description", required=False, limit=TEXT_LIMIT
        )
    for name in ("starts_at", "ends_at"):
        if given(name):
            s[name] = moment(data.get(name), name, required=True)
    if value("ends_at") <= value("starts_at"):
        raise InvalidInput(_("The event must end after it starts."), field="ends_at")
    if given("time_zone"):
        zone = data.get("time_zone") or "Europe/Oslo"
        if not isinstance(zone, str) or zone not in _zones():
            raise InvalidInput(
                _("Give a time zone by its IANA name, such as Europe/Oslo."), field="time_zone"
            )
        s["time_zone"] = zone
    if given("venue"):
        s["venue"] = text(data.get("venue"), "venue", limit=LINE_LIMIT, single_line=True)
    if given("municipality"):
        s["municipality"] = record(data.get("municipality"), Municipality, "municipality")
    if given("online_url"):
        s["online_url"] = url(data.get("online_url"), "online_url")
    if given("audience"):
        s["audience"] = choice(
            data.get("audience") or Event.Audience.PUBLIC, "audience", Event.Audience.choices
        )
    if given("invited_group"):
        s["invited_group"] = record(data.get("invited_group"), Group, "invited_group")
    if (value("audience") == Event.Audience.GROUP) != (value("invited_group") is not None):
        raise InvalidInput(
            _("Name the invited group when, and only when, the audience is a group."),
            field="invited_group",
        )
    if given("capacity"):
        s["capacity"] = whole(data.get("capacity"), "capacity", low=1, high=100_000, empty=True)
    for name in ("registration_opens_at", "registration_closes_at"):
        if given(name):
            s[name] = moment(data.get(name), name)
    opens, closes = value("registration_opens_at"), value("registration_closes_at")
    if opens and closes and closes <= opens:
        raise InvalidInput(
            _("Registration must close after it opens."), field="registration_closes_at"
        )
    if closes and closes > value("ends_at"):
        raise InvalidInput(
            _("Registration must close before the event ends."), field="registration_closes_at"
        )
    if opens and opens >= value("ends_at"):
        raise InvalidInput(
            _("Registration must open before the event ends."), field="registration_opens_at"
        )
    if given("languages"):
        languages = data.get("languages") or []
        if not isinstance(languages, list | tuple) or any(
            code not in LANGUAGE_CODES for code in languages
        ):
            raise InvalidInput(_("Choose from the offered languages."), field="languages")
        s["languages"] = list(dict.fromkeys(languages))
    if given("needs_retention_days"):
        days = data.get("needs_retention_days")
        s["needs_retention_days"] = 30 if days in (None, "") else days
        whole(s["needs_retention_days"], "needs_retention_days", low=0, high=365)
    if given("goals"):
        m2m["goals"] = records(data.get("goals"), Goal, "goals")
    for name, model, own in (
        ("organising_organisations", Organisation, contact_organisation_ids),
        ("organising_municipalities", Municipality, coordinated_municipality_ids),
    ):
        if given(name):
            m2m[name] = records(data.get(name), model, name)
            if not is_secretariat(actor) and {r.pk for r in m2m[name]} - own(actor):
                raise InvalidInput(
                    _("Name only cities and organisations you speak for as organisers."),
                    field=name,
                )
    return s, m2m
