"""The directory's key kept on each membership (its member's name, country and consent): true
after every kind of write that changes it, read by the directory and the API in order, a page
at a time, with as many queries for few members as for many."""

import shutil
from datetime import date

import pytest

from safecities.core.services import erase_account
from safecities.network import selectors, services
from safecities.network.models import Country, Membership
from safecities.network.services import registry
from safecities.network.services.directory import refresh_directory_keys
from tests.network.factories import (
    CityMembershipFactory,
    CountryFactory,
    IndividualMembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PersonFactory,
    submit_city,
    submit_organisation,
)

API = "/api/v1/network/memberships"


def expected_key(membership: Membership) -> tuple[str, str, bool]:
    """The key computed afresh in Python from the member's rows, as the directory means it."""
    if membership.municipality:
        city = membership.municipality
        return city.name, city.country.code, True
    if membership.organisation:
        organisation = membership.organisation
        return organisation.name, organisation.country.code, True
    person = membership.person
    place = person.organisation or person.municipality
    return person.full_name, place.country.code if place else "", person.listed_publicly


def assert_keys_are_fresh() -> None:
    """Every membership, active or ended, holds its member's key as it is now."""
    rows = Membership.objects.select_related(
        "municipality__country",
        "organisation__country",
        "person__organisation__country",
        "person__municipality__country",
    )
    stale = {
        m.pk: ((m.member_name, m.country_code, m.listed), expected_key(m))
        for m in rows
        if (m.member_name, m.country_code, m.listed) != expected_key(m)
    }
    assert not stale, f"kept key, fresh key: {stale}"


def key_of(membership: Membership) -> tuple[str, str, bool]:
    membership.refresh_from_db()
    return membership.member_name, membership.country_code, membership.listed


def directory_names(**filters) -> list[str]:
    return [m.member_name for m in selectors.member_directory(**filters)]


# --- the key after each kind of write -------------------------------------------------------


def test_the_demo_memberships_hold_their_keys(demo):
    assert_keys_are_fresh()
    assert key_of(Membership.objects.get(municipality=demo.oslo)) == ("Oslo", "NO", True)


def test_an_approved_application_starts_a_membership_with_its_key(demo, secretariat, coordinator):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    membership = services.approve_application(actor=secretariat, application=application)
    assert (membership.member_name, membership.country_code, membership.listed) == (
        "Drammen",
        "NO",
        True,
    )
    assert_keys_are_fresh()
    assert "Drammen" in directory_names(country="no")


def test_an_approved_individual_is_listed_only_with_consent(demo, secretariat):
    from tests.core.factories import UserFactory

    listed, unlisted = UserFactory(full_name="Åsa Listed"), UserFactory(full_name="Åke Hidden")
    for user, consent in ((listed, True), (unlisted, False)):
        application = services.submit_individual_application(
            actor=user,
            organisation=demo.nuorten_aani,
            listed_publicly=consent,
            motivation="Exit work.",
        )
        services.approve_application(actor=secretariat, application=application)
    assert_keys_are_fresh()
    assert key_of(Membership.objects.get(person__user=listed)) == ("Åsa Listed", "FI", True)
    assert key_of(Membership.objects.get(person__user=unlisted)) == ("Åke Hidden", "FI", False)
    names = directory_names(kind="individual")
    assert "Åsa Listed" in names and "Åke Hidden" not in names


def test_a_profile_change_moves_the_members_key(demo, member):
    membership = Membership.objects.get(person__user=member)
    assert key_of(membership) == ("Jón Jónsson", "", True)

    services.save_profile(actor=member, full_name="Aaron Jónsson")
    assert key_of(membership) == ("Aaron Jónsson", "", True)
    services.save_profile(actor=member, municipality=demo.stockholm)
    assert key_of(membership) == ("Aaron Jónsson", "SE", True)
    services.save_profile(actor=member, organisation=demo.nuorten_aani)  # before the city
    assert key_of(membership) == ("Aaron Jónsson", "FI", True)
    assert directory_names(country="fi", kind="individual")[0] == "Aaron Jónsson"
    services.save_profile(actor=member, listed_publicly=False)
    assert key_of(membership) == ("Aaron Jónsson", "FI", False)
    assert "Aaron Jónsson" not in directory_names()
    assert_keys_are_fresh()


