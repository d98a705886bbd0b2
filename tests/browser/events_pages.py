"""The events' pages for the axe-core sweep (tests/browser/test_every_page.py): per role,
lambdas returning paths of GET pages that role can open (they look the records up or make them
once through the services, so call them with the demo loaded).

A public summit with one place: Oslo's coordinator has it, the reviewer waits for it. A draft
workshop of the coordinator's for the organiser pages; a past one of the secretariat's with
people registered, for attendance and closing. A closed group owned by the coordinator, with a
meeting and a note, for the group's pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from safecities.core.models import User
from safecities.events import services
from safecities.events.models import Event, Group
from safecities.network.models import Municipality

SUMMIT = "Axe: the summit with one place"
DRAFT = "Axe: the coordinator's draft workshop"
PAST = "Axe: a workshop that is over"
GROUP = "Axe: a closed group"


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _at(days: float):
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(minute=0, second=0, microsecond=0)


def _summit() -> int:
    event = Event.objects.filter(title__en=SUMMIT).first()
    if event is None:
        secretariat = _user("secretariat@example.org")
        event = services.create_event(
            actor=secretariat,
            data={
                "type": "summit",
                "title": {"en": SUMMIT, "sv": "Axe: toppmötet med en plats"},
                "description": {"en": "Two days on **what works**."},
                "starts_at": _at(20),
                "ends_at": _at(21),
                "time_zone": "Europe/Stockholm",
                "venue": "Stockholm City Hall",
                "municipality": Municipality.objects.get(slug="stockholm"),
                "online_url": "https://meet.example.org/axe",
                "capacity": 1,
                "languages": ["en", "sv"],
            },
        )
        event = services.publish_event(actor=secretariat, event=event)
        services.register(actor=_user("coordinator@example.org"), event=event, needs="Vegan")
        services.register(actor=_user("reviewer@example.org"), event=event)
    return event.pk


def _draft() -> int:
    event = Event.objects.filter(title__en=DRAFT).first()
    if event is None:
        coordinator = _user("coordinator@example.org")
        event = services.create_event(
            actor=coordinator,
            data={
                "type": "workshop",
                "title": {"en": DRAFT},
                "starts_at": _at(30),
                "ends_at": _at(30.2),
                "audience": "members",
                "organising_municipalities": [Municipality.objects.get(slug="oslo")],
            },
        )
    return event.pk


def _past() -> int:
    """Published, people registered, then the clock moved on: it is over, not closed."""
    event = Event.objects.filter(title__en=PAST).first()
    if event is None:
        secretariat = _user("secretariat@example.org")
        event = services.create_event(
            actor=secretariat,
            data={
                "type": "workshop",
                "title": {"en": PAST},
                "starts_at": _at(5),
                "ends_at": _at(5.2),
            },
        )
        event = services.publish_event(actor=secretariat, event=event)
        for email in ("coordinator@example.org", "member@example.org"):
            services.register(actor=_user(email), event=event, needs="Step-free access")
        ends = timezone.now() - timedelta(days=1)
        Event.objects.filter(pk=event.pk).update(
            starts_at=ends - timedelta(hours=3),
            ends_at=ends,
            registration_opens_at=None,
            registration_closes_at=None,
        )
    return event.pk


def _group() -> int:
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        coordinator = _user("coordinator@example.org")
        group = services.create_group(
            actor=coordinator,
            members=[_user("member@example.org")],
            data={"name": GROUP, "description": "Peer learning."},
        )
        meeting = services.schedule_group_meeting(
            actor=coordinator, group=group, date=timezone.localdate() + timedelta(days=10)
        )
        services.write_note(actor=coordinator, group=group, text="Axe: a note.", meeting=meeting)
    return group.pk


def _note() -> int:
    return Group.objects.get(pk=_group()).notes.order_by("id").first().pk


def _coordinator_pk() -> int:
    return _user("coordinator@example.org").pk


def _month_of_summit() -> str:
    starts = Event.objects.get(pk=_summit()).starts_at
    return f"{timezone.localtime(starts):%Y-%m}"


_LIST = reverse("events:list")

PAGES = {
    "anonymous": [
        lambda: _LIST,
        lambda: _LIST + "?type=summit&country=SE&sort=-starts",
        lambda: _LIST + "?type=webinar&since=2001-01-01&until=2001-01-02",  # the empty state
        lambda: _LIST + "?since=not-a-date",  # a filter's error
        lambda: _LIST + "?view=month&month=" + _month_of_summit(),
        lambda: reverse("events:detail", args=[_summit()]),
    ],
    "coordinator": [
        lambda: reverse("events:detail", args=[_summit()]),  # "You have a place"
        lambda: reverse("events:unregister", args=[_summit()]),
        lambda: reverse("events:mine"),
        lambda: reverse("events:attendance"),
        lambda: reverse("events:feeds"),
        lambda: reverse("events:create"),
        lambda: reverse("events:detail", args=[_draft()]),
        lambda: reverse("events:edit", args=[_draft()]),
        lambda: reverse("events:publish", args=[_draft()]),
        lambda: reverse("events:cancel", args=[_draft()]),
        lambda: reverse("events:registrations", args=[_draft()]),
        lambda: reverse("events:close", args=[_draft()]),  # not over yet: the notice
        lambda: reverse("events:groups"),
        lambda: reverse("events:group-create"),
        lambda: reverse("events:group", args=[_group()]),
        lambda: reverse("events:group-edit", args=[_group()]),
        lambda: reverse("events:note-create", args=[_group()]),
        lambda: reverse("events:note-edit", args=[_note()]),
        lambda: reverse("events:note-delete", args=[_note()]),
        lambda: reverse("events:member-add", args=[_group()]),
        lambda: reverse("events:member-remove", args=[_group(), _coordinator_pk()]),
        lambda: reverse("events:meeting-create", args=[_group()]),
    ],
    "reviewer": [
        lambda: reverse("events:detail", args=[_summit()]),  # on the waiting list
        lambda: reverse("events:unregister", args=[_summit()]),
    ],
    "funder_officer": [
        lambda: _LIST + "?view=month",
        lambda: reverse("events:register", args=[_summit()]),  # full: the waiting list
    ],
    "secretariat": [
        lambda: reverse("events:registrations", args=[_summit()]),  # needs and the waiting list
        lambda: reverse("events:registrations", args=[_past()]),  # attendance checkboxes
        lambda: reverse("events:close", args=[_past()]),
        lambda: reverse("events:detail", args=[_past()]),
    ],
}
