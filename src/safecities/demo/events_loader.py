"""The loader's events step: `events_data` played through `events.services`.

The services check the server's clock — an event is published only before it ends, attendance
is marked once it has started, it is closed once over — so a past event is drafted, published
and signed up for as if it were tomorrow, then moved to its days with a queryset update (as the
grants' demo back-dates its records), its attendance marked and the event closed. Closing and
marking attendance recount the computed indicator "network-events-attended" for its year.
Each event is made whole, or left alone if an event of its English title exists.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from safecities.charter.models import Goal
from safecities.core.i18n import translated
from safecities.core.models import User
from safecities.events import services
from safecities.events.models import Event, Group, Registration
from safecities.network.models import Person
from safecities.practices.models import Practice


class EventsLoader:
    def __init__(self, cities: dict, orgs: dict):
        self.cities = cities
        self.orgs = orgs
        self.created = 0
        self.now = timezone.now()

    def run(self, data) -> int:
        self.data = data
        self.people()
        self.goals = {g.code: g for g in Goal.objects.all()}
        self.group = self.small_group()
        events = {}
        for spec in data.EVENTS:
            existing = Event.objects.filter(title__en=translated(spec["title"], "en")).first()
            events[spec["key"]] = existing or self.event(spec)
        self.meetings(events)
        return self.created

    def user(self, email: str) -> User:
        return User.objects.get(email=email)

    def people(self) -> None:
        """The group's people without a login get one (no password) on their profile; the
        illustrative city staff get a login and a profile at their city."""
        for email, name in self.data.GROUP_PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, None, full_name=name)
                self.created += 1
            Person.objects.filter(full_name=name, illustrative=True, user__isnull=True).update(
                user=user
            )
        for email, name, city, title in self.data.STAFF:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, None, full_name=name)
                Person.objects.create(
                    user=user,
                    full_name=name,
                    email=email,
                    title=title,
                    municipality=self.cities[city],
                    illustrative=True,
                    languages=["en"],
                )
                self.created += 2

    def small_group(self) -> Group:
        spec = self.data.GROUP
        group = Group.objects.filter(name=spec["name"]).first()
        if group is not None:
            return group
        group = services.create_group(
            actor=self.user(spec["owner"]),
            members=[self.user(email) for email in spec["members"]],
            data={
                "name": spec["name"],
                "description": spec["description"],
                "notes_retention_days": spec["notes_retention_days"],
            },
        )
        self.created += 1 + len(spec["members"]) + 1
        return group

    def _moment(self, spec: dict, day: date) -> datetime:
        return datetime.combine(day, time(spec["hour"]), tzinfo=ZoneInfo(spec["time_zone"]))

    def _day(self, value) -> date:
        if isinstance(value, int):
            return timezone.localdate(self.now) + timedelta(days=value)
        return value

    def event(self, spec: dict) -> Event:
        organiser = self.user(spec["organiser"])
        starts = self._moment(spec, self._day(spec["day"]))
        past = starts < self.now
        if past:  # drafted, published and signed up for as if it were tomorrow
            first = self._moment(spec, timezone.localdate(self.now) + timedelta(days=2))
        else:
            first = starts
        event = services.create_event(
            actor=organiser,
            data={
                "type": spec["type"],
                "title": spec["title"],
                "description": spec["description"],
                "starts_at": first,
                "ends_at": first + timedelta(hours=spec["hours"]),
                "time_zone": spec["time_zone"],
                "venue": spec.get("venue", ""),
                "municipality": self.cities.get(spec.get("city")),
                "online_url": spec.get("online_url", ""),
                "audience": spec["audience"],
                "invited_group": self.group if spec["audience"] == "group" else None,
                "capacity": spec.get("capacity"),
                "languages": spec["languages"],
                "goals": [self.goals[code] for code in spec["goals"]],
                "organising_organisations": [
                    self.orgs[slug] for slug in spec.get("organising_organisations", [])
                ],
                "organising_municipalities": [
                    self.cities[name] for name in spec.get("organising_municipalities", [])
                ],
            },
        )
        event = services.publish_event(actor=organiser, event=event)
        for email in spec.get("registrations", []):
            services.register(actor=self.user(email), event=event)
        self.created += 1 + len(spec.get("registrations", []))
        if past:
            self._past(event, spec, organiser, starts)
        return event

    def _past(self, event: Event, spec: dict, organiser: User, starts: datetime) -> None:
        """Move the event to its days, mark who came and close it."""
        ends = starts + timedelta(hours=spec["hours"])
        Event.objects.filter(pk=event.pk).update(
            starts_at=starts,
            ends_at=ends,
            registration_opens_at=None,
            registration_closes_at=None,
            published_at=starts - timedelta(days=60),
            created_at=starts - timedelta(days=75),
        )
        event.refresh_from_db()
        Registration.objects.filter(event=event).update(created_at=starts - timedelta(days=20))
        came = set(spec.get("attended", []))
        services.mark_attendance(
            actor=organiser,
            event=event,
            attendance={
                r: r.user.email in came
                for r in event.registrations.filter(
                    status=Registration.Status.REGISTERED
                ).select_related("user")
            },
        )
        close = spec.get("close")
        if close:
            services.close_event(
                actor=organiser,
                event=event,
                report=close["report"],
                follow_ups=close.get("follow_ups", ""),
                practices=Practice.objects.filter(title__in=close.get("practices", [])),
            )
            Event.objects.filter(pk=event.pk).update(closed_at=ends + timedelta(days=7))

    def meetings(self, events: dict) -> None:
        """The small group's series of meetings, and a note from the first one."""
        group, spec = self.group, self.data.GROUP
        if group.meetings.exists():
            return
        owner = self.user(spec["owner"])
        meetings = []
        for key in self.data.GROUP_MEETINGS:
            event = events[key]
            day = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone)).date()
            meetings.append(
                services.schedule_group_meeting(actor=owner, group=group, date=day, event=event)
            )
        note = spec["note"]
        services.write_note(
            actor=self.user(note["author"]),
            group=group,
            text=note["text"],
            meeting=meetings[note["meeting"]],
        )
        self.created += len(meetings) + 1
