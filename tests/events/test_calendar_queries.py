"""The calendar at two sizes: the same queries whatever the number of events and cities (the
list reads a page of events in start order, the month grid the month's events; the city filter
lists the cities with a listed event without reading every event)."""

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

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


# The list's and the month's rows as their template loops wrote them, before they were written
# in Python (`events.views.tables`): the same HTML, but for the blanks between tags.
LIST_LOOP = """{% load i18n core tz %}{% for event in page.object_list %}
    <tr>
      <th scope="row"><a class="ds-link" href="{% url 'events:detail' event.pk %}">{{ event.display_title }}</a></th>
      <td>{% with tz=event.time_zone %}{% timezone tz %}{{ event.starts_at|moment }}{% endtimezone %} <span class="sc-meta">({{ tz }})</span>{% endwith %}</td>
      <td>{{ event.get_type_display }}</td>
      <td>{% if event.municipality %}{{ event.municipality.name }}{% else %}{% translate "Online" %}{% endif %}</td>
      <td>{% status_tag event %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

MONTH_LOOP = """{% for week in weeks %}<tr>
    {% for day, inside, events in week %}<td{% if not inside %} class="sc-meta"{% endif %}>
      <span{% if not inside %} aria-hidden="true"{% endif %}>{{ day|date:"j" }}</span>{% if inside %}<span class="ds-sr-only"> {{ day|date:"F" }}</span>{% endif %}
      {% if events and inside %}<ul class="ds-list">{% for event in events %}<li><a class="ds-link" href="{% url 'events:detail' event.pk %}">{{ event.clock }} {{ event.display_title }}</a></li>{% endfor %}</ul>{% endif %}
    </td>{% endfor %}
  </tr>{% endfor %}"""  # noqa: E501


def _tags_only(text: str) -> str:
    return re.sub(r">\s+<", "><", text).strip()


def _body(page: str, table_id: str) -> str:
    table = page[page.index(f'id="{table_id}"') :]
    return table[table.index("<tbody>") + len("<tbody>") : table.index("</tbody>")]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_list_and_the_month_write_what_their_template_loops_wrote(
    client, secretariat, demo, language
):
    _events(secretariat, [demo.oslo], 3)
    published_event(
        secretariat,
        title={"en": 'Online & "<odd>"'},
        municipality=None,
        online_url="https://example.org/meet",
        time_zone="Europe/Helsinki",
        starts_at=soon(21),
        ends_at=soon(21, hours=1),
    )
    month = soon(21).strftime("%Y-%m")
    with translation.override(language):
        for params, table_id, loop, list_name in [
            ({}, "event-table", LIST_LOOP, "page"),
            ({"view": "month", "month": month}, "month-grid", MONTH_LOOP, "weeks"),
        ]:
            response = client.get(LIST, params, HTTP_ACCEPT_LANGUAGE=language)
            page = response.content.decode()
            context = {list_name: response.context[list_name]}
            expected = engines["django"].from_string(loop).render(context)
            assert _tags_only(_body(page, table_id)) == _tags_only(expected)
            assert "Online &amp; &quot;&lt;odd&gt;&quot;" in page
