"""No CSV the product writes carries a live formula: each payload typed into every text field
that reaches a CSV comes out of each download (open data, the ZIP, the 360Giving API, the
plan's effect, the indicator pages and dashboards) behind a single quote, while the figures the
product computed stay numbers."""

import csv
import io
import zipfile
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.core.csvfiles import FORMULA_STARTS
from safecities.events.models import Event
from safecities.grants.models import Application, Programme
from safecities.indicators import services as indicators
from safecities.indicators.models import Indicator, Observation
from safecities.network.models import Municipality, Organisation
from safecities.opendata import registry
from safecities.plans import services as plans
from safecities.practices.models import Practice
from tests.core.test_csvfiles import PAYLOADS
from tests.indicators.conftest import make_indicator
from tests.plans.test_views_effect import goals, page_data  # noqa: F401 (fixtures)
from tests.utils import remove_demo_plans_and_indicators


def rows_of(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def is_number(cell: str) -> bool:
    try:
        return Decimal(cell).is_finite()
    except InvalidOperation:
        return False


def live_formulas(rows: list[list[str]]) -> list[str]:
    """The cells a spreadsheet would run: starting with a formula character, and no number."""
    return [c for row in rows for c in row if c.startswith(FORMULA_STARTS) and not is_number(c)]


@pytest.fixture
def poisoned(request, demo, award, coordinator, secretariat):
    """Every text field that reaches a CSV holds the payload; Oslo has the effect page's plan
    (`page_data`) in place of the demo's."""
    payload = request.param
    remove_demo_plans_and_indicators()
    plan = request.getfixturevalue("page_data")
    texts = {code: payload for code in ("en", "nb", "sv", "da", "fi", "is")}
    Practice.objects.update(title=payload, summary=payload)
    Organisation.objects.update(name=payload)
    Municipality.objects.update(name=payload, region=payload)
    Event.objects.update(title=texts, venue=payload)
    Goal.objects.update(name=texts, description=texts)
    Indicator.objects.update(name=texts)
    Application.objects.update(title=payload, summary=payload)
    Programme.objects.update(name=payload)
    Observation.objects.update(note=payload)
    # and through the services a person's typing goes through
    plans.add_measure(actor=coordinator, plan=plan, title=payload, goals=[Goal.objects.first()])
    indicators.record_observation(
        actor=coordinator,
        indicator=make_indicator(secretariat, code="trust-balance", unit_type="score"),
        municipality=demo.oslo,
        period="2023",
        value=Decimal("-3.5"),  # a figure a person entered: a number, written as one
        note=payload,
    )
    return payload, plan


def downloads(plan) -> dict[str, str]:
    urls = {
        f"{d.slug}/{f.filename}": reverse("opendata:download", args=[d.slug, f.filename])
        for d in registry.datasets()
        for f in d.files
        if f.tabular
    }
    return {
        **urls,
        "api 360giving": "/api/v1/grants/360giving.csv",
        "effect": reverse("plans:effect-csv", args=[plan.pk]),
        "ranking": reverse("indicators:detail-csv", args=["feel-safe"]),
        "comparison": reverse("indicators:detail-csv", args=["feel-safe"]) + "?table=comparison",
        "city dashboard": reverse("indicators:city-csv", args=["oslo"]),
        "network dashboard": reverse("indicators:network-csv"),
    }


@pytest.mark.parametrize("poisoned", PAYLOADS, indirect=True)
def test_no_download_carries_a_live_formula(client, poisoned):
    payload, plan = poisoned
    for name, url in downloads(plan).items():
        response = client.get(url)
        assert response.status_code == 200, name
        rows = rows_of(response.getvalue())
        assert len(rows) > 1, name
        assert live_formulas(rows) == [], name
        assert "'" + payload in {c for row in rows for c in row}, name


@pytest.mark.parametrize("poisoned", PAYLOADS[:2], indirect=True)
def test_the_zip_carries_no_live_formula(client, poisoned):
    payload, _plan = poisoned
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("opendata:zip")).getvalue()))
    tables = [name for name in archive.namelist() if name.endswith(".csv")]
    assert len(tables) == len([f for d in registry.datasets() for f in d.files if f.tabular])
    for name in tables:
        rows = rows_of(archive.read(name))
        assert live_formulas(rows) == [], name
        assert "'" + payload in {c for row in rows for c in row}, name


@pytest.mark.parametrize("poisoned", PAYLOADS[2:3], indirect=True)
def test_numbers_stay_numbers_and_read_back(client, poisoned):
    """The observations CSV writes the entered -3.5 as -3.5; the effect CSV its figures as
    numbers; and the observations' own import reads the file back."""
    payload, plan = poisoned
    body = client.get(reverse("opendata:download", args=["indicators", "observations.csv"]))
    rows = list(csv.DictReader(io.StringIO(body.getvalue().decode(), newline="")))
    entered = [r for r in rows if r["indicator"] == "trust-balance"]
    assert [(r["value"], r["note"]) for r in entered] == [("-3.5", "'" + payload)]
    effect = client.get(reverse("plans:effect-csv", args=[plan.pk])).getvalue()
    figures = {row[6] for row in rows_of(effect)[1:]} | {row[11] for row in rows_of(effect)[1:]}
    assert "60.5" in figures and "5.5" in figures
