"""The bench's synthetic network: large, seeded, made in bulk.

`Generator` fills a database that already holds the demo network (`Loader`) with a synthetic
one: at scale 1, 500 municipalities, 5,000 organisations and 20,000 people, with logins and
roles, memberships and endorsements, membership applications and an audit trail. Every row
comes from one seeded random generator and `bulk_create`, so a scale always yields the same
rows, quickly. Organisations and people are marked `illustrative`; synthetic municipalities
sit in regions called "Bench region N". An app that arrives later adds a method for its own
data and names it in `Generator.STEPS`.

A marker row in the audit trail (action "bench.generated") records the scale and the
generator version, so `safecities bench --keep` knows what a database holds and never
mistakes another database for its own.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from safecities.charter.models import CharterVersion, Endorsement
from safecities.core import database
from safecities.core.models import AuditEvent, User
from safecities.core.text import nordic_slug
from safecities.network.models import (
    Country,
    MemberKind,
    Membership,
    MembershipApplication,
    Municipality,
    NationalProgramme,
    Organisation,
    OrganisationType,
    Person,
    Role,
    RoleAssignment,
)
from safecities.network.services.directory import refresh_directory_keys
from safecities.network.validators import MUNICIPALITY_CODE_LENGTH

from . import bench_events, bench_grants, bench_indicators, bench_practices, data

# Bump when the generator makes different rows, so `--keep` does not reuse an old database.
GENERATOR_VERSION = 5
SEED = 20250601
MARKER_ACTION = "bench.generated"
SCALE_1 = {"municipalities": 500, "organisations": 5_000, "people": 20_000}
BATCH = 1_000
# Synthetic dates count back from this day, so a scale always yields the same rows.
REFERENCE_DAY = date(2025, 6, 1)
BENCH_REGION = "Bench region"

# Share of synthetic municipalities per country (the code space of DK and FI is small).
COUNTRY_WEIGHTS = {"NO": 30, "SE": 30, "DK": 12, "FI": 20, "IS": 8}
LANGUAGE_OF = {"NO": "nb", "SE": "sv", "DK": "da", "FI": "fi", "IS": "is"}
STEMS = [
    "Nord", "Sør", "Øst", "Vest", "Stor", "Lille", "Hav", "Fjell", "Skog", "Berg", "Dal",
    "Sjö", "Lund", "Holm", "Ny", "Sol", "Ek", "Björk", "Lin", "Kvarn", "Sand", "Elv", "Mo",
    "Ås", "Fur", "Hag", "Rød", "Tå", "Var", "Vik",
]  # fmt: skip
ENDINGS = [
    "vik", "by", "stad", "berg", "dal", "sund", "holm", "fjord", "köping", "näs", "järvi",
    "koski", "fjörður", "strand", "rud", "heim", "inge", "lev", "sted", "ås",
]  # fmt: skip
ORGANISATION_NAMES = {
    OrganisationType.CSO: [
        "{city} Youth Dialogue", "Neighbours of {city}", "{city} Mentor Network",
        "Safe Streets {city}", "{city} Sports Club", "{city} Women's Network",
        "{city} Parents' Forum", "{city} Faith Council", "{city} Debate Society",
    ],
    OrganisationType.FOUNDATION: ["{city} Foundation for Inclusion", "{city} Community Fund"],
    OrganisationType.RESEARCH: ["{city} Institute for Social Research", "{city} Centre for Trust"],
    OrganisationType.PUBLIC_AGENCY: ["{city} Police District", "{city} School Services"],
    OrganisationType.COMPANY: ["{city} Security Services", "{city} Digital Safety"],
}  # fmt: skip
ORGANISATION_WEIGHTS = {
    OrganisationType.CSO: 62,
    OrganisationType.FOUNDATION: 8,
    OrganisationType.RESEARCH: 10,
    OrganisationType.PUBLIC_AGENCY: 12,
    OrganisationType.COMPANY: 8,
}
FIRST_NAMES = [
    "Ingrid", "Lars", "Maria", "Elin", "Mette", "Aino", "Guðrún", "Nora", "Emil", "Sofie",
    "Astrid", "Henrik", "Sigrid", "Mikael", "Freja", "Jussi", "Helga", "Oskar", "Liv", "Anders",
    "Kaisa", "Jón", "Ebba", "Mads", "Saga", "Eero", "Thea", "Nils", "Ida", "Magnus",
]  # fmt: skip
LAST_NAMES = [
    "Berg", "Haugen", "Lindqvist", "Ekström", "Sørensen", "Virtanen", "Sigurðardóttir",
    "Bakke", "Lund", "Holm", "Hansen", "Johansson", "Nielsen", "Korhonen", "Jónsson",
    "Larsen", "Andersson", "Jensen", "Mäkinen", "Olsen", "Nyström", "Dahl", "Laine", "Moen",
]  # fmt: skip
TITLES = [
    "Prevention coordinator", "Youth worker", "Police liaison", "Teacher", "Researcher",
    "Social worker", "Project manager", "Safety strategist", "Community organiser", "Mentor",
]  # fmt: skip
EXPERTISE = [
    "Youth engagement", "Online hate", "Exit work", "Gang prevention", "Family support",
    "Polarisation", "Dialogue", "Schools", "Hate crime", "Neighbourhood safety",
]  # fmt: skip


def _scaled(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in SCALE_1.items()}


def _aware(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def bench_marker() -> AuditEvent | None:
    return AuditEvent.objects.filter(action=MARKER_ACTION).first()


def mark(**changes) -> AuditEvent:
    """Record on the bench's own marker row what the database holds (scale, completeness)."""
    marker = bench_marker() or AuditEvent(
        action=MARKER_ACTION, actor_label="safecities bench", target_type="bench"
    )
    marker.changes = {**marker.changes, "version": GENERATOR_VERSION, **changes}
    marker.save()
    return marker


