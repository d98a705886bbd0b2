"""Reads of the network: figures, the directory, profiles, applications."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import (
    IN_DIRECTORY,
    Country,
    MemberKind,
    Membership,
    MembershipApplication,
    Municipality,
    NationalProgramme,
    Organisation,
    OrganisationType,
    Person,
    PredecessorCode,
)
from .permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    is_secretariat,
)

if TYPE_CHECKING:
    from safecities.core.models import User

ACTIVE = Membership.Status.ACTIVE


def network_figures() -> dict[str, int]:
    """The home page's figures: member cities, countries, organisations and professionals."""
    active = Membership.objects.active()
    cities = active.filter(kind=MemberKind.CITY).count()
    organisations = active.filter(kind=MemberKind.ORGANISATION).count()
    member_city = Membership.objects.filter(status=ACTIVE, municipality__country=OuterRef("pk"))
    member_organisation = Membership.objects.filter(
        status=ACTIVE, organisation__country=OuterRef("pk")
    )
    # Exists, not a join: joining both membership sets multiplies rows per country.
    countries = Country.objects.filter(Exists(member_city) | Exists(member_organisation)).count()
    # Professionals: people with a login or an active individual membership (not bare contacts).
    # Two counts on indexes rather than a test per person: a person has at most one active
    # membership (a unique constraint), so the two sets add up without counting anyone twice.
    professionals = (
        Person.objects.filter(user__isnull=False).count()
        + active.filter(person__isnull=False, person__user__isnull=True).count()
    )
    return {
        "cities": cities,
        "countries": countries,
        "organisations": organisations,
        "professionals": professionals,
    }


# Each within the member's country, on the index of its name (see Membership.Meta.indexes).
DIRECTORY_SORTS = {
    "name": ("country_code", "member_name", "id"),
    "-since": ("country_code", "-started_on", "member_name", "id"),
    "since": ("country_code", "started_on", "member_name", "id"),
}


def member_directory(
    *, q: str = "", kind: str = "", country: str = "", sort: str = "name"
) -> QuerySet[Membership]:
    """Active members by country: cities, organisations, and individuals who agreed to be listed.
    Filtered and sorted on the key each membership keeps of its member (its name, country and
    consent), so a page is read in order from an index and counted on it."""
    qs = Membership.objects.filter(IN_DIRECTORY).select_related(
        "municipality", "organisation", "person"
    )
    if kind in MemberKind.values:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country_code=country.upper())
    if q:
        qs = qs.filter(Q(member_name__icontains=q) | Q(municipality__region__icontains=q))
    return qs.order_by(*DIRECTORY_SORTS.get(sort, DIRECTORY_SORTS["name"]))


def countries() -> QuerySet[Country]:
    return Country.objects.order_by("code")


def country_names() -> dict[str, str]:
    """Each country's code with its name in the active language (the code if it has none)."""
    return {country.code: country.display_name for country in countries()}


def by_country(*, memberships: Iterable[Membership]) -> list[dict]:
    """Directory rows (from `member_directory`, so already ordered by country) grouped
    under their country's name in the reader's language: {"code", "name", "members"}."""
    names = country_names()
    return [
        {"code": code, "name": names.get(code, code), "members": list(rows)}
        for code, rows in groupby(memberships, key=attrgetter("country_code"))
    ]


def _member_profile() -> tuple[Prefetch, Prefetch]:
    """What a member's profile shows of any member, city or organisation: its memberships,
    newest first, with their charter endorsements, and its publicly listed people."""
    return (
        Prefetch(
            "memberships",
            queryset=Membership.objects.order_by("-started_on").prefetch_related(
                "endorsements__charter_version"
            ),
        ),
        Prefetch(
            "people", queryset=Person.objects.filter(listed_publicly=True).order_by("full_name")
        ),
    )


def municipality_profile(slug: str) -> Municipality:
    return (
        Municipality.objects.select_related("country")
        .prefetch_related(
            *_member_profile(),
            Prefetch("programmes", queryset=NationalProgramme.objects.select_related("funder")),
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
        )
        .get(slug=slug)
    )


def organisation_profile(slug: str) -> Organisation:
    return (
        Organisation.objects.select_related("country", "municipality")
        .prefetch_related(*_member_profile())
        .get(slug=slug)
    )


def people_directory(*, q: str = "", country: str = "") -> QuerySet[Person]:
    """Only people who consented to be listed."""
    qs = Person.objects.filter(listed_publicly=True).select_related(
        "organisation__country", "municipality__country"
    )
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(expertise__icontains=q)
            | Q(title__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(municipality__name__icontains=q)
        )
    if country:
        qs = qs.filter(
            Q(organisation__country__code=country.upper())
            | Q(municipality__country__code=country.upper())
        )
    return qs.order_by("full_name")


def programmes() -> QuerySet[NationalProgramme]:
    return NationalProgramme.objects.select_related("funder", "country").annotate(
        city_count=Count("municipalities")
    )


def programme_detail(slug: str) -> NationalProgramme:
    member = Membership.objects.filter(municipality=OuterRef("pk"), status=ACTIVE)
    return (
        NationalProgramme.objects.select_related("funder", "country", "contact")
        .prefetch_related(
            Prefetch(
                "municipalities",
                queryset=Municipality.objects.annotate(is_member=Exists(member)).order_by("name"),
            )
        )
        .get(slug=slug)
    )


