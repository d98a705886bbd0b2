"""The effect page and its CSV: per charter goal and measure, each outcome's change against its
target, every figure through the small-number rule, and the CSV saying what the page says."""

import csv
import html
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.indicators import services as indicators
from safecities.plans import services
from tests.indicators.conftest import make_indicator
from tests.plans.factories import adopt, make_plan


@pytest.fixture
def goals(demo):
    return list(Goal.objects.order_by("position"))


@pytest.fixture
def page_data(demo, coordinator, secretariat, goals):
    """Oslo's adopted plan: lighting moves a share of pupils who feel safe (fine figures) and a
    count of hate crimes (a small count, "<5"); a youth measure moves a share resting on three
    pupils (withheld); posters name no outcome indicator at all."""
    plan = adopt(actor=coordinator, plan=make_plan(actor=coordinator, municipality=demo.oslo))
    oslo = demo.oslo
    safe = make_indicator(
        secretariat, code="feel-safe", unit_type="percentage", better="higher", source="ungdata"
    )
    crime = make_indicator(secretariat, code="hate-crime")  # a count, lower is better
    youth = make_indicator(secretariat, code="youth-trust", unit_type="percentage", better="higher")
    add = services.add_measure
    lighting = add(actor=coordinator, plan=plan, title="Better lighting", goals=[goals[0]])
    club = add(actor=coordinator, plan=plan, title="Youth club", goals=[goals[1]])
    add(actor=coordinator, plan=plan, title="Posters", goals=[goals[1]])
    for measure, indicator, direction in [
        (lighting, safe, "increase"),
        (lighting, crime, "decrease"),
        (club, youth, "increase"),
    ]:
        services.link_indicator(
            actor=coordinator,
            measure=measure,
            indicator=indicator,
            role="outcome",
            direction=direction,
        )
    record = indicators.record_observation
    record(actor=coordinator, indicator=safe, municipality=oslo, period="2022", value=D("60.5"))
    record(actor=coordinator, indicator=safe, municipality=oslo, period="2024", value=D("66"))
    record(actor=coordinator, indicator=crime, municipality=oslo, period="2022", value=D(12))
    record(actor=coordinator, indicator=crime, municipality=oslo, period="2024", value=D(3))
    record(
        actor=coordinator,
        indicator=youth,
        municipality=oslo,
        period="2024",
        value=D("37.5"),
        numerator=D(3),
        denominator=D(8),
    )
    for indicator, base in [(safe, "60.5"), (crime, "12")]:
        indicators.set_baseline(
            actor=coordinator, municipality=oslo, indicator=indicator, period="2022", value=D(base)
        )
    indicators.set_target(
        actor=coordinator, municipality=oslo, indicator=safe, period="2027", value=D(65)
    )
    return plan


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def test_the_effect_page_reads_each_outcome_per_goal_and_measure(client_for, demo, page_data):
    response = client_for(None).get(reverse("plans:effect", args=[page_data.pk]))
    page = response.getvalue().decode()

    assert response.status_code == 200
    assert "Better lighting" in page and "Youth club" in page
    assert reverse("indicators:detail", args=["feel-safe"]) in page
    assert "+5.5" in page  # 60.5 → 66: percentage points
    assert "Target met" in page
    assert "Moves the way the measure expects." in page
    # a measure without an outcome indicator is named plainly
    assert "Posters" in page
    assert "This measure names no outcome indicator: nothing shows whether it works." in page
    assert "Measures with no outcome indicator" in page
    assert "Outcome indicators with no baseline" in page  # the youth share


def test_small_numbers_are_shown_as_the_rule_allows_on_the_page_and_its_chart(
    client_for, demo, page_data
):
    page = client_for(None).get(reverse("plans:effect", args=[page_data.pk])).getvalue().decode()

    assert "&lt;5" in page  # 3 hate crimes in 2024
    assert "37.5" not in page  # a share resting on 3 pupils is withheld …
    assert "withheld" in page  # … and says so
    assert "Withheld: the figures rest on a small number." in page
    # the charts draw a hidden value as nothing and name it as the table does
    assert '<tr><th scope="row">2024</th><td class="sc-chart__number">&lt;5</td></tr>' in page
    assert "<title>2024: &lt;5</title>" not in page  # no point drawn for it


