"""The attendance page: a year's attendance by city, organisation type and charter goal, from
the demo's closed events and from attendance marked through the services."""

import re

from django.urls import reverse

from safecities.events import selectors, services
from safecities.events.models import Registration
from tests.events.conftest import move_to_past, published_event

READS_DEMO_EVENTS = True  # see conftest: the demo's closed events are the figures read here

URL = reverse("events:attendance")


def html(response) -> str:
    return response.content.decode()


def test_visitors_are_sent_to_log_in(client, demo):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_latest_year_by_city_type_and_goal_as_charts_and_tables(client_for, demo, member):
    years = selectors.attendance_years()
    assert years, "the demo has closed events with attendance"
    counts = selectors.attendance_counts(years[-1])
    page = html(client_for(member).get(URL))
    assert f'<option value="{years[-1]}" selected>' in page
    assert page.count('<figure class="sc-chart') == 3
    city, n = counts.cities[0]
    shown = str(n) if n >= 5 else "&lt;5"
    assert re.search(rf"<th scope=\"row\">{re.escape(city.name)}</th><td[^>]*>{shown}</td>", page)


def test_a_year_is_chosen_and_a_bad_one_is_named(client_for, demo, member):
    years = selectors.attendance_years()
    page = html(client_for(member).get(URL, {"year": years[0]}))
    assert f'<option value="{years[0]}" selected>' in page
    page = html(client_for(member).get(URL, {"year": "twenty"}))
    assert 'id="year-message"' in page and "Year:" in page
    page = html(client_for(member).get(URL, {"year": "1999"}))
    assert "no attendance is recorded for 1999" in page


def test_a_small_count_is_shown_as_under_the_threshold(client_for, demo, secretariat, coordinator):
    event = published_event(secretariat, capacity=10)
    services.register(actor=coordinator, event=event)
    move_to_past(event, days_ago=0.1)
    registration = Registration.objects.get(event=event, user=coordinator)
    services.mark_attendance(actor=secretariat, event=event, attendance={registration: True})
    year = selectors.attendance_year(event)
    before = {c.pk: n for c, n in selectors.attendance_counts(year).cities}
    page = html(client_for(coordinator).get(URL, {"year": year}))
    oslo = next(c for c, _n in selectors.attendance_counts(year).cities if c.name == "Oslo")
    assert 1 <= before.get(oslo.pk, 0) < 5  # the demo has no attendance from Oslo this year
    assert re.search(r"<th scope=\"row\">Oslo</th><td[^>]*>&lt;5</td>", page)
    assert not re.search(r"<th scope=\"row\">Oslo</th><td[^>]*>[1-4]</td>", page)
