"""Reads of events: who sees which event, the online link for the registered alone, and the
yearly attendance counts per city, organisation type and charter goal."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser

from safecities.charter.models import Goal
from safecities.core.permissions import has_perm
from safecities.events import permissions, selectors, services, states
from safecities.events.models import Event
from safecities.network.models import Person, Role, RoleAssignment
from tests.core.factories import UserFactory
from tests.events.conftest import draft_event, people, published_event

OSLO = ZoneInfo("Europe/Oslo")


def test_the_online_link_is_for_the_registered_and_the_organisers(summit, secretariat, member):
    registered, waiting, other = people(3)
    services.register(actor=registered, event=summit)
    full = published_event(secretariat, capacity=1, online_url="https://meet.example.org/full")
    services.register(actor=registered, event=full)
    services.register(actor=waiting, event=full)
    url = "https://meet.example.org/summit"
    assert selectors.online_url_for(summit, user=registered) == url
    assert selectors.online_url_for(summit, user=secretariat) == url
    assert selectors.online_url_for(summit, user=other) == ""
    assert selectors.online_url_for(summit, user=AnonymousUser()) == ""
    assert selectors.online_url_for(full, user=waiting) == ""
    assert has_perm(registered, "events.see_online_url", summit)
    assert not has_perm(other, "events.see_online_url", summit)
    registration = selectors.registration_of(summit, user=registered)
    services.cancel_registration(actor=registered, registration=registration)
    assert selectors.online_url_for(summit, user=registered) == ""


def test_who_sees_which_event(demo, secretariat, coordinator, member):
    public = published_event(secretariat, title={"en": "Public"})
    members = published_event(secretariat, audience="members", title={"en": "Members"})
    group = services.create_group(
        actor=coordinator, members=[member], data={"name": "Youth workers"}
    )
    closed = published_event(
        secretariat, audience="group", invited_group=group, title={"en": "Group"}
    )
    draft = draft_event(coordinator, organising_municipalities=[demo.oslo])
    outsider = UserFactory()

    def seen(user):
        return {e.display_title for e in selectors.events_for(user)}

    assert seen(AnonymousUser()) == {"Public"}
    assert seen(outsider) == {"Public", "Members"}
    assert seen(member) == {"Public", "Members", "Group"}
    assert seen(coordinator) == {"Public", "Members", "Group", draft.display_title}
    assert seen(secretariat) >= {"Public", "Members", "Group", draft.display_title}
    assert permissions.can_view(AnonymousUser(), public)
    assert not permissions.can_view(AnonymousUser(), members)
    assert not permissions.can_view(outsider, closed)
    assert not permissions.can_view(member, draft)


def test_the_registration_window_defaults_to_publication_until_the_start(secretariat):
    event = published_event(secretariat)
    assert states.registration_window(event) == (event.published_at, event.starts_at)


# --- attendance counts -------------------------------------------------------------------------


def _held_in(year: int, actor, goals, present=(), absent=()) -> Event:
    """An event people signed up for, then held on 1 June `year`, with attendance marked."""
    event = published_event(actor, capacity=50, goals=goals)
    attendance = {services.register(actor=u, event=event): True for u in present}
    attendance |= {services.register(actor=u, event=event): False for u in absent}
    Event.objects.filter(pk=event.pk).update(
        starts_at=datetime(year, 6, 1, 9, tzinfo=OSLO),
        ends_at=datetime(year, 6, 1, 17, tzinfo=OSLO),
    )
    event.refresh_from_db()
    services.mark_attendance(actor=actor, event=event, attendance=attendance)
    return event


def test_attendance_is_counted_per_city_organisation_type_and_goal(
    demo, secretariat, coordinator, contact, member, django_assert_max_num_queries
):
    communities = Goal.objects.get(code="safe-communities")
    youth = Goal.objects.exclude(code="safe-communities").order_by("position").first()
    _held_in(2025, secretariat, [communities, youth], present=[coordinator, contact, member])
    _held_in(2025, secretariat, [communities], present=[coordinator], absent=[contact])
    _held_in(2024, secretariat, [communities], present=[coordinator])
    cancelled = _held_in(2025, secretariat, [communities], present=[contact])
    Event.objects.filter(pk=cancelled.pk).update(status="cancelled")

    with django_assert_max_num_queries(7):
        counts = selectors.attendance_counts(2025)
    assert counts.total == 4
    assert {(m.slug, n) for m, n in counts.cities} == {("oslo", 2), ("drammen", 2)}
    assert {(t, n) for t, _label, n in counts.organisation_types} == {("cso", 1)}
    assert {g.code: n for g, n in counts.goals} == {communities.code: 4, youth.code: 3}
    assert selectors.attendance_counts(2024).total == 1
    assert selectors.attendance_counts(2023).total == 0


def test_the_counts_take_a_constant_number_of_queries(
    demo, secretariat, django_assert_max_num_queries
):
    users = people(15)
    for user in users:
        Person.objects.create(user=user, full_name=str(user), municipality=demo.oslo)
        RoleAssignment.objects.create(
            user=user, role=Role.ORGANISATION_CONTACT, organisation=demo.nuorten_aani
        )
    _held_in(2025, secretariat, list(Goal.objects.all()), present=users)
    with django_assert_max_num_queries(7):
        counts = selectors.attendance_counts(2025)
    assert counts.total == 15
    assert {m.slug: n for m, n in counts.cities} == {"oslo": 15}
    assert [(t, n) for t, _label, n in counts.organisation_types] == [("cso", 15)]
    assert all(n == 15 for _goal, n in counts.goals) and len(counts.goals) == 6
