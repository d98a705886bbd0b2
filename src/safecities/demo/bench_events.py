"""The bench's events: a calendar of 6,000 events at scale 1, with their registrations.

`generate` is a `Generator` step. It writes 6,000 × scale events from 2023 to 2027 (about a
hundred a month), organised by a synthetic city or organisation, each with one or two charter
goals. Four in five are published for everyone, the rest for members; one in ten is
cancelled. Each event takes up to 24 registrations from the synthetic network's logins, some
of them on the waiting list. Rows come from `bulk_create`: they are test data for timing, not
records played through `events.services`.

`page_paths` names the pages the bench times: the list from a fixed day (so the rows shown do
not depend on today's date), the month grid of a fixed month and the public event with the
most registrations.
"""

from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.events.models import Event, EventType, Registration

SCALE_1 = {"events": 6_000}
FIRST_DAY = date(2023, 1, 1)
DAYS = (date(2028, 1, 1) - FIRST_DAY).days
# The list is read from this day and the month grid shows this month (about 100 events at
# scale 1): fixed, so a run today and a run next year time the same rows.
LIST_SINCE = "2025-06-01"
MONTH = "2025-06"
MAX_REGISTRATIONS = 24
BATCH = 2_000
ROW_MODELS = [Event, Registration]
TITLES = [
    "Dialogue evening", "Youth forum", "Exit work seminar", "Neighbourhood safety walk",
    "Online hate workshop", "Mentor training", "Study visit", "Prevention summit",
]  # fmt: skip


def scaled(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in SCALE_1.items()}


def generate(generator) -> None:
    """6,000 × scale events, their goals and organisers, and their registrations."""
    rng = generator.rng
    n = scaled(generator.scale)["events"]
    goals = list(Goal.objects.order_by("position"))
    types = [value for value in EventType.values if value != EventType.CLOSED_GROUP_MEETING]
    users = list(generator.users_by_person.values())
    for start in range(0, n, BATCH):
        events = []
        for k in range(start, min(n, start + BATCH)):
            starts = datetime.combine(
                FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
                datetime.min.time(),
                tzinfo=UTC,
            ) + timedelta(hours=rng.randrange(7, 18))
            city = rng.choice(generator.cities)
            public = rng.random() < 0.8
            events.append(
                Event(
                    type=rng.choice(types),
                    title={"en": f"{rng.choice(TITLES)} in {city.name} ({k + 1})"},
                    description={"en": "A synthetic event of the benchmark network."},
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=rng.choice((2, 3, 6, 30))),
                    venue=f"{city.name} town hall",
                    municipality=city,
                    audience=Event.Audience.PUBLIC if public else Event.Audience.MEMBERS,
                    capacity=rng.choice((None, 12, 20, 40)),
                    languages=["en"],
                    status=(
                        Event.Status.CANCELLED if rng.random() < 0.1 else Event.Status.PUBLISHED
                    ),
                    published_at=starts - timedelta(days=30),
                    created_by=generator.secretariat,
                )
            )
        events = Event.objects.bulk_create(events)
        Event.goals.through.objects.bulk_create(
            [
                Event.goals.through(event=e, goal=g)
                for e in events
                for g in rng.sample(goals, rng.randint(1, 2))
            ]
        )
        organisers_m, organisers_o = [], []
        for event in events:
            if rng.random() < 0.7:
                organisers_m.append(
                    Event.organising_municipalities.through(
                        event=event, municipality=event.municipality
                    )
                )
            else:
                organisers_o.append(
                    Event.organising_organisations.through(
                        event=event, organisation=rng.choice(generator.organisations)
                    )
                )
        Event.organising_municipalities.through.objects.bulk_create(organisers_m)
        Event.organising_organisations.through.objects.bulk_create(organisers_o)
        registrations = []
        for event in events:
            taken = rng.sample(users, min(len(users), rng.randrange(MAX_REGISTRATIONS + 1)))
            for position, user in enumerate(taken, start=1):
                full = event.capacity is not None and position > event.capacity
                registrations.append(
                    Registration(
                        event=event,
                        user=user,
                        status=(
                            Registration.Status.WAITLISTED
                            if full
                            else Registration.Status.REGISTERED
                        ),
                        position=position,
                    )
                )
        Registration.objects.bulk_create(registrations, batch_size=BATCH)


def page_paths() -> dict[str, str]:
    """The event pages the bench times: the list from a fixed day, a fixed month's grid and
    the public event with the most registrations (on the demo alone, its busiest event)."""
    busiest = (
        Event.objects.filter(status=Event.Status.PUBLISHED, audience=Event.Audience.PUBLIC)
        .annotate(n=Count("registrations", filter=Q(registrations__status="registered")))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "events_list": f"{reverse('events:list')}?since={LIST_SINCE}",
        "calendar": f"{reverse('events:list')}?view=month&month={MONTH}",
        "event": reverse("events:detail", args=[busiest.pk]) if busiest else "",
    }