def test_an_organisation_renamed_or_moved_takes_its_members_and_people_along(demo, contact, member):
    services.save_profile(actor=member, organisation=demo.nuorten_aani)
    sweden = Country.objects.get(code="SE")

    services.update_organisation(actor=contact, organisation=demo.nuorten_aani, name="Ääni")
    own = Membership.objects.get(organisation=demo.nuorten_aani)
    assert key_of(own) == ("Ääni", "FI", True)
    services.update_organisation(actor=contact, organisation=demo.nuorten_aani, country=sweden)
    assert key_of(own) == ("Ääni", "SE", True)
    assert key_of(Membership.objects.get(person__user=member)) == ("Jón Jónsson", "SE", True)
    assert "Ääni" in directory_names(country="se") and "Ääni" not in directory_names(country="fi")
    assert_keys_are_fresh()


def test_an_ended_membership_keeps_its_key_and_leaves_the_directory(demo, coordinator):
    before = selectors.member_directory().count()
    oslo = Membership.objects.get(municipality=demo.oslo)
    services.end_membership(actor=coordinator, membership=oslo, reason="Paused.")
    assert key_of(oslo) == ("Oslo", "NO", True)
    assert selectors.member_directory().count() == before - 1
    assert "Oslo" not in directory_names()
    assert_keys_are_fresh()


def test_an_erased_person_leaves_the_key_blank_and_the_directory(demo, secretariat, member):
    membership = Membership.objects.get(person__user=member)
    erase_account(actor=secretariat, user=member)
    assert key_of(membership) == ("", "", False)
    assert "Jón Jónsson" not in directory_names()
    assert_keys_are_fresh()


def test_the_registry_renames_a_member_city_in_the_directory(demo, tmp_path):
    files = tmp_path / "registry"
    shutil.copytree(registry.REGISTRY_DIR, files)
    registry.load(files)
    assert_keys_are_fresh()
    no = files / "no.csv"
    no.write_text(no.read_text(encoding="utf-8").replace("0301,Oslo,", "0301,Oslo by,", 1))

    registry.load(files)

    assert key_of(Membership.objects.get(municipality=demo.oslo)) == ("Oslo by", "NO", True)
    assert "Oslo by" in directory_names(country="no")
    assert_keys_are_fresh()


def test_refreshing_every_row_fills_keys_written_around_the_services(demo):
    """What the migration does for the rows already there, and the bench generator after its
    bulk writes."""
    Membership.objects.update(member_name="", country_code="", listed=False)
    assert selectors.member_directory().count() == 0

    refresh_directory_keys(Membership.objects.all())

    assert_keys_are_fresh()
    assert selectors.member_directory().count() > 0


# --- the directory's order, filters and queries ---------------------------------------------


@pytest.fixture
def members(empty_db):
    """Members in three countries, made in an order unlike the directory's, some with the same
    name; an unlisted person and an ended membership besides."""
    countries = {code: CountryFactory(code=code) for code in ("SE", "DK", "NO")}
    rows = []
    for i in range(40):
        country = countries[("SE", "DK", "NO")[i % 3]]
        name = f"Member {(i * 7) % 40:02d}" if i % 10 else "Twin"
        since = date(2016 + i % 8, 1 + i % 12, 1)
        if i % 3 == 0:
            rows.append(
                CityMembershipFactory(
                    municipality=MunicipalityFactory(name=name, country=country, region="Fylke"),
                    started_on=since,
                )
            )
        elif i % 3 == 1:
            rows.append(
                OrganisationMembershipFactory(
                    organisation=OrganisationFactory(name=name, country=country), started_on=since
                )
            )
        else:
            person = PersonFactory(
                full_name=name, organisation=OrganisationFactory(country=country)
            )
            rows.append(IndividualMembershipFactory(person=person, started_on=since))
    IndividualMembershipFactory(person=PersonFactory(full_name="Hidden", listed_publicly=False))
    ended = CityMembershipFactory(municipality=MunicipalityFactory(name="Ended"))
    Membership.objects.filter(pk=ended.pk).update(status="ended")
    return rows