def applications_visible_to(user: User, *, status: str = "", kind: str = "") -> QuerySet:
    qs = MembershipApplication.objects.select_related(
        "municipality__country", "organisation__country", "person", "submitted_by"
    )
    if not is_secretariat(user):
        qs = qs.filter(
            Q(submitted_by=user)
            | Q(municipality_id__in=coordinated_municipality_ids(user))
            | Q(organisation_id__in=contact_organisation_ids(user))
        )
    if status in MembershipApplication.Status.values:
        qs = qs.filter(status=status)
    if kind in MemberKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-submitted_at", "-id")


def application_detail(pk: int) -> MembershipApplication:
    return MembershipApplication.objects.select_related(
        "municipality__country",
        "organisation__country",
        "person",
        "submitted_by",
        "decided_by",
        "membership",
    ).get(pk=pk)


def memberships_of_user(user: User) -> QuerySet[Membership]:
    """Memberships the user can act for: their cities, organisations, and their own."""
    return (
        Membership.objects.filter(
            Q(municipality_id__in=coordinated_municipality_ids(user))
            | Q(organisation_id__in=contact_organisation_ids(user))
            | Q(person__user=user)
        )
        .select_related("municipality", "organisation", "person")
        .order_by("-started_on")
    )


def municipalities_for_application(user: User) -> QuerySet[Municipality]:
    """Every municipality of the registry, for any signed-in person to apply for; those that
    are members now are marked (`is_member`), and the service refuses them by name."""
    if not getattr(user, "is_authenticated", False):
        return Municipality.objects.none()
    member = Membership.objects.active().filter(municipality=OuterRef("pk"))
    return (
        Municipality.objects.select_related("country")
        .annotate(is_member=Exists(member))
        .order_by("name")
    )


def organisations_for_application(user: User) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("country")
    if is_secretariat(user):
        return qs.order_by("name")
    return qs.filter(pk__in=contact_organisation_ids(user)).order_by("name")


def role_assignments(*, q: str = "", role: str = "") -> QuerySet:
    from .models import RoleAssignment

    qs = RoleAssignment.objects.select_related("user", "municipality", "organisation")
    if q:
        qs = qs.filter(
            Q(user__email__icontains=q)
            | Q(user__full_name__icontains=q)
            | Q(municipality__name__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("user__full_name", "role", "id")


def municipalities(*, country: str = "", q: str = "") -> QuerySet[Municipality]:
    qs = Municipality.objects.select_related("country").order_by("name")
    if country:
        qs = qs.filter(country__code=country.upper())
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def municipality_by_slug(slug: str) -> Municipality:
    """The municipality with `slug`, or a 404 saying so."""
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist as exc:
        raise Http404(_("No municipality has the slug %(slug)s.") % {"slug": slug}) from exc


def municipality_by_slug_or_code(value: str) -> Municipality | None:
    """A city named by its slug ("stockholm") or, if unambiguous, its official code ("0180")."""
    found = Municipality.objects.filter(slug=value).first()
    if found is None:
        by_code = list(Municipality.objects.filter(code=value)[:2])
        found = by_code[0] if len(by_code) == 1 else None
    return found


def organisations(*, country: str = "", type: str = "", q: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("country").order_by("name")
    if country:
        qs = qs.filter(country__code=country.upper())
    if type:
        qs = qs.filter(type=type)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def person_for(user: User) -> Person | None:
    """The member's own profile, if they have one."""
    return Person.objects.filter(user=user).first()


def applications_to_decide(user: User, *, limit: int = 20) -> list[MembershipApplication]:
    """Membership applications awaiting the secretariat's decision, the oldest first; none for
    anyone else (and no query)."""
    if not is_secretariat(user):
        return []
    queryset = MembershipApplication.objects.select_related(
        "municipality", "organisation", "person"
    )
    queryset = queryset.filter(status=MembershipApplication.Status.SUBMITTED)
    return list(queryset.order_by("submitted_at", "id")[:limit])


def municipality_for_code(country_code: str, *, code: str) -> Municipality | None:
    """The municipality of today that `code` names in `country_code`: its current code, or a
    former code of a municipality that was merged or renumbered (statistics published under
    old codes still find their city). None if the code is unknown."""
    code = (code or "").strip()
    current = Municipality.objects.filter(country__code=country_code, code=code).first()
    if current is not None:
        return current
    former = (
        PredecessorCode.objects.select_related("municipality")
        .filter(country__code=country_code, code=code)
        .first()
    )
    return former.municipality if former else None


# --- the secretariat's set-up pages ----------------------------------------------------------

FUNDER_TYPES = [
    OrganisationType.FOUNDATION,
    OrganisationType.PUBLIC_AGENCY,
    OrganisationType.COMPANY,
]


def funders() -> QuerySet[Organisation]:
    """The organisations that may fund: foundations, public agencies and companies."""
    return Organisation.objects.filter(type__in=FUNDER_TYPES).select_related("country")


def setup_counts() -> dict[str, int]:
    return {
        "countries": Country.objects.count(),
        "municipalities": Municipality.objects.count(),
        "programmes": NationalProgramme.objects.count(),
        "funders": funders().count(),
    }


def countries_with_city_counts() -> QuerySet[Country]:
    return Country.objects.annotate(city_count=Count("municipalities")).order_by("code")


def programmes_for_setup() -> QuerySet[NationalProgramme]:
    return NationalProgramme.objects.select_related("country", "funder", "contact").annotate(
        city_count=Count("municipalities")
    )


def municipalities_for_setup(country: Country) -> QuerySet[Municipality]:
    """The country's municipalities by their official code, for the set-up pages."""
    return Municipality.objects.filter(country=country).order_by("code", "pk")
