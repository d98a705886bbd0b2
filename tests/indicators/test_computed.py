"""Computed indicators: a provider registered with `indicators.computed`, the refresh that
replaces the indicator's observations from it (audited, with revisions), the refusal of figures
by hand or file, and the events' attendance indicator "network-events-attended" kept up to date
by the events' services and shown on the indicators' pages like any other."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.core.errors import InvalidInput
from safecities.core.models import AuditEvent
from safecities.events import selectors as event_selectors
from safecities.events import services as event_services
from safecities.events.computed import ATTENDED
from safecities.indicators import computed, services
from safecities.indicators.models import Indicator, Observation, ObservationRevision
from safecities.network.models import Municipality
from tests.events.conftest import move_to_past, people, published_event
from tests.network.factories import PersonFactory
from tests.utils import unchanged

CODE = "test-computed-visits"
DEFINITION = {
    "name": {"en": "Study visits received"},
    "description": {"en": "Study visits a city received, per year."},
    "kind": "output",
    "unit_type": "count",
    "better": "higher",
}


@pytest.fixture
def figures(demo):
    """A registered provider counting from a dict {(city slug, year): count} the test edits."""
    counts: dict[tuple[str, int], int] = {}

    def provider(years):
        cities = Municipality.objects.in_bulk([slug for slug, _y in counts], field_name="slug")
        for (slug, year), count in counts.items():
            if years is None or year in years:
                yield cities[slug], year, count

    computed.register(CODE, provider, definition=DEFINITION)
    yield counts
    computed.unregister(CODE)


def values(code: str = CODE) -> dict[tuple[str, str], Decimal]:
    return {
        (o.municipality.slug, o.period): o.value
        for o in Observation.objects.filter(indicator__code=code).select_related("municipality")
    }


def test_the_first_refresh_defines_the_indicator_and_writes_its_figures(figures):
    figures.update({("oslo", 2024): 7, ("stockholm", 2024): 3, ("oslo", 2023): 2})
    indicator = services.refresh_computed(CODE)
    assert indicator.source == Indicator.Source.COMPUTED and indicator.period_type == "year"
    assert indicator.display_name == "Study visits received"
    assert values() == {
        ("oslo", "2024"): 7,
        ("stockholm", "2024"): 3,
        ("oslo", "2023"): 2,
    }
    created = AuditEvent.objects.get(action="indicators.indicator.create", target_id=indicator.pk)
    assert created.actor is None
    refresh = AuditEvent.objects.get(action="indicators.computed.refresh")
    assert refresh.changes["2024"] == [{}, {"Oslo": 7, "Stockholm": 3}]


def test_a_refresh_replaces_the_years_figures_and_leaves_other_years(figures, secretariat):
    figures.update({("oslo", 2024): 7, ("stockholm", 2024): 3, ("oslo", 2023): 2})
    services.refresh_computed(CODE)
    figures.clear()
    figures.update({("oslo", 2024): 8, ("oslo", 2023): 5})
    services.refresh_computed(CODE, years=[2024], actor=secretariat)
    assert values() == {("oslo", "2024"): 8, ("oslo", "2023"): 2}  # 2023 not recounted
    revision = ObservationRevision.objects.get(observation__indicator__code=CODE)
    assert revision.value == 7 and revision.changed_by == secretariat
    last = AuditEvent.objects.filter(action="indicators.computed.refresh").first()
    assert last.actor == secretariat
    assert last.changes == {"2024": [{"Oslo": 7, "Stockholm": 3}, {"Oslo": 8}]}


def test_a_refresh_that_finds_nothing_new_records_nothing(figures):
    figures[("oslo", 2024)] = 7
    services.refresh_computed(CODE)
    with unchanged():
        services.refresh_computed(CODE)
        services.refresh_computed(CODE, years=[2024])


def test_an_unknown_computed_indicator_is_refused(demo):
    with unchanged(), pytest.raises(InvalidInput) as refused:
        services.refresh_computed("no-such-computed")
    assert refused.value.field == "code"


def test_a_computed_indicators_figures_are_not_entered_or_imported(figures, secretariat, demo):
    figures[("oslo", 2024)] = 7
    indicator = services.refresh_computed(CODE)
    with unchanged(), pytest.raises(services.ComputedIndicator) as by_hand:
        services.record_observation(
            actor=secretariat,
            indicator=indicator,
            municipality=demo.oslo,
            period="2024",
            value=Decimal(9),
        )
    assert by_hand.value.field == "indicator" and "counted by the platform" in str(by_hand.value)
    rows = services.rows_from_csv("country,municipality_code,period,value\nNO,0301,2024,9\n")
    with unchanged(), pytest.raises(services.ComputedIndicator):
        services.commit_import(secretariat, indicator=indicator, rows=rows, format="csv")
    upload = SimpleUploadedFile("visits.csv", b"country,municipality_code,period,value\n")
    with unchanged(), pytest.raises(services.ComputedIndicator) as by_file:
        services.upload_import(secretariat, indicator=indicator, upload=upload)
    assert by_file.value.field == "file"


# --- the events' attendance --------------------------------------------------------------------


def figure(city: Municipality, year: int) -> Decimal:
    found = Observation.objects.filter(
        indicator__code=ATTENDED, municipality=city, period=str(year)
    ).first()
    return found.value if found else Decimal(0)


def staff_of(city: Municipality, n: int) -> list:
    users = people(n)
    for user in users:
        PersonFactory(user=user, municipality=city)
    return users


def test_attending_a_closed_event_changes_the_citys_figure_for_its_year(demo, secretariat):
    event = published_event(secretariat)
    came, stayed_home = staff_of(demo.stockholm, 2)
    registrations = [
        event_services.register(actor=person, event=event) for person in (came, stayed_home)
    ]
    event = move_to_past(event)
    year = event_selectors.attendance_year(event)
    before = figure(demo.stockholm, year)
    event_services.mark_attendance(
        actor=secretariat, event=event, attendance={registrations[0]: True}
    )
    assert figure(demo.stockholm, year) == before + 1
    event_services.close_event(actor=secretariat, event=event, report="We met.")
    assert figure(demo.stockholm, year) == before + 1
    refresh = AuditEvent.objects.filter(action="indicators.computed.refresh").first()
    assert refresh.actor == secretariat and str(year) in refresh.changes


def test_unmarking_or_cancelling_takes_the_attendance_out(demo, secretariat):
    event = published_event(secretariat)
    (person,) = staff_of(demo.oslo, 1)
    registration = event_services.register(actor=person, event=event)
    event = move_to_past(event, days_ago=-0.1)  # started, not over
    year = event_selectors.attendance_year(event)
    before = figure(demo.oslo, year)
    event_services.mark_attendance(actor=secretariat, event=event, attendance={registration: True})
    assert figure(demo.oslo, year) == before + 1
    event_services.mark_attendance(actor=secretariat, event=event, attendance={registration: False})
    assert figure(demo.oslo, year) == before
    event_services.mark_attendance(actor=secretariat, event=event, attendance={registration: True})
    event_services.cancel_event(actor=secretariat, event=event, reason="Storm.")
    assert figure(demo.oslo, year) == before


def test_a_full_refresh_rebuilds_the_demos_attendance_figures(demo):
    """This folder's tests start without the demo's indicators (see conftest): a refresh of
    every year defines the indicator again and counts the demo's past events."""
    assert not Indicator.objects.filter(code=ATTENDED).exists()
    indicator = services.refresh_computed(ATTENDED)
    assert indicator.kind == "output" and indicator.unit_type == "count"
    assert indicator.source == Indicator.Source.COMPUTED
    assert figure(demo.oslo, 2022) >= 5 and figure(demo.stockholm, 2020) >= 5


def test_the_attendance_indicator_is_on_the_indicators_pages(client, demo):
    services.refresh_computed(ATTENDED)
    listing = client.get("/indicators/")
    assert "Network events attended by city staff" in listing.content.decode()
    page = client.get(f"/indicators/{ATTENDED}/")
    assert page.status_code == 200
    assert "Computed by the platform" in page.content.decode()
    body = client.get(f"/api/v1/indicators/{ATTENDED}").json()
    assert body["source"] == "computed"
    observed = client.get(
        "/api/v1/indicators/observations", {"indicator": ATTENDED, "city": "oslo"}
    ).json()
    assert {o["period"] for o in observed["items"]} >= {"2022", "2024"}
