"""Records of the network. Rows whose rules matter (applications, decisions) are made through
the real services; see `submit_city` and friends below."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.demo.pdf import simple_pdf
from safecities.network import services
from safecities.network.models import (
    Country,
    MemberKind,
    Membership,
    Municipality,
    NationalProgramme,
    Organisation,
    OrganisationType,
    Person,
    Role,
    RoleAssignment,
)
from safecities.network.services.directory import KEY_FIELDS, refresh_directory_keys
from tests.core.factories import UserFactory

COUNTRY_NAMES = {
    "NO": "Norway",
    "SE": "Sweden",
    "DK": "Denmark",
    "FI": "Finland",
    "IS": "Iceland",
}


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "NO"
    name = factory.LazyAttribute(lambda o: {"en": COUNTRY_NAMES.get(o.code, o.code)})


class MunicipalityFactory(factory.django.DjangoModelFactory):
    """Norwegian by default, with codes from 9000 up (no real kommunenummer)."""

    class Meta:
        model = Municipality

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Testby {n}")
    slug = factory.Sequence(lambda n: f"testby-{n}")
    population = 10_000
    region = "Testfylke"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testforeningen {n}")
    slug = factory.Sequence(lambda n: f"testforeningen-{n}")
    type = OrganisationType.CSO
    country = factory.SubFactory(CountryFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n:04d}")
    email = factory.Sequence(lambda n: f"person{n}@example.net")
    title = "Adviser"
    listed_publicly = True


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership written around the services, with the directory's key copied from its
    member as the services keep it."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    started_on = date(2021, 1, 1)

    @factory.post_generation
    def directory_key(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's hook
        if create:
            refresh_directory_keys(Membership.objects.filter(pk=obj.pk))
            obj.refresh_from_db(fields=KEY_FIELDS)


class CityMembershipFactory(MembershipFactory):
    kind = MemberKind.CITY
    municipality = factory.SubFactory(MunicipalityFactory)


class OrganisationMembershipFactory(MembershipFactory):
    kind = MemberKind.ORGANISATION
    organisation = factory.SubFactory(OrganisationFactory)


class IndividualMembershipFactory(MembershipFactory):
    kind = MemberKind.INDIVIDUAL
    person = factory.SubFactory(PersonFactory)


class NationalProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalProgramme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    country = factory.SubFactory(CountryFactory)
    funder = factory.SubFactory(OrganisationFactory, type=OrganisationType.FOUNDATION)
    starts_on = date(2020, 1, 1)


def coordinator_of(municipality: Municipality, **user_fields):
    """A new user who coordinates `municipality`."""
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=Role.COORDINATOR, municipality=municipality)
    return user


def decision_pdf(name: str = "decision.pdf", lines=None) -> SimpleUploadedFile:
    """A council decision as a valid one-page PDF upload."""
    content = simple_pdf(lines or ["Bystyret", "Sak 2024/123", "Medlemskap i Nordic Safe Cities"])
    return SimpleUploadedFile(name, content, "application/pdf")


def city_application_data(municipality: Municipality, **overrides) -> dict:
    data = {
        "municipality": municipality,
        "case_number": "KS 2024/123",
        "decision_date": date(2024, 3, 14),
        "decision_document": decision_pdf(),
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.net",
        "motivation": "We want to share what works.",
    }
    data.update(overrides)
    return data


def submit_city(*, actor, municipality: Municipality, **overrides):
    """A city application through the real service."""
    return services.submit_city_application(
        actor=actor, **city_application_data(municipality, **overrides)
    )


def submit_organisation(*, actor, organisation: Organisation, **overrides):
    data = {
        "contact_name": "Matti Meikäläinen",
        "contact_email": "matti@example.net",
        "motivation": "Youth work across the Nordics.",
    }
    data.update(overrides)
    return services.submit_organisation_application(actor=actor, organisation=organisation, **data)
