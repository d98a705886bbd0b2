"""The loader's network steps: countries, cities, organisations, the charter, memberships,
people and Stockholm's application."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError

from safecities.charter.models import CharterVersion, Endorsement, Goal, Term
from safecities.core.models import User
from safecities.core.text import nordic_slug
from safecities.network import services as network_services
from safecities.network.models import (
    Country,
    MemberKind,
    Membership,
    MembershipApplication,
    Municipality,
    NationalProgramme,
    Organisation,
    Person,
    RoleAssignment,
)
from safecities.network.services.directory import refresh_directory_keys
from safecities.network.validators import ORG_ID_SCHEMES

from . import charter_data, data
from .pdf import simple_pdf
from .steps import Steps, _aware

ILLUSTRATIVE_PEOPLE = [
    ("Ingrid Berg", "Oslo", None, "SaLTo coordinator", "Youth work, dialogue", ["nb", "en"]),
    ("Lars Haugen", "Kristiansand", None, "Police liaison", "Gang prevention", ["nb"]),
    ("Maria Lindqvist", "Borlänge", None, "Social worker", "Family support", ["sv", "en"]),
    ("Elin Ekström", "Gothenburg", None, "Safety strategist", "Online hate", ["sv"]),
    ("Mette Sørensen", "Copenhagen", None, "Mentor coordinator", "Exit work", ["da", "en"]),
    (
        "Aino Virtanen",
        "Helsinki",
        None,
        "Youth services planner",
        "Youth engagement",
        ["fi", "sv", "en"],
    ),
    ("Guðrún Sigurðardóttir", "Reykjavík", None, "Project manager", "Inclusion", ["is", "en"]),
    ("Nora Bakke", None, "ungdom-i-dialog", "Dialogue facilitator", "Schools", ["nb"]),
    ("Emil Lund", None, "foreningen-trygga-grannar", "Chair", "Neighbourhood safety", ["sv"]),
    ("Sofie Holm", None, "dialog-og-faellesskab", "Community organiser", "Polarisation", ["da"]),
]


def _org_number(scheme: str, base: str) -> str:
    module = ORG_ID_SCHEMES[scheme][1]
    for last in range(10):  # mod-11 registers leave some bases without a check digit
        for digit in "0123456789":
            try:
                return module.validate(f"{base[:-1]}{(int(base[-1]) + last) % 10}{digit}")
            except StdnumError:
                continue
    raise ValueError(f"No check digit makes {base} valid for {scheme}.")


class NetworkSteps(Steps):
    """The network: countries, cities, organisations, the charter, memberships and people."""

    def network(self) -> None:
        self.countries = {
            code: self.get_or_create(Country, code=code, defaults={"name": names})
            for code, names in data.COUNTRIES.items()
        }
        self.cities = {}
        for country, code, name, region, population, _since in data.MUNICIPALITIES:
            self.cities[name] = self.get_or_create(
                Municipality,
                country=self.countries[country],
                code=code,
                defaults={
                    "name": name,
                    "slug": nordic_slug(name),
                    "region": region,
                    "population": population,
                },
            )
            # A row the registry loaded first: the demo adds what the registry file lacks.
            city, missing = self.cities[name], {}
            if city.population is None:
                missing["population"] = population
            if not city.region:
                missing["region"] = region
            if missing:
                for field, value in missing.items():
                    setattr(city, field, value)
                city.save(update_fields=list(missing))
        self.orgs = {}
        for slug, name, kind, country, seat, illustrative, _since, text in data.ORGANISATIONS:
            scheme, number = "", ""
            if slug in data.ILLUSTRATIVE_ORG_NUMBERS:
                scheme, base = data.ILLUSTRATIVE_ORG_NUMBERS[slug]
                number = _org_number(scheme, base)
            self.orgs[slug] = self.get_or_create(
                Organisation,
                slug=slug,
                defaults={
                    "name": name,
                    "type": kind,
                    "country": self.countries[country],
                    "municipality": self.cities.get(seat),
                    "illustrative": illustrative,
                    "org_id_scheme": scheme,
                    "org_id_number": number,
                    "description": text,
                },
            )
        p = data.PROGRAMME
        programme = self.get_or_create(
            NationalProgramme,
            slug=p["slug"],
            defaults={
                "name": p["name"],
                "local_name": p["local_name"],
                "country": self.countries[p["country"]],
                "funder": self.orgs[p["funder"]],
                "starts_on": p["starts_on"],
                "ends_on": p["ends_on"],
                "description": p["description"],
            },
        )
        if not programme.municipalities.exists():
            programme.municipalities.set([self.cities[name] for name in p["cities"]])

    def charter(self) -> None:
        goals = [
            self.get_or_create(
                Goal, code=code, defaults={"position": n, "name": names, "description": text}
            )
            for n, (code, names, text) in enumerate(charter_data.GOALS, start=1)
        ]
        v = charter_data.CHARTER_VERSION
        self.version = self.get_or_create(
            CharterVersion,
            version=v["version"],
            defaults={"adopted_on": v["adopted_on"], "preamble": v["preamble"]},
        )
        if not self.version.goals.exists():
            self.version.goals.set(goals)
        for vocabulary, terms in charter_data.TERMS.items():
            for code, label in terms:
                self.get_or_create(
                    Term, vocabulary=vocabulary, code=code, defaults={"label": label}
                )

    def _membership(self, kind: str, since, **member) -> None:
        if since is None or Membership.objects.filter(**member).exists():
            return
        membership = Membership.objects.create(kind=kind, started_on=since, **member)
        refresh_directory_keys(Membership.objects.filter(pk=membership.pk))
        Endorsement.objects.create(
            membership=membership, charter_version=self.version, endorsed_on=since
        )
        self.created += 2

    def memberships(self) -> None:
        for _c, _code, name, _r, _p, since in data.MUNICIPALITIES:
            self._membership(MemberKind.CITY, since, municipality=self.cities[name])
        for slug, *_rest in data.ORGANISATIONS:
            since = _rest[5]
            self._membership(MemberKind.ORGANISATION, since, organisation=self.orgs[slug])

    def two_factor_devices(self) -> None:
        """The demo logins whose role needs two-factor sign-in get an authenticator key known
        from the demo data (`safecities demologins` prints it), so the demo stays usable."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from safecities.core import two_factor

        for email, *_rest in data.LOGINS:
            user = User.objects.get(email=email)
            if two_factor.required(user) and not two_factor.has_device(user):
                TOTPDevice.objects.create(
                    user=user,
                    name="demo",
                    key=data.demo_totp_key(email),
                    confirmed=True,
                    tolerance=two_factor.TOLERANCE,
                )
                self.created += 1

    def people(self) -> None:
        self.users = {}
        for email, name, role, scope, names, title, listed in data.LOGINS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, data.DEMO_PASSWORD, full_name=name)
                self.created += 1
            self.users[role if role != "coordinator" else email] = user
            targets = [None]
            if scope == "municipality":
                targets = [self.cities[n] for n in names]
            elif scope == "organisation":
                targets = [self.orgs[n] for n in names]
            for target in targets:
                self.get_or_create(
                    RoleAssignment,
                    user=user,
                    role=role,
                    municipality=target if scope == "municipality" else None,
                    organisation=target if scope == "organisation" else None,
                )
            first = targets[0]
            self.get_or_create(
                Person,
                user=user,
                defaults={
                    "full_name": name,
                    "email": email,
                    "title": title,
                    "illustrative": True,
                    "municipality": first if scope == "municipality" else None,
                    "organisation": first if scope == "organisation" else None,
                    "listed_publicly": listed,
                    "consent_given_at": timezone.now() if listed else None,
                    "languages": ["en"],
                },
            )
        member = Person.objects.get(user=self.users["member"])
        self._membership(MemberKind.INDIVIDUAL, data.date(2023, 6, 1), person=member)
        for name, city, org, title, expertise, languages in ILLUSTRATIVE_PEOPLE:
            person = self.get_or_create(
                Person,
                full_name=name,
                illustrative=True,
                defaults={
                    "title": title,
                    "expertise": expertise,
                    "languages": languages,
                    "municipality": self.cities.get(city),
                    "organisation": self.orgs.get(org),
                    "listed_publicly": True,
                    "consent_given_at": timezone.now(),
                },
            )
            self._membership(MemberKind.INDIVIDUAL, data.date(2022, 1, 1), person=person)

    def stockholm(self) -> None:
        """Stockholm's 2018 application, submitted and approved through the real services."""
        stockholm = self.cities["Stockholm"]
        if MembershipApplication.objects.filter(municipality=stockholm).exists():
            return
        s = data.STOCKHOLM_APPLICATION
        coordinator = self.users["stockholm@example.org"]
        application = network_services.submit_city_application(
            actor=coordinator,
            municipality=stockholm,
            case_number=s["case_number"],
            decision_date=s["decision_date"],
            decision_document=SimpleUploadedFile(
                "dnr-ks-2018-550.pdf", simple_pdf(s["pdf_lines"]), "application/pdf"
            ),
            contact_name=coordinator.full_name,
            contact_email=coordinator.email,
            motivation=s["motivation"],
        )
        membership = network_services.approve_application(
            actor=self.users["secretariat"], application=application
        )
        MembershipApplication.objects.filter(pk=application.pk).update(
            submitted_at=_aware(s["submitted_on"]), decided_at=_aware(s["approved_on"])
        )
        Membership.objects.filter(pk=membership.pk).update(started_on=s["approved_on"])
        Endorsement.objects.filter(membership=membership).update(endorsed_on=s["approved_on"])
        self.created += 3
