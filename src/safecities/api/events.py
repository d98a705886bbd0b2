"""Events in the API: the calendar (public events for anyone, members' events and one's groups'
events with a token), one event, signing up and cancelling with a member's token, and the
iCalendar feeds: the public one at /api/v1/events.ics and a member's private one at
/api/v1/events/feed/<token>.ics (the secret address made on the site).

Who sees what is `events.permissions` (the same rules as the pages): an event one may not see
is not found (404), the online link is given only to the people registered and the organisers.
The router is mounted at the API's root because the public feed sits beside `/events`, not
under it.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from safecities.core.errors import DomainError
from safecities.core.i18n import translated
from safecities.events import ics, permissions, selectors, services, states
from safecities.events.models import Event, Registration

from .auth import TokenAuth
from .paging import Pagination

router = Router(tags=["events"])

CALENDAR = "text/calendar; charset=utf-8"
PUBLIC_FEED_DAYS = 365  # the public feed carries the events that ended within a year, and after
ICS_RESPONSE = {
    "responses": {
        200: {
            "description": "An iCalendar (RFC 5545) file.",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    }
}


def anyone(request):
    """Public reads that show more to a token's owner: no token (or a bad one) is anonymous."""
    return AnonymousUser()


OPTIONAL_TOKEN = [TokenAuth(), anyone]


def _user(request):
    return request.auth if getattr(request.auth, "is_authenticated", False) else AnonymousUser()


class NotSignedUp(DomainError):
    """Cancelling a registration one does not have."""

    status = 404
    field = "registration"


# --- schemas -----------------------------------------------------------------------------------


class EventCityOut(Schema):
    slug: str
    name: str


class EventFields(Schema):
    id: int
    type: str
    title: str
    titles: dict
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    city: EventCityOut | None
    online: bool
    audience: str
    status: str
    capacity: int | None
    languages: list[str]
    goals: list[str]


class EventOut(EventFields):
    """An event in the calendar."""

    @staticmethod
    def resolve_title(obj: Event) -> str:
        return obj.display_title

    @staticmethod
    def resolve_titles(obj: Event) -> dict:
        return obj.title

    @staticmethod
    def resolve_city(obj: Event):
        return obj.municipality

    @staticmethod
    def resolve_online(obj: Event) -> bool:
        return bool(obj.online_url)

    @staticmethod
    def resolve_goals(obj: Event) -> list[str]:
        return [goal.code for goal in obj.goals.all()]


class EventDetailOut(EventFields):
    description: str
    descriptions: dict
    online_url: str
    registration_opens_at: datetime | None
    registration_closes_at: datetime
    places_left: int | None
    registration: str | None
    waiting_position: int | None
    organising_cities: list[str]
    organising_organisations: list[str]
    cancellation_reason: str
    attendee_count: int | None
    report: str
    follow_ups: str
    practices_presented: list[int]
    attending_cities: list[str]


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    needs: str = Field("", description="Diet, access: kept until some days after the event.")


class RegistrationOut(Schema):
    event: int
    status: str
    waiting_position: int | None


class EventFilters(Schema):
    type: list[str] = Field(default_factory=list)
    city: str = ""
    goal: str = ""
    from_: date | None = Field(None, alias="from")
    to: date | None = None


# --- events ------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get("/events", response=list[EventOut], auth=OPTIONAL_TOKEN, url_name="events")
@paginate(Pagination, page_size=50)
def events(request, filters: Query[EventFilters]):
    """The calendar, soonest first: public events for anyone; with a token also the members'
    events, your groups' events and the ones you organise. Filters: `type` (may repeat),
    `city` (slug), `goal` (code), `from` and `to` (dates: events that end on or after `from`
    and start on or before `to`). Cancelled and closed events stay listed with their status."""
    until = _day_start(filters.to + timedelta(days=1)) if filters.to else None
    return selectors.calendar_events(
        _user(request),
        types=filters.type,
        city=filters.city,
        goal=filters.goal,
        since=_day_start(filters.from_) if filters.from_ else None,
        until=until,
    ).prefetch_related("goals")


def _visible_event(request, pk: int) -> Event:
    event = selectors.event_detail(pk)
    if not permissions.can_view(_user(request), event):
        raise Http404
    return event


