"""The calendar at two sizes: the same queries whatever the number of events and cities (the
list reads a page of events in start order, the month grid the month's events; the city filter
lists the cities with a listed event without reading every event)."""

import pytest
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.events import selectors
from safecities.network.models import Municipality

from .conftest import published_event, soon

LIST = reverse("events:list")


def _events(actor, cities, n: int, *, offset: int = 0) -> None:
    for i in range(n):
        published_event(
            actor,
            title={"en": f"Event {offset + i:03d}"},
            municipality=cities[i % len(cities)],
            starts_at=soon(20 + offset + i),
            ends_at=soon(20 + offset + i, hours=2),
        )


@pytest.mark.parametrize("params", [{}, {"goal": "safe-communities"}, {"city": "oslo"}])
def test_the_list_asks_the_same_queries_for_3_or_30_events(
    client, secretariat, demo, django_assert_num_queries, params
):
    cities = list(Municipality.objects.order_by("pk")[:10])
    _events(secretariat, [demo.oslo], 3)
    with django_assert_num_queries(5):
        small = client.get(LIST, params)
    _events(secretariat, [demo.oslo, *cities], 27, offset=3)
    with django_assert_num_queries(5):
        large = client.get(LIST, params)
    assert small.status_code == large.status_code == 200
    assert "Event 000" in large.content.decode()


def test_the_month_asks_the_same_queries_for_3_or_30_events(
    client, secretariat, demo, django_assert_num_queries
):
    month = soon(20).strftime("%Y-%m")
    _events(secretariat, [demo.oslo], 3)
    with django_assert_num_queries(4):
        client.get(LIST, {"view": "month", "month": month})
    _events(secretariat, list(Municipality.objects.order_by("pk")[:10]), 27, offset=3)
    with django_assert_num_queries(4):
        response = client.get(LIST, {"view": "month", "month": month})
    assert "Event 000" in response.content.decode()


def test_an_event_of_two_goals_is_listed_once_under_either(client, secretariat, demo):
    goals = list(Goal.objects.order_by("position")[:2])
    published_event(secretariat, title={"en": "Two goals"}, goals=goals)
    for goal in goals:
        page = client.get(LIST, {"goal": goal.code}).content.decode()
        assert page.count(">Two goals<") == 1
    shown = selectors.calendar_events(secretariat, goal=goals[0].code)
    assert [e.display_title for e in shown].count("Two goals") == 1


def test_the_city_filter_lists_each_city_with_a_listed_event_once(secretariat, demo):
    published_event(secretariat, municipality=demo.oslo, title={"en": "One"})
    published_event(secretariat, municipality=demo.oslo, title={"en": "Two"})
    slugs = list(selectors.event_cities().values_list("slug", flat=True))
    assert slugs.count("oslo") == 1