def test_the_csv_says_what_the_page_shows(client_for, demo, page_data):
    client = client_for(None)
    page = html.unescape(
        client.get(reverse("plans:effect", args=[page_data.pk])).getvalue().decode()
    )
    response = client.get(reverse("plans:effect-csv", args=[page_data.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = rows_of(response)
    by = {(r["measure"], r["indicator_code"]): r for r in rows}
    assert set(by) == {
        ("Better lighting", "feel-safe"),
        ("Better lighting", "hate-crime"),
        ("Youth club", "youth-trust"),
        ("Posters", ""),
    }
    crime = by[("Better lighting", "hate-crime")]
    assert (crime["baseline"], crime["latest"], crime["change"]) == ("12", "<5", "withheld")
    youth = by[("Youth club", "youth-trust")]
    assert youth["latest"] == "withheld" and youth["baseline"] == ""
    safe = by[("Better lighting", "feel-safe")]
    assert (safe["baseline"], safe["latest"], safe["target"], safe["change"]) == (
        "60.5",
        "66",
        "65",
        "5.5",  # a number as a number: the page's "+5.5" would be a formula in a spreadsheet
    )
    assert by[("Posters", "")]["note"].startswith("This measure names no outcome indicator")
    for row in rows:  # every figure and word of the CSV is on the page
        for column in ("goal", "measure", "indicator", "baseline", "latest", "target", "change"):
            assert row[column] in page, (column, row[column])
        assert row["reading"] in page and row["note"] in page
    assert "37.5" not in response.getvalue().decode()


def test_a_drafts_effect_page_and_csv_are_not_found_by_the_public(client_for, demo, coordinator):
    draft = make_plan(actor=coordinator, municipality=demo.oslo)
    client = client_for(None)
    assert client.get(reverse("plans:effect", args=[draft.pk])).status_code == 404
    assert client.get(reverse("plans:effect-csv", args=[draft.pk])).status_code == 404
    assert client_for(coordinator).get(reverse("plans:effect", args=[draft.pk])).status_code == 200


# The plan and its sections (read once: the logic model takes them from the plan), measures,
# goals and indicators (the logic model); the outcomes' baselines, targets and latest
# figures; their series for the charts; and the page's own.
QUERIES = 9


def test_the_effect_page_query_count_does_not_grow_with_measures(
    client_for, demo, coordinator, secretariat, goals, django_assert_num_queries
):
    plan = adopt(actor=coordinator, plan=make_plan(actor=coordinator, municipality=demo.oslo))

    def add(numbers):
        for n in numbers:
            indicator = make_indicator(secretariat, code=f"outcome-{n}")
            measure = services.add_measure(
                actor=coordinator, plan=plan, title=f"Measure {n}", goals=[goals[n % len(goals)]]
            )
            services.link_indicator(
                actor=coordinator,
                measure=measure,
                indicator=indicator,
                role="outcome",
                direction="decrease",
            )
            indicators.record_observation(
                actor=coordinator,
                indicator=indicator,
                municipality=demo.oslo,
                period="2024",
                value=D(9),
            )

    client = client_for(None)
    add(range(2))
    with django_assert_num_queries(QUERIES):
        small = client.get(reverse("plans:effect", args=[plan.pk])).getvalue().decode()
    add(range(2, 12))
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("plans:effect", args=[plan.pk]))
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert "Measure 11" in page and "Measure 11" not in small
    assert page.count('<figure class="sc-chart sc-chart--line">') == 12


def test_each_chart_sits_in_its_measures_section_before_its_table(client_for, demo, page_data):
    page = client_for(None).get(reverse("plans:effect", args=[page_data.pk])).getvalue().decode()
    sections = {}
    for part in page.split('<section class="sc-effect__measure"')[1:]:
        part = part.split("</section>")[0]
        title = part.split('<h3 class="ds-heading"')[1].split("</a>")[0].rsplit(">", 1)[1]
        sections[title] = part
    assert set(sections) == {"Better lighting", "Youth club", "Posters"}
    lighting = sections["Better lighting"]
    # Its two outcomes' charts (over time, against baseline and target), then its table.
    assert lighting.count('<figure class="sc-chart sc-chart--line">') == 2
    assert lighting.index("<figure") < lighting.index('<table class="ds-table sc-effect')
    assert "sc-chart__reference" in lighting  # the baseline (and target) as levels
    assert "Youth club" not in lighting and "<figure" not in sections["Posters"]
    assert "This measure names no outcome indicator" in sections["Posters"]
    assert "Outcome indicators at a glance" not in page  # no charts heaped after the tables


def test_the_effect_page_and_the_city_dashboard_word_progress_alike(
    client_for, demo, coordinator, page_data
):
    from safecities.indicators.models import Indicator
    from tests.indicators.test_views_pages import tables

    # The share of pupils who feel safe: 60.5 in 2022, 66 in 2024, aiming at 70 by 2027.
    indicators.set_target(
        actor=coordinator,
        municipality=demo.oslo,
        indicator=Indicator.objects.get(code="feel-safe"),
        period="2027",
        value=D(70),
    )
    for code in ("feel-safe", "hate-crime", "youth-trust"):  # a name each, to tell their rows apart
        Indicator.objects.filter(code=code).update(name={"en": f"Indicator {code}"})
    client = client_for(None)

    def against_target(response) -> dict[str, str]:
        """Each indicator's "Against the target" cell, from every table that has the column."""
        found = {}
        for rows in tables(response).values():
            if rows and "Against the target" in rows[0]:
                column = rows[0].index("Against the target")
                found.update({row[0]: row[column] for row in rows[1:]})
        return found

    effect = against_target(client.get(reverse("plans:effect", args=[page_data.pk])))
    city = against_target(client.get(reverse("indicators:city", args=["oslo"])))
    assert effect["Indicator feel-safe"] == city["Indicator feel-safe"] == "On track"
    assert effect["Indicator hate-crime"] == city["Indicator hate-crime"] == "Withheld"
    assert set(effect) == {"Indicator feel-safe", "Indicator hate-crime", "Indicator youth-trust"}
    for name, label in effect.items():
        assert city[name] == label, name
