"""Fixtures of the events' tests: events made and published through the services, and people to
sign up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safecities.charter.models import Goal
from safecities.events import services
from safecities.events.models import Event
from tests.core.factories import UserFactory


def soon(days: float = 30, hours: float = 0):
    """A whole hour `days` from now (aware)."""
    moment = timezone.now() + timedelta(days=days, hours=hours)
    return moment.replace(minute=0, second=0, microsecond=0)


def draft_event(actor, **fields) -> Event:
    data = {
        "type": "summit",
        "title": {"en": "Nordic Safe Cities Summit", "nb": "Nordisk toppmøte"},
        "description": {"en": "Two days on what works."},
        "starts_at": soon(30),
        "ends_at": soon(30, hours=8),
        "time_zone": "Europe/Stockholm",
        "venue": "Stockholm City Hall",
        "goals": [Goal.objects.get(code="safe-communities")],
    }
    data.update(fields)
    return services.create_event(actor=actor, data=data)


def published_event(actor, **fields) -> Event:
    return services.publish_event(actor=actor, event=draft_event(actor, **fields))


def move_to_past(event: Event, *, days_ago: float = 1) -> Event:
    """The clock moves on: the event started and ended `days_ago` days before now (its
    registration window with it)."""
    ends = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(
        starts_at=ends - timedelta(hours=8),
        ends_at=ends,
        registration_opens_at=None,
        registration_closes_at=None,
    )
    event.refresh_from_db()
    return event


def people(n: int, **fields) -> list:
    return [UserFactory(**fields) for _ in range(n)]


def remove_demo_events() -> None:
    """Take the demo's events and small groups out, inside the running test's transaction (it is
    rolled back after the test), for tests that count every event, group and registration they
    make. The computed attendance indicator keeps its figures until its next recount."""
    from safecities.core.models import AuditEvent
    from safecities.events.models import FeedToken, Group, GroupMeeting, GroupNote, Registration

    for model in (GroupNote, GroupMeeting, Registration, Event, Group, FeedToken):
        model.objects.all().delete()
    AuditEvent.objects.filter(action__startswith="events.").delete()


@pytest.fixture(autouse=True)
def _without_the_demos_events(request):
    """These tests make their own events from nothing: the demo's are taken out first, unless
    the test module reads the demo's events (`READS_DEMO_EVENTS = True`: the API and privacy
    tests). Transactional tests (concurrency) keep them."""
    if getattr(request.module, "READS_DEMO_EVENTS", False):
        return
    if "transactional_db" in request.fixturenames:
        return
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")  # loaded first: it may load the demo again
        remove_demo_events()
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
        remove_demo_events()


@pytest.fixture
def summit(secretariat) -> Event:
    """A published public summit with three places."""
    return published_event(secretariat, capacity=3, online_url="https://meet.example.org/summit")
