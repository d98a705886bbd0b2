"""Reads of events and small groups: what a reader may see, the waiting list, where attendees
work, the notes (for the group's members alone), calendar feed tokens and the yearly attendance
counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core.models import User
from safecities.network.models import (
    Municipality,
    Organisation,
    OrganisationType,
    Person,
    RoleAssignment,
)
from safecities.practices.models import Practice

from . import permissions
from .errors import InvalidFeedToken
from .models import (
    Event,
    FeedToken,
    Group,
    GroupMeeting,
    GroupMembership,
    GroupNote,
    Registration,
)

Reader: TypeAlias = User | AnonymousUser

LISTED = [Event.Status.PUBLISHED, Event.Status.CANCELLED, Event.Status.CLOSED]


# --- events ------------------------------------------------------------------------------------


def event_detail(pk: int) -> Event:
    try:
        return (
            Event.objects.select_related("municipality", "invited_group", "created_by")
            .prefetch_related(
                "goals",
                "organising_organisations",
                "organising_municipalities",
                "practices_presented",
                "attending_municipalities",
                "attending_organisations",
            )
            .get(pk=pk)
        )
    except Event.DoesNotExist as exc:
        raise Http404(_("No such event.")) from exc


def public_events(*, since: datetime | None = None) -> QuerySet[Event]:
    """Events for everyone out of draft (cancelled ones too, so calendars learn of it)."""
    events = Event.objects.filter(audience=Event.Audience.PUBLIC, status__in=LISTED)
    if since is not None:
        events = events.filter(ends_at__gte=since)
    return events.select_related("municipality").order_by("starts_at", "id")


def events_for(user: Reader, *, since: datetime | None = None) -> QuerySet[Event]:
    """The listed events `user` may see: public ones, members' ones when signed in, their
    groups' ones, and the ones they organise (drafts too)."""
    if not getattr(user, "is_authenticated", False):
        return public_events(since=since)
    visible = Q(status__in=LISTED) & (
        Q(audience__in=[Event.Audience.PUBLIC, Event.Audience.MEMBERS])
        | Q(invited_group__memberships__user=user)
    )
    events = Event.objects.all()
    if not permissions.is_secretariat(user):
        visible |= (
            Q(created_by=user)
            | Q(organising_municipalities__in=permissions.coordinated_municipality_ids(user))
            | Q(organising_organisations__in=permissions.contact_organisation_ids(user))
        )
        events = events.filter(visible)
    if since is not None:
        events = events.filter(ends_at__gte=since)
    ids = events.values("id")
    return Event.objects.filter(id__in=ids).select_related("municipality").order_by("starts_at")


def online_url_for(event: Event, *, user: Reader) -> str:
    """The online link for the people registered and the organisers; "" for anyone else."""
    if event.online_url and permissions.can_see_online_url(user, event):
        return event.online_url
    return ""


def registered_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.REGISTERED).count()


def places_left(event: Event) -> int | None:
    """None when there is no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - registered_count(event))


def registrations_of(event: Event) -> QuerySet[Registration]:
    """The people registered, in the order they signed up (for the organisers)."""
    return (
        event.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("user")
        .order_by("position", "id")
    )


def waiting_list(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.filter(status=Registration.Status.WAITLISTED)
        .select_related("user")
        .order_by("position", "id")
    )


def registration_of(event: Event, *, user: Reader) -> Registration | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return event.registrations.filter(user=user, status__in=Registration.ACTIVE).first()


def registrations_for(user: User) -> QuerySet[Registration]:
    """The user's active registrations, soonest first."""
    return (
        Registration.objects.filter(user=user, status__in=Registration.ACTIVE)
        .select_related("event__municipality")
        .order_by("event__starts_at", "id")
    )


# --- where attendees work ----------------------------------------------------------------------


def workplaces(user_ids: Iterable[int]) -> dict[int, tuple[set[int], set[int]]]:
    """user id -> (city ids, organisation ids) they work for: their profile's municipality and
    organisation, the cities they coordinate and the organisations they speak for. Two queries
    whatever the number of users."""
    out: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    ids = list(user_ids)
    for model in (Person, RoleAssignment):
        for user_id, municipality_id, organisation_id in model.objects.filter(
            user_id__in=ids
        ).values_list("user_id", "municipality_id", "organisation_id"):
            cities, organisations = out[user_id]
            if municipality_id:
                cities.add(municipality_id)
            if organisation_id:
                organisations.add(organisation_id)
    return {user_id: out[user_id] for user_id in ids}


