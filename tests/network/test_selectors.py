"""Reads of the network: who is listed, who sees what."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from safecities.network import selectors, services
from safecities.network.models import Membership, Municipality, Role
from tests.core.factories import UserFactory
from tests.network.factories import (
    CityMembershipFactory,
    CountryFactory,
    IndividualMembershipFactory,
    MunicipalityFactory,
    NationalProgrammeFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    coordinator_of,
    submit_city,
    submit_organisation,
)


@pytest.fixture
def countries(empty_db):
    return {code: CountryFactory(code=code) for code in ("DK", "NO", "SE")}


def individual(person, **fields):
    return IndividualMembershipFactory(
        person=person, started_on=fields.pop("started_on", date(2022, 1, 1))
    )


def names(memberships) -> list[str]:
    return [str(m.member) for m in memberships]


def test_the_directory_lists_active_public_members_by_country_then_name(countries):
    CityMembershipFactory(municipality=MunicipalityFactory(name="Bergen", country=countries["NO"]))
    CityMembershipFactory(municipality=MunicipalityFactory(name="Aarhus", country=countries["DK"]))
    OrganisationMembershipFactory(
        organisation=OrganisationFactory(name="Alfa forening", country=countries["SE"])
    )
    individual(
        PersonFactory(
            full_name="Astrid Listed", organisation=OrganisationFactory(country=countries["NO"])
        )
    )
    individual(PersonFactory(full_name="Ulf Unlisted", listed_publicly=False))
    ended = CityMembershipFactory(
        municipality=MunicipalityFactory(name="Ended", country=countries["NO"])
    )
    Membership.objects.filter(pk=ended.pk).update(status="ended", ended_on=date(2023, 1, 1))

    assert names(selectors.member_directory()) == [
        "Aarhus",
        "Astrid Listed",
        "Bergen",
        "Alfa forening",
    ]


def test_the_directory_groups_members_under_the_country_name_in_the_active_language(
    countries, django_assert_num_queries
):
    from django.utils import translation

    norway = countries["NO"]
    norway.name = {"en": "Norway", "nb": "Norge"}
    norway.save(update_fields=["name"])
    CityMembershipFactory(municipality=MunicipalityFactory(name="Bergen", country=norway))
    for name in ("Astrid Listed", "Berit Listed", "Carl Listed"):
        individual(PersonFactory(full_name=name, organisation=OrganisationFactory(country=norway)))
    individual(PersonFactory(full_name="Nils Nowhere"))  # works for no city or organisation

    rows = list(selectors.member_directory())
    with translation.override("nb"), django_assert_num_queries(1):
        groups = selectors.by_country(memberships=rows)
    assert [(g["code"], g["name"], len(g["members"])) for g in groups] == [
        ("", "", 1),
        ("NO", "Norge", 4),
    ]
    with translation.override("fi"):  # no Finnish name: English
        assert selectors.by_country(memberships=rows)[1]["name"] == "Norway"


def test_the_directory_filters_and_sorts(countries):
    old = CityMembershipFactory(
        municipality=MunicipalityFactory(
            name="Oldtown", region="Vestland", country=countries["NO"]
        ),
        started_on=date(2016, 1, 1),
    )
    new = CityMembershipFactory(
        municipality=MunicipalityFactory(name="Newtown", country=countries["NO"]),
        started_on=date(2024, 1, 1),
    )
    OrganisationMembershipFactory(
        organisation=OrganisationFactory(name="Org", country=countries["SE"])
    )

    assert list(selectors.member_directory(sort="since"))[:2] == [old, new]  # NO before SE
    assert list(selectors.member_directory(sort="-since"))[:2] == [new, old]
    assert names(selectors.member_directory(kind="organisation")) == ["Org"]
    assert names(selectors.member_directory(country="se")) == ["Org"]
    assert names(selectors.member_directory(q="vestland")) == ["Oldtown"]
    assert names(selectors.member_directory(kind="nonsense", sort="nonsense")) == [
        "Newtown",
        "Oldtown",
        "Org",
    ]


def test_people_are_listed_only_with_consent(countries):
    PersonFactory(
        full_name="Berit",
        expertise="Exit work",
        organisation=OrganisationFactory(country=countries["SE"]),
    )
    PersonFactory(full_name="Anders", municipality=MunicipalityFactory(country=countries["NO"]))
    PersonFactory(full_name="Hidden", listed_publicly=False, expertise="Exit work")

    assert [p.full_name for p in selectors.people_directory()] == ["Anders", "Berit"]
    assert [p.full_name for p in selectors.people_directory(q="exit")] == ["Berit"]
    assert [p.full_name for p in selectors.people_directory(country="no")] == ["Anders"]


def test_network_figures_count_active_members(countries):
    CityMembershipFactory(municipality=MunicipalityFactory(country=countries["NO"]))
    CityMembershipFactory(municipality=MunicipalityFactory(country=countries["NO"]))
    ended = CityMembershipFactory(municipality=MunicipalityFactory(country=countries["DK"]))
    Membership.objects.filter(pk=ended.pk).update(status="ended")
    OrganisationMembershipFactory(organisation=OrganisationFactory(country=countries["SE"]))
    individual(PersonFactory())
    PersonFactory(user=UserFactory())  # has a login: a professional in the network
    PersonFactory()  # a contact only

    assert selectors.network_figures() == {
        "cities": 2,
        "countries": 2,
        "organisations": 1,
        "professionals": 2,
    }


def test_a_programme_knows_which_of_its_cities_are_members(countries):
    programme = NationalProgrammeFactory(country=countries["NO"])
    member = CityMembershipFactory(
        municipality=MunicipalityFactory(name="A", country=countries["NO"])
    )
    other = MunicipalityFactory(name="B", country=countries["NO"])
    programme.municipalities.set([member.municipality, other])

    detail = selectors.programme_detail(programme.slug)
    assert [(m.name, m.is_member) for m in detail.municipalities.all()] == [
        ("A", True),
        ("B", False),
    ]
    assert selectors.programmes().get(pk=programme.pk).city_count == 2


def test_applications_are_visible_to_those_they_concern(demo, coordinator, contact, secretariat):
    drammen = submit_city(actor=coordinator, municipality=demo.drammen)
    RoleAssignmentFactory(
        user=contact, role=Role.ORGANISATION_CONTACT, organisation=demo.trygge_nabolag
    )
    skien = submit_organisation(actor=contact, organisation=demo.trygge_nabolag)
    stranger = UserFactory()
    own = services.submit_individual_application(actor=stranger, motivation="Me.")
    stockholm = demo.stockholm_application

    def visible(user, **filters):
        return set(selectors.applications_visible_to(user, **filters))

    assert visible(secretariat) == {drammen, skien, own, stockholm}
    assert visible(coordinator) == {drammen}
    assert visible(demo.stockholm_coordinator) == {stockholm}
    assert visible(contact) == {skien}
    assert visible(stranger) == {own}
    assert visible(demo.users["reviewer"]) == set()
    assert visible(secretariat, status="approved") == {stockholm}
    assert visible(secretariat, kind="organisation") == {skien}
    assert visible(secretariat, status="bogus") == visible(secretariat)


def test_a_coordinator_sees_applications_another_coordinator_submitted(demo, secretariat):
    colleague = coordinator_of(demo.drammen)
    application = submit_city(actor=secretariat, municipality=demo.drammen)
    assert list(selectors.applications_visible_to(colleague)) == [application]


def test_memberships_a_user_acts_for(demo, coordinator, contact, member):
    assert names(selectors.memberships_of_user(coordinator)) == ["Oslo"]
    assert names(selectors.memberships_of_user(contact)) == ["Nuorten ääni ry"]
    assert names(selectors.memberships_of_user(member)) == ["Jón Jónsson"]
    assert names(selectors.memberships_of_user(demo.users["reviewer"])) == []


def test_who_may_apply_for_which_city_and_organisation(demo, coordinator, contact, secretariat):
    # Any signed-in person may apply for any municipality; the members are marked.
    members = set(
        Membership.objects.active()
        .exclude(municipality=None)
        .values_list("municipality", flat=True)
    )
    for user in (coordinator, contact, secretariat):
        offered = selectors.municipalities_for_application(user)
        assert offered.count() == Municipality.objects.count()
        assert {m.pk for m in offered if m.is_member} == members
    assert list(selectors.municipalities_for_application(AnonymousUser())) == []
    assert [o.slug for o in selectors.organisations_for_application(contact)] == ["nuorten-aani"]
    assert list(selectors.organisations_for_application(coordinator)) == []


def test_profiles_are_found_by_slug(demo):
    oslo = selectors.municipality_profile("oslo")
    assert [m.status for m in oslo.memberships.all()] == ["active"]
    assert oslo.memberships.all()[0].endorsements.all()[0].charter_version.version == "2016"
    assert [p.name for p in oslo.programmes.all()] == ["Safe Cities Norway"]
    organisation = selectors.organisation_profile("nuorten-aani")
    assert organisation.country.code == "FI"
    with pytest.raises(type(oslo).DoesNotExist):
        selectors.municipality_profile("atlantis")


def test_a_professional_with_a_login_and_a_membership_counts_once(countries):
    individual(PersonFactory(user=UserFactory()))
    individual(PersonFactory())
    assert selectors.network_figures()["professionals"] == 2


def test_network_figures_ask_five_queries_at_any_size(countries, django_assert_num_queries):
    made = 0
    for size in (2, 20):
        for _ in range(size):
            individual(PersonFactory())
            PersonFactory(user=UserFactory())
            CityMembershipFactory(municipality=MunicipalityFactory(country=countries["NO"]))
        made += size
        with django_assert_num_queries(5):
            figures = selectors.network_figures()
        assert figures["professionals"] == 2 * made and figures["cities"] == made


def test_the_people_directory_reads_one_page_in_name_order(countries, django_assert_num_queries):
    for size in (3, 30):
        for i in range(size):
            PersonFactory(full_name=f"Person {size:02d}-{i:02d}", listed_publicly=True)
        with django_assert_num_queries(1):
            names = [p.full_name for p in selectors.people_directory()[:25]]
        assert names == sorted(names) and len(names) == min(25, 3 + (size == 30) * 30)