def in_order(rows, *, sort: str = "name") -> list[int]:
    by = {
        "name": lambda m: (m.country_code, m.member_name, m.pk),
        "since": lambda m: (m.country_code, m.started_on, m.member_name, m.pk),
        "-since": lambda m: (m.country_code, -m.started_on.toordinal(), m.member_name, m.pk),
    }[sort]
    return [m.pk for m in sorted(rows, key=by)]


@pytest.mark.parametrize("sort", ["name", "since", "-since"])
def test_the_directory_pages_follow_each_order(members, client, sort):
    shown = []
    for number in (1, 2):
        page = client.get(f"/members/?sort={sort}&page={number}").context["page"]
        shown += [m.pk for m in page.object_list]
    assert page.paginator.count == 40
    assert shown == in_order(members, sort=sort)


def test_the_api_pages_follow_the_directorys_order(members, client):
    first = client.get(f"{API}?page_size=25").json()
    second = client.get(f"{API}?page_size=25&page=2").json()
    assert first["count"] == 40
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == in_order(members)
    country = {item["id"]: item["country"] for item in first["items"]}
    assert all(country[m.pk] == m.country_code for m in members if m.pk in country)


def test_the_directory_filters_on_the_key(members, client):
    sweden = [m for m in members if m.country_code == "SE"]
    page = client.get("/members/?country=SE").context["page"]
    assert [m.pk for m in page.object_list] == in_order(sweden)
    cities = client.get("/members/?kind=city").context["page"]
    assert cities.paginator.count == 14
    twins = client.get("/members/?q=twin").context["page"]
    assert sorted(m.pk for m in twins.object_list) == sorted(
        m.pk for m in members if m.member_name == "Twin"
    )
    assert client.get("/members/?q=fylke").context["page"].paginator.count == 14  # a region
    assert client.get(f"{API}?country=dk&kind=organisation").json()["count"] == len(
        [m for m in members if m.country_code == "DK" and m.kind == "organisation"]
    )


DIRECTORY_URLS = [
    ("/members/", 4),
    ("/members/?country=SE", 4),
    ("/members/?kind=organisation&sort=-since", 4),
    ("/members/?q=member&sort=since&page=2", 4),
    (API, 2),
    (f"{API}?country=no&kind=city&q=member", 2),
]


@pytest.mark.parametrize(("url", "queries"), DIRECTORY_URLS, ids=[u for u, _ in DIRECTORY_URLS])
def test_the_directory_asks_as_many_queries_for_few_members_as_for_many(
    empty_db, client, django_assert_num_queries, url, queries
):
    """Countries (for the filter and the headings), the count and the page; the API: the count
    and the page."""
    countries = [CountryFactory(code=code) for code in ("NO", "SE", "DK")]
    for size in (6, 90):
        while Membership.objects.count() < size:
            n = Membership.objects.count()
            country = countries[n % 3]
            if n % 3 == 0:
                CityMembershipFactory(
                    municipality=MunicipalityFactory(name=f"Member {n}", country=country)
                )
            elif n % 3 == 1:
                OrganisationMembershipFactory(
                    organisation=OrganisationFactory(name=f"Member {n}", country=country)
                )
            else:
                person = PersonFactory(full_name=f"Member {n}", municipality=MunicipalityFactory())
                IndividualMembershipFactory(person=person)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200


def test_a_new_organisation_member_is_in_the_directory_once_approved(demo, secretariat):
    organisation = OrganisationFactory(name="Aaa Nordic", country=Country.objects.get(code="DK"))
    application = submit_organisation(actor=secretariat, organisation=organisation)
    assert "Aaa Nordic" not in directory_names()
    services.approve_application(actor=secretariat, application=application)
    assert directory_names(country="dk")[0] == "Aaa Nordic"
    assert_keys_are_fresh()