# --- counting ----------------------------------------------------------------------------------


@dataclass
class AttendanceCounts:
    """Attended registrations of one year's events (cancelled events left out). A person who
    works for two cities counts for each; every count is of registrations, not of people."""

    year: int
    total: int = 0
    cities: list[tuple[Municipality, int]] = field(default_factory=list)
    organisation_types: list[tuple[str, str, int]] = field(default_factory=list)
    goals: list[tuple[Goal, int]] = field(default_factory=list)


def attendance_year(event: Event) -> int:
    """The year an event's attendance counts for: the day it starts, in the site's time zone."""
    return timezone.localtime(event.starts_at).year


def attendance_years() -> list[int]:
    """The years with attendance marked at an event not cancelled."""
    days = (
        Event.objects.filter(registrations__attended=True)
        .exclude(status=Event.Status.CANCELLED)
        .dates("starts_at", "year")
    )
    return sorted({day.year for day in days})


def attendance_counts(year: int) -> AttendanceCounts:
    """Attendance per city, per organisation type and per charter goal in `year` (by the day
    the event starts, in the site's time zone). A constant number of queries."""
    rows = list(
        Registration.objects.filter(attended=True, event__starts_at__year=year)
        .exclude(event__status=Event.Status.CANCELLED)
        .values_list("user_id", "event_id")
    )
    counts = AttendanceCounts(year=year, total=len(rows))
    if not rows:
        return counts
    places = workplaces({user_id for user_id, _event in rows})
    goals_of: dict[int, list[int]] = defaultdict(list)
    for event_id, goal_id in Event.goals.through.objects.filter(
        event_id__in={event_id for _user, event_id in rows}
    ).values_list("event_id", "goal_id"):
        goals_of[event_id].append(goal_id)
    type_of = dict(
        Organisation.objects.filter(
            pk__in={o for _c, orgs in places.values() for o in orgs}
        ).values_list("pk", "type")
    )
    by_city: Counter[int] = Counter()
    by_type: Counter[str] = Counter()
    by_goal: Counter[int] = Counter()
    for user_id, event_id in rows:
        cities, organisations = places[user_id]
        by_city.update(cities)
        by_type.update({type_of[o] for o in organisations})
        by_goal.update(goals_of[event_id])
    municipalities = Municipality.objects.in_bulk(by_city)
    counts.cities = sorted(
        ((municipalities[pk], n) for pk, n in by_city.items()), key=lambda c: (-c[1], c[0].name)
    )
    labels = dict(OrganisationType.choices)
    counts.organisation_types = sorted(
        ((t, str(labels.get(t, t)), n) for t, n in by_type.items()), key=lambda c: (-c[2], c[0])
    )
    goals = Goal.objects.in_bulk(by_goal)
    counts.goals = sorted(
        ((goals[pk], n) for pk, n in by_goal.items()), key=lambda c: c[0].position
    )
    return counts


# --- small groups ------------------------------------------------------------------------------


def groups_of(user: Reader) -> QuerySet[Group]:
    if not isinstance(user, User) or not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(memberships__user=user).order_by("name", "id")


def group_members(group: Group, *, user: Reader) -> QuerySet[GroupMembership]:
    """Who is in the group, for its members only."""
    if not permissions.in_group(user, group):
        raise PermissionDenied(_("Only the group's members see who is in it."))
    owners_first = Case(When(role=GroupMembership.Role.OWNER, then=0), default=1)
    return group.memberships.select_related("user").order_by(owners_first, "user__full_name")


def group_membership(group: Group, *, user: Reader, member_pk: int) -> GroupMembership | None:
    """One member's place in the group, for the group's members only."""
    return group_members(group, user=user).filter(user_id=member_pk).first()


def notes_for(group: Group, *, user: Reader) -> QuerySet[GroupNote]:
    """The group's notes, for its members alone: anyone else — the secretariat and superusers
    included — is refused."""
    if not permissions.in_group(user, group):
        raise PermissionDenied(_("The group's notes are for its members only."))
    return (
        GroupNote.objects.filter(group=group)
        .select_related("author", "meeting")
        .order_by("created_at", "id")
    )


# --- calendar feeds ----------------------------------------------------------------------------