def is_reusable(scale: float) -> bool:
    """Whether the database holds a complete bench network of this scale and generator."""
    marker = bench_marker()
    return bool(
        marker
        and marker.changes.get("complete")
        and marker.changes.get("scale") == scale
        and marker.changes.get("version") == GENERATOR_VERSION
    )


class Generator:
    STEPS = (
        "municipalities",
        "organisations",
        "people",
        "roles",
        "memberships",
        "applications",
        "programmes",
        "grants",
        "indicators",
        "practices",
        "events",
        "audit_trail",
    )

    def __init__(self, *, scale: float, seed: int = SEED, out=None):
        self.scale = scale
        self.counts = _scaled(scale)
        self.rng = random.Random(seed)
        self.out = out
        self.audit: list[AuditEvent] = []

    def say(self, text: str) -> None:
        if self.out:
            self.out.write(text)

    def run(self) -> dict[str, int]:
        """Generate every step in one transaction; return the row count of each model."""
        mark(scale=self.scale, complete=False)
        self.secretariat = User.objects.filter(role_assignments__role=Role.SECRETARIAT).first()
        self.version = CharterVersion.objects.order_by("-adopted_on").first()
        self.countries = {c.code: c for c in Country.objects.all()}
        with transaction.atomic():
            for step in self.STEPS:
                started = time.perf_counter()
                getattr(self, step)()
                self.say(f"  {step}: {time.perf_counter() - started:.1f} s")
        # As a deployment's daily `safecities analyze` (or PostgreSQL's autovacuum) would soon:
        # the planner needs statistics of the new rows.
        database.refresh_statistics()
        rows = row_counts()
        mark(complete=True, rows=rows)
        return rows

    def _bulk(self, model, objects: list) -> list:
        return model.objects.bulk_create(objects, batch_size=BATCH)

    def _day(self, start: date = date(2016, 11, 1), end: date = REFERENCE_DAY) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days))

    def _log(self, action: str, target, *, at: date, actor=None, changes=None) -> None:
        self.audit.append(
            AuditEvent(
                at=_aware(at, hour=self.rng.randrange(8, 17)),
                actor=actor,
                actor_label=str(actor) if actor else "system",
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                target_label=str(target)[:300],
                changes=changes or {},
            )
        )

    def municipalities(self) -> None:
        taken = set(Municipality.objects.values_list("country__code", "code"))
        next_code = dict.fromkeys(COUNTRY_WEIGHTS, 1)
        names: set[str] = set(Municipality.objects.values_list("name", flat=True))
        cities = []
        for n in range(self.counts["municipalities"]):
            open_countries = [
                c for c in COUNTRY_WEIGHTS if next_code[c] < 10 ** MUNICIPALITY_CODE_LENGTH[c]
            ]
            if not open_countries:
                raise ValueError("The scale needs more municipality codes than the countries have.")
            country = self.rng.choices(
                open_countries, weights=[COUNTRY_WEIGHTS[c] for c in open_countries]
            )[0]
            while (country, f"{next_code[country]:0{MUNICIPALITY_CODE_LENGTH[country]}d}") in taken:
                next_code[country] += 1
            code = f"{next_code[country]:0{MUNICIPALITY_CODE_LENGTH[country]}d}"
            next_code[country] += 1
            base = self.rng.choice(STEMS) + self.rng.choice(ENDINGS)
            name, k = base, 1
            while name in names:
                k += 1
                name = f"{base} {k}"
            names.add(name)
            cities.append(
                Municipality(
                    country=self.countries[country],
                    code=code,
                    name=name,
                    slug=f"{nordic_slug(name)}-{country.lower()}{code}",
                    region=f"{BENCH_REGION} {n % 12 + 1}",
                    population=int(min(900_000, 1_500 * self.rng.paretovariate(1.1))),
                )
            )
        self.cities = self._bulk(Municipality, cities)

    def organisations(self) -> None:
        kinds = list(ORGANISATION_WEIGHTS)
        weights = list(ORGANISATION_WEIGHTS.values())
        organisations = []
        for n in range(self.counts["organisations"]):
            seat = self.rng.choice(self.cities) if self.rng.random() < 0.9 else None
            country = seat.country if seat else self.rng.choice(list(self.countries.values()))
            kind = self.rng.choices(kinds, weights=weights)[0]
            city = seat.name if seat else country.display_name
            name = self.rng.choice(ORGANISATION_NAMES[kind]).format(city=city)
            organisations.append(
                Organisation(
                    name=name,
                    slug=f"{nordic_slug(name)}-{n + 1}",
                    type=kind,
                    country=country,
                    municipality=seat,
                    website=f"https://org{n + 1}.bench.example.org/",
                    description=f"A synthetic organisation of the benchmark network ({kind}).",
                    illustrative=True,
                )
            )
        self.organisations = self._bulk(Organisation, organisations)

    def people(self) -> None:
        people = []
        consent = _aware(REFERENCE_DAY)
        for n in range(self.counts["people"]):
            roll = self.rng.random()
            organisation = self.rng.choice(self.organisations) if roll < 0.6 else None
            municipality = self.rng.choice(self.cities) if 0.6 <= roll < 0.95 else None
            country = (organisation or municipality).country.code if roll < 0.95 else "NO"
            listed = self.rng.random() < 0.4
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            people.append(
                Person(
                    full_name=name,
                    email=f"person{n + 1}@bench.example.org",
                    title=self.rng.choice(TITLES),
                    organisation=organisation,
                    municipality=municipality,
                    expertise=", ".join(self.rng.sample(EXPERTISE, 2)),
                    languages=[LANGUAGE_OF[country], "en"],
                    listed_publicly=listed,
                    consent_given_at=consent if listed else None,
                    illustrative=True,
                )
            )
        self.people = self._bulk(Person, people)

    def roles(self) -> None:
        """Logins for one coordinator per city and one contact per organisation, where a person
        works there, and for one person in twenty besides."""
        roles: dict[int, tuple[str, Municipality | None, Organisation | None]] = {}
        cities_done, organisations_done = set(), set()
        for person in self.people:
            if person.municipality_id and person.municipality_id not in cities_done:
                cities_done.add(person.municipality_id)
                roles[person.pk] = (Role.COORDINATOR, person.municipality, None)
            elif person.organisation_id and person.organisation_id not in organisations_done:
                organisations_done.add(person.organisation_id)
                roles[person.pk] = (Role.ORGANISATION_CONTACT, None, person.organisation)
            elif self.rng.random() < 0.05:
                roles[person.pk] = (Role.MEMBER, None, None)
        with_login = [p for p in self.people if p.pk in roles]
        unusable = make_password(None)  # one unusable hash for all: nobody logs in with it
        users = self._bulk(
            User,
            [
                User(
                    email=p.email,
                    full_name=p.full_name,
                    password=unusable,
                    date_joined=_aware(REFERENCE_DAY),
                )
                for p in with_login
            ],
        )
        for person, user in zip(with_login, users, strict=True):
            person.user = user
        Person.objects.bulk_update(with_login, ["user"], batch_size=BATCH)
        self.users_by_person = {p.pk: p.user for p in with_login}
        self.coordinator_of: dict[int, User] = {}
        self.contact_of: dict[int, User] = {}
        assignments = []
        for person in with_login:
            role, municipality, organisation = roles[person.pk]
            assignments.append(
                RoleAssignment(
                    user=person.user,
                    role=role,
                    municipality=municipality,
                    organisation=organisation,
                )
            )
            if municipality:
                self.coordinator_of[municipality.pk] = person.user
            if organisation:
                self.contact_of[organisation.pk] = person.user
            self._log("network.person.create", person, at=REFERENCE_DAY, actor=person.user)
        self._bulk(RoleAssignment, assignments)

    def memberships(self) -> None:
        """Three in five cities, two in five organisations and one in twelve people are active
        members; some left earlier, some of those came back."""
        memberships = []
        for kind, field, members, share in (
            (MemberKind.CITY, "municipality", self.cities, 0.6),
            (MemberKind.ORGANISATION, "organisation", self.organisations, 0.4),
            (MemberKind.INDIVIDUAL, "person", self.people, 0.08),
        ):
            for member in members:
                roll = self.rng.random()
                if roll < share * 0.1 or share <= roll < share * 1.08:  # left, maybe came back
                    started = self._day(end=date(2021, 1, 1))
                    ended = self._day(started + timedelta(days=30), date(2023, 1, 1))
                    memberships.append(
                        Membership(
                            kind=kind,
                            status=Membership.Status.ENDED,
                            started_on=started,
                            ended_on=ended,
                            end_reason="A synthetic member that left the network.",
                            **{field: member},
                        )
                    )
                if roll < share:
                    memberships.append(
                        Membership(kind=kind, started_on=self._day(), **{field: member})
                    )
        self.memberships = self._bulk(Membership, memberships)
        # Written in bulk around the services: the directory's key is copied from the members
        # once, set-based, as the services keep it.
        refresh_directory_keys(Membership.objects.all())
        endorsements = []
        for membership in self.memberships:
            endorsements.append(
                Endorsement(
                    membership=membership,
                    charter_version=self.version,
                    endorsed_on=membership.started_on,
                )
            )
            self._log(
                "network.membership.start",
                membership,
                at=membership.started_on,
                actor=self.secretariat,
                changes={"kind": [None, membership.kind], "status": [None, "active"]},
            )
            if membership.status == Membership.Status.ENDED:
                self._log(
                    "network.membership.end",
                    membership,
                    at=membership.ended_on,
                    actor=self.secretariat,
                    changes={"status": ["active", "ended"]},
                )
        self._bulk(Endorsement, endorsements)

    def _application(self, member, kind: str, field: str, status: str, day: date, **extra):
        submitter = {
            "municipality": self.coordinator_of.get(member.pk),
            "organisation": self.contact_of.get(member.pk),
            "person": self.users_by_person.get(member.pk),
        }[field]
        contact = submitter.full_name if submitter else "Bench Contact"
        application = MembershipApplication(
            kind=kind,
            submitted_by=submitter,
            submitted_at=_aware(day, hour=self.rng.randrange(8, 17)),
            case_number=f"KS {day.year}/{self.rng.randrange(1, 9999)}" if kind == "city" else "",
            decision_date=day - timedelta(days=14) if kind == "city" else None,
            contact_name=contact,
            contact_email=submitter.email if submitter else "contact@bench.example.org",
            motivation="A synthetic application of the benchmark network.",
            status=status,
            **{field: member},
            **extra,
        )
        if status != MembershipApplication.Status.SUBMITTED:
            application.decided_by = self.secretariat
            application.decided_at = application.submitted_at + timedelta(days=21)
        return application

    def applications(self) -> None:
        """Half the active memberships came through an approved application; one in ten cities
        outside the network, and fewer organisations and people, await a decision."""
        status = MembershipApplication.Status
        kind_field = {
            MemberKind.CITY: "municipality",
            MemberKind.ORGANISATION: "organisation",
            MemberKind.INDIVIDUAL: "person",
        }
        applications = []
        active = set()
        for membership in self.memberships:
            field = kind_field[membership.kind]
            if membership.status == Membership.Status.ACTIVE:
                active.add((field, getattr(membership, f"{field}_id")))
                if self.rng.random() < 0.5:
                    applications.append(
                        self._application(
                            getattr(membership, field),
                            membership.kind,
                            field,
                            status.APPROVED,
                            membership.started_on - timedelta(days=21),
                            membership=membership,
                        )
                    )
        for kind, field, members, open_share in (
            (MemberKind.CITY, "municipality", self.cities, 0.1),
            (MemberKind.ORGANISATION, "organisation", self.organisations, 0.03),
            (MemberKind.INDIVIDUAL, "person", self.people, 0.01),
        ):
            for member in members:
                if (field, member.pk) in active:
                    continue
                roll = self.rng.random()
                if roll < open_share:
                    applications.append(
                        self._application(
                            member, kind, field, status.SUBMITTED, self._day(date(2025, 1, 1))
                        )
                    )
                elif roll < open_share * 1.5:
                    declined = self._application(member, kind, field, status.DECLINED, self._day())
                    declined.decision_reason = "A synthetic decision: not yet eligible."
                    applications.append(declined)
                elif roll < open_share * 1.7:
                    applications.append(
                        self._application(member, kind, field, status.WITHDRAWN, self._day())
                    )
        applications = self._bulk(MembershipApplication, applications)
        for application in applications:
            submitted = application.submitted_at.date()
            self._log(
                "network.application.submit",
                application,
                at=submitted,
                actor=application.submitted_by,
                changes={"kind": [None, application.kind]},
            )
            if application.status in (status.APPROVED, status.DECLINED):
                verb = "approve" if application.status == status.APPROVED else "decline"
                self._log(
                    f"network.application.{verb}",
                    application,
                    at=application.decided_at.date(),
                    actor=self.secretariat,
                    changes={"status": [status.SUBMITTED, application.status]},
                )

    def programmes(self) -> None:
        """Three in ten synthetic member cities of the programme's country join it."""
        programme = NationalProgramme.objects.filter(slug=data.PROGRAMME["slug"]).first()
        if programme is None:
            return
        members = {
            m.municipality_id
            for m in self.memberships
            if m.municipality_id and m.status == Membership.Status.ACTIVE
        }
        programme.municipalities.add(
            *[
                city
                for city in self.cities
                if city.country_id == programme.country_id
                and city.pk in members
                and self.rng.random() < 0.3
            ]
        )

    def grants(self) -> None:
        """The grants scenario: one call with many applications (`bench_grants`)."""
        bench_grants.generate(self)

    def indicators(self) -> None:
        """Observations for the city dashboard (`bench_indicators`)."""
        bench_indicators.generate(self)

    def practices(self) -> None:
        """Published practices in four languages and their index (`bench_practices`)."""
        bench_practices.generate(self)

    def events(self) -> None:
        """A calendar of events and their registrations (`bench_events`)."""
        bench_events.generate(self)

    def audit_trail(self) -> None:
        for organisation in self.organisations:
            if self.rng.random() < 0.3:
                self._log(
                    "network.organisation.create",
                    organisation,
                    at=self._day(),
                    actor=self.contact_of.get(organisation.pk),
                    changes={"name": [None, organisation.name], "type": [None, organisation.type]},
                )
        self.audit.sort(key=lambda event: event.at)
        self._bulk(AuditEvent, self.audit)


def row_counts() -> dict[str, int]:
    models = [
        Municipality, Organisation, Person, User, RoleAssignment, Membership, Endorsement,
        MembershipApplication, AuditEvent, *bench_grants.ROW_MODELS,
        *bench_indicators.ROW_MODELS, *bench_practices.ROW_MODELS, *bench_events.ROW_MODELS,
    ]  # fmt: skip
    return {model._meta.verbose_name_plural.lower(): model.objects.count() for model in models}
