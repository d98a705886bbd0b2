"""The network's list pages ask the same queries at two sizes, and read one page in order."""

from django.urls import reverse

from safecities.network.models import MembershipApplication
from tests.network.factories import (
    CityMembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    submit_city,
)


def _text(response) -> str:
    return response.content.decode()


def test_the_applications_list_asks_the_same_queries_for_few_or_many(
    demo, secretariat, secretariat_client, django_assert_num_queries
):
    url = reverse("network:applications")
    secretariat_client.get(url)  # the session's first read
    for n in range(3):
        submit_city(actor=secretariat, municipality=MunicipalityFactory(name=f"Town {n:02d}"))
    with django_assert_num_queries(QUERIES["applications"]):
        small = secretariat_client.get(url)
    for n in range(3, 30):
        submit_city(actor=secretariat, municipality=MunicipalityFactory(name=f"Town {n:02d}"))
    with django_assert_num_queries(QUERIES["applications"]):
        large = secretariat_client.get(url)
    assert small.status_code == large.status_code == 200
    newest = MembershipApplication.objects.order_by("-submitted_at", "-id").first()
    shown = list(large.context["page"].object_list)
    assert shown[0] == newest and len(shown) == 25
    assert "Town 29" in _text(large) and "Town 00" not in _text(large)


def test_the_people_and_member_pages_ask_the_same_queries_for_few_or_many(
    demo, client, django_assert_num_queries
):
    for size in (3, 30):
        for i in range(size):
            PersonFactory(full_name=f"Aa Person {size:02d}-{i:02d}", listed_publicly=True)
            CityMembershipFactory(municipality=MunicipalityFactory(name=f"Aa City {size}-{i}"))
        for url in ("/", "/people/", "/members/"):
            with django_assert_num_queries(QUERIES[url]):
                response = client.get(url)
            assert response.status_code == 200
    people = [p.full_name for p in client.get("/people/").context["page"].object_list]
    assert people == sorted(people) and people[0] == "Aa Person 03-00"
    assert len(client.get("/members/").context["page"].object_list) == 25


# Home: the four figures (professionals in two counts) and the programmes; the lists: their
# filters' choices, the count and the page; the secretariat's list: the session, the user and
# their roles besides.
QUERIES = {"applications": 5, "/": 6, "/people/": 3, "/members/": 4}