def user_for_feed_token(raw: str) -> User:
    """The user whose private feed the token opens; `InvalidFeedToken` for a wrong or revoked
    one."""
    if not raw or not isinstance(raw, str):
        raise InvalidFeedToken(_("This calendar address is not valid."))
    token = FeedToken.objects.select_related("user").filter(digest=FeedToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        raise InvalidFeedToken(_("This calendar address is not valid."))
    if token.revoked_at is not None:
        raise InvalidFeedToken(
            _("This calendar address was revoked on %(date)s; make a new one.")
            % {"date": timezone.localtime(token.revoked_at).date().isoformat()}
        )
    return token.user


def feed_tokens_of(user: User) -> QuerySet[FeedToken]:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True)


# --- pages: the calendar, the waiting list, groups ---------------------------------------------

CALENDAR_SORTS = {"starts": ("starts_at", "id"), "-starts": ("-starts_at", "-id")}


def calendar_events(
    user: Reader,
    *,
    types: Iterable[str] = (),
    country: str = "",
    city: str = "",
    goal: str = "",
    audience: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    sort: str = "starts",
) -> QuerySet[Event]:
    """The calendar page: the events `user` may see (`events_for`) that end on or after `since`
    and start before `until`, narrowed by type, country code, city slug, goal code, audience."""
    events = events_for(user, since=since)
    if until is not None:
        events = events.filter(starts_at__lt=until)
    if types:
        events = events.filter(type__in=list(types))
    if country:
        events = events.filter(municipality__country__code=country)
    if city:
        events = events.filter(municipality__slug=city)
    if goal:  # by subquery: a join to the goals would repeat events and want a DISTINCT
        events = events.filter(
            id__in=Event.goals.through.objects.filter(goal__code=goal).values("event_id")
        )
    if audience:
        events = events.filter(audience=audience)
    return events.order_by(*CALENDAR_SORTS.get(sort, CALENDAR_SORTS["starts"]))


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = registration.event.registrations.filter(
        status=Registration.Status.WAITLISTED, position__lt=registration.position
    ).count()
    return ahead + 1


def presentable_practices() -> QuerySet[Practice]:
    """The practices an organiser may name as presented at an event: the published ones."""
    return Practice.objects.filter(status=Practice.Status.PUBLISHED).order_by("title")


def group_detail(pk: int) -> Group:
    try:
        return Group.objects.get(pk=pk)
    except Group.DoesNotExist as exc:
        raise Http404(_("No such group.")) from exc


def note_detail(pk: int) -> GroupNote:
    try:
        return GroupNote.objects.select_related("group").get(pk=pk)
    except GroupNote.DoesNotExist as exc:
        raise Http404(_("No such note.")) from exc


def group_meetings(group: Group, *, user: Reader) -> QuerySet[GroupMeeting]:
    if not permissions.in_group(user, group):
        raise PermissionDenied(_("Only the group's members see its meetings."))
    return group.meetings.select_related("event").order_by("date", "id")


def group_events(group: Group) -> QuerySet[Event]:
    """The events a group is invited to, for scheduling its meetings."""
    return Event.objects.filter(invited_group=group).order_by("starts_at", "id")


def user_by_email(email: str) -> User | None:
    """The active account with this e-mail address, or None."""
    return User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()


def event_groups_for(user: Reader) -> QuerySet[Group]:
    """The groups an organiser may invite to an event: their own; the secretariat any."""
    if permissions.is_secretariat(user):
        return Group.objects.order_by("name", "id")
    return groups_of(user)


def feed_token_of(user: User, *, pk: int) -> FeedToken:
    token = FeedToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404(_("No such calendar address."))
    return token


def attended_count(event: Event) -> int:
    return event.registrations.filter(attended=True).count()


def event_cities() -> QuerySet[Municipality]:
    """The cities with an event out of draft, for the calendar's filter."""
    listed = Event.objects.filter(municipality=OuterRef("pk"), status__in=LISTED)
    return Municipality.objects.filter(Exists(listed)).order_by("name")


def upcoming_registrations(user: User, *, now: datetime, limit: int = 20) -> list[Registration]:
    """The user's active registrations for published events that have not ended, soonest
    first."""
    queryset = registrations_for(user).filter(
        event__ends_at__gte=now, event__status=Event.Status.PUBLISHED
    )
    return list(queryset[:limit])


def events_to_close(user: Reader, *, now: datetime, limit: int = 20) -> list[Event]:
    """Published events past their end and not closed, the oldest first, for the secretariat
    (no query for anyone else)."""
    if not permissions.is_secretariat(user):
        return []
    queryset = Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__lt=now)
    return list(queryset.order_by("ends_at", "id")[:limit])