@router.get("/events/{int:pk}", response=EventDetailOut, auth=OPTIONAL_TOKEN, url_name="event")
def event(request, pk: int):
    """One event with its registration window and places left, your registration (`registered`
    or `waitlisted`, with your place in the waiting list), and once closed its report,
    follow-ups, attendance and the practices presented. `online_url` is given to the people
    registered and the organisers only ("" for anyone else)."""
    obj = _visible_event(request, pk)
    user = _user(request)
    mine = selectors.registration_of(obj, user=user)
    opens, closes = states.registration_window(obj)
    closed = obj.closed
    out = {name: getattr(obj, name) for name in EventFields.model_fields if hasattr(obj, name)}
    out.update(
        {
            "title": obj.display_title,
            "titles": obj.title,
            "city": obj.municipality,
            "online": bool(obj.online_url),
            "goals": [goal.code for goal in obj.goals.all()],
            "description": translated(obj.description),
            "descriptions": obj.description,
            "online_url": selectors.online_url_for(obj, user=user),
            "registration_opens_at": opens,
            "registration_closes_at": closes,
            "places_left": selectors.places_left(obj),
            "registration": mine.status if mine else None,
            "waiting_position": selectors.waiting_position(mine) if mine else None,
            "organising_cities": [m.slug for m in obj.organising_municipalities.all()],
            "organising_organisations": [o.slug for o in obj.organising_organisations.all()],
            "cancellation_reason": obj.cancellation_reason,
            "attendee_count": obj.attendee_count if closed else None,
            "report": obj.report if closed else "",
            "follow_ups": obj.follow_ups if closed else "",
            "practices_presented": [p.pk for p in obj.practices_presented.all()] if closed else [],
            "attending_cities": (
                [m.slug for m in obj.attending_municipalities.all()] if closed else []
            ),
        }
    )
    return out


# --- registration ------------------------------------------------------------------------------


def _registration_out(registration: Registration) -> dict:
    return {
        "event": registration.event_id,
        "status": registration.status,
        "waiting_position": selectors.waiting_position(registration),
    }


@router.post(
    "/events/{int:pk}/registration",
    response={201: RegistrationOut},
    auth=TokenAuth(),
    url_name="event-registration",
)
def register(request, pk: int, payload: RegistrationIn):
    """Sign up: 201 with `status` `registered` while there is a place, else `waitlisted` (a
    freed place goes to the waiting list in order, and you are told by mail). Refused with the
    field at fault: 403 for an event you may not sign up for, 409 outside the registration
    window or when signed up already, 400 for needs that are too long."""
    obj = _visible_event(request, pk)
    registration = services.register(actor=request.auth, event=obj, needs=payload.needs)
    return Status(201, _registration_out(registration))


@router.delete(
    "/events/{int:pk}/registration",
    response=RegistrationOut,
    auth=TokenAuth(),
    url_name="event-registration-cancel",
)
def cancel(request, pk: int):
    """Cancel your registration (or your place on the waiting list); the freed place goes to
    the first on the waiting list. 404 when you are not signed up."""
    obj = _visible_event(request, pk)
    mine = selectors.registration_of(obj, user=request.auth)
    if mine is None:
        raise NotSignedUp(_("You are not signed up for this event."))
    registration = services.cancel_registration(actor=request.auth, registration=mine)
    return _registration_out(registration)


# --- calendar feeds ----------------------------------------------------------------------------


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.get("/events.ics", auth=None, url_name="events-ics", openapi_extra=ICS_RESPONSE)
def public_feed(request):
    """The public events as an iCalendar feed (subscribe to it in a calendar): those that ended
    within the last year and all to come, cancelled ones marked so. Never online links."""
    since = timezone.now() - timedelta(days=PUBLIC_FEED_DAYS)
    body = ics.public_feed(
        selectors.public_events(since=since), language=translation.get_language()
    )
    return _calendar(body, "safecities-events.ics")


@router.get(
    "/events/feed/{token}.ics", auth=None, url_name="events-feed", openapi_extra=ICS_RESPONSE
)
def personal_feed(request, token: str):
    """Your registrations as an iCalendar feed, at the secret address made on the site (no API
    token: calendars cannot send one). Registered events carry their online link, waiting-list
    places are tentative. A wrong or revoked address: 404 saying so."""
    user = selectors.user_for_feed_token(token)
    return _calendar(ics.personal_feed(user), "safecities-my-events.ics")
