"""A city's dashboard with its coordinators' forms, and the network's dashboard, through the
test client."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.indicators.models import Baseline, Observation, ObservationRevision, Target
from tests.indicators.conftest import make_indicator
from tests.indicators.test_views_pages import csv_rows, observe, tables
from tests.network.factories import MunicipalityFactory
from tests.utils import unchanged


def baseline(actor, indicator, city, period, value):
    from safecities.indicators import services

    return services.set_baseline(
        actor=actor, municipality=city, indicator=indicator, period=period, value=D(value)
    )


def target(actor, indicator, city, period, value):
    from safecities.indicators import services

    return services.set_target(
        actor=actor, municipality=city, indicator=indicator, period=period, value=D(value)
    )


@pytest.fixture
def oslo_figures(secretariat, coordinator, indicator, share_indicator, demo):
    """Oslo's hate crime counts 2021–2024 (baseline 2021: 40, target 2026: 25, latest 30: on
    track), its share who feel safe (2024 on a numerator of 3: withheld) and an output count
    under 5."""
    goals = list(Goal.objects.order_by("position"))
    indicator.goal = goals[0]
    indicator.save()
    share_indicator.goal = goals[1]
    share_indicator.save()
    meetings = make_indicator(
        secretariat,
        code="meetings",
        name={"en": "Dialogue meetings"},
        kind="output",
        better="higher",
        source="other",
        goal=goals[0],
    )
    for period, value in {"2021": 40, "2022": 36, "2023": 33, "2024": 30}.items():
        observe(coordinator, indicator, demo.oslo, period, value)
    baseline(coordinator, indicator, demo.oslo, "2021", 40)
    target(coordinator, indicator, demo.oslo, "2026", 25)
    observe(coordinator, share_indicator, demo.oslo, "2023", 70, numerator=700)
    observe(coordinator, share_indicator, demo.oslo, "2024", 60, numerator=3)
    observe(coordinator, meetings, demo.oslo, "2024", 2)
    return demo


# --- the city dashboard -------------------------------------------------------------------------


def test_the_city_dashboard_shows_outcomes_against_baseline_and_target_by_goal(
    client, oslo_figures, indicator, share_indicator
):
    response = client.get(reverse("indicators:city", args=["oslo"]))
    assert response.status_code == 200
    page = response.getvalue().decode()
    found = tables(response)
    first, second = found["summary-1"], found["summary-2"]
    assert first[0] == ["Indicator", "Kind", "Baseline", "Latest", "Target",
                        "Change since baseline", "Against the target"]  # fmt: skip
    assert first[1] == [
        "Hate crime reported to the police", "Outcome", "40 (2021)", "30 (2024)", "25 (2026)",
        "-10 (-25.0%)", "On track",
    ]  # fmt: skip
    assert first[2][:4] == ["Dialogue meetings", "Output", "–", "<5 (2024)"]
    assert second[1][:4] == [share_indicator.display_name, "Outcome", "–", "withheld (2024)"]
    goals = list(Goal.objects.order_by("position"))
    assert page.index(goals[0].display_name) < page.index(goals[1].display_name)
    # The charts say "<5" and "withheld", and draw nothing for them.
    assert "<title>2024: &lt;5</title>" not in page  # a missing point has no marker
    assert '<td class="sc-chart__number">&lt;5</td>' in page
    assert '<td class="sc-chart__number">withheld</td>' in page
    # No hidden figure in a table, a point or a reference line (the axis's own round numbers
    # may happen to be 60).
    for hidden in ("60", "2"):
        assert f">{hidden}</td>" not in page and f": {hidden}</title>" not in page
        assert f": {hidden}</text>" not in page


def test_the_city_csv_holds_what_the_dashboard_shows(client, oslo_figures, indicator):
    response = client.get(reverse("indicators:city", args=["oslo"]))
    rows = csv_rows(client.get(reverse("indicators:city-csv", args=["oslo"])))
    assert rows[0] == ["indicator", "name", "kind", "charter_goal", "what", "period", "value",
                       "status"]  # fmt: skip
    hate = [r[4:7] for r in rows[1:] if r[0] == indicator.code]
    assert hate == [
        ["baseline", "2021", "40"],
        ["observation", "2021", "40"],
        ["observation", "2022", "36"],
        ["observation", "2023", "33"],
        ["observation", "2024", "30"],
        ["target", "2026", "25"],
    ]
    assert ["observation", "2024", "<5"] in [r[4:7] for r in rows if r[0] == "meetings"]
    assert ["observation", "2024", "withheld"] in [
        r[4:7] for r in rows if r[0] == "youth-feel-safe"
    ]
    # Every figure of the CSV is in the page's tables.
    page_cells = {cell for table in tables(response).values() for row in table for cell in row}
    for row in rows[1:]:
        if row[4] == "observation":
            assert row[6] in page_cells


def test_a_city_without_figures_says_so(client, demo):
    response = client.get(reverse("indicators:city", args=["oslo"]))
    assert "has no figures on the network's indicators yet" in response.getvalue().decode()
    assert client.get(reverse("indicators:city", args=["no-such-city"])).status_code == 404


def test_the_coordinator_is_offered_the_forms_and_others_are_not(
    client_for, oslo_figures, coordinator, stockholm_coordinator, member
):
    url = reverse("indicators:city", args=["oslo"])
    form = reverse("indicators:city-observation", args=["oslo"])
    assert form in client_for(coordinator).get(url).getvalue().decode()
    for user in (stockholm_coordinator, member, None):
        assert form not in client_for(user).get(url).getvalue().decode()


def test_the_dashboard_reads_in_the_same_queries_for_few_or_many_figures(
    client, secretariat, coordinator, demo, django_assert_max_num_queries
):
    url = reverse("indicators:city", args=["oslo"])
    one = make_indicator(secretariat, code="one")
    observe(coordinator, one, demo.oslo, "2024", 10)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(6):
        more = make_indicator(secretariat, code=f"more-{n}", kind="outcome" if n % 2 else "output")
        for year in range(2010, 2022):
            observe(coordinator, more, demo.oslo, str(year), year - 2000 + n)
        baseline(coordinator, more, demo.oslo, "2010", 10 + n)
        target(coordinator, more, demo.oslo, "2025", 40)
        target(coordinator, more, demo.oslo, "2030", 50)
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(url)


# --- recording figures, baselines and targets --------------------------------------------------


def test_the_coordinator_records_a_figure_and_an_update_says_what_it_replaced(
    client_for, coordinator, indicator, demo
):
    c = client_for(coordinator)
    url = reverse("indicators:city-observation", args=["oslo"])
    data = {
        "indicator": indicator.code,
        "period": "2024",
        "value": "12",
        "numerator": "12",
        "denominator": "700000",
        "sample_size": "",
        "ci_low": "10",
        "ci_high": "14",
        "status": "final",
        "note": "From the police district's annual report.",
        "source_url": "https://example.org/report-2024",
    }
    response = c.post(url, data, follow=True)
    assert "The figure for 2024 is recorded." in response.getvalue().decode()
    o = Observation.objects.get(indicator=indicator, municipality=demo.oslo, period="2024")
    assert (o.value, o.ci_low, o.ci_high, o.status) == (D(12), D(10), D(14), "final")
    assert o.source_url == "https://example.org/report-2024" and o.entered_by == coordinator

    response = c.post(url, {**data, "value": "15", "numerator": "15"}, follow=True)
    page = response.getvalue().decode()
    assert "The figure for 2024 is updated. It replaced 12, which is kept in its history." in page
    o.refresh_from_db()
    assert o.value == D(15)
    assert list(
        ObservationRevision.objects.filter(observation=o).values_list("value", flat=True)
    ) == [D(12)]
    response = c.post(url, {**data, "value": "15", "numerator": "15"}, follow=True)
    assert "nothing changed" in response.getvalue().decode()


def test_replacing_a_small_count_does_not_reveal_it(client_for, coordinator, indicator, demo):
    c = client_for(coordinator)
    url = reverse("indicators:city-observation", args=["oslo"])
    data = {"indicator": indicator.code, "period": "2024", "value": "3", "status": "final"}
    c.post(url, data)
    response = c.post(url, {**data, "value": "9"}, follow=True)
    assert "It replaced &lt;5" in response.getvalue().decode()


@pytest.mark.parametrize(
    "change, label, message",
    [
        ({"period": "2024-Q3"}, None, "is not a period of type"),
        ({"value": "abc"}, "Value", "Enter a number"),
        ({"indicator": "no-such"}, "Indicator", "valid choice"),
        ({"ci_low": "20", "ci_high": "10"}, None, "high end is below its low end"),
        ({"source_url": "not a url"}, "Source address", "Enter a valid URL"),
        ({"status": "guess"}, "Status", "valid choice"),
    ],
)
def test_bad_figures_are_refused_naming_the_field_and_change_nothing(
    client_for, coordinator, share_indicator, change, label, message
):
    data = {"indicator": share_indicator.code, "period": "2024", "value": "50", "status": "final"}
    with unchanged():
        response = client_for(coordinator).post(
            reverse("indicators:city-observation", args=["oslo"]), {**data, **change}
        )
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert message in page
    field = label or {"period": "Period", "ci_low": "Confidence interval, high"}[next(iter(change))]
    assert f"{field}: " in page


def test_a_percentage_over_100_is_refused_on_its_value(client_for, coordinator, share_indicator):
    data = {"indicator": share_indicator.code, "period": "2024", "value": "150", "status": "final"}
    with unchanged():
        response = client_for(coordinator).post(
            reverse("indicators:city-observation", args=["oslo"]), data
        )
    assert "Value: A percentage lies between 0 and 100." in response.getvalue().decode()


def test_a_coordinator_of_another_city_is_refused(client_for, stockholm_coordinator, indicator):
    data = {"indicator": indicator.code, "period": "2024", "value": "5", "status": "final"}
    c = client_for(stockholm_coordinator)
    with unchanged():
        for name in ("indicators:city-observation", "indicators:city-baseline",
                     "indicators:city-target"):  # fmt: skip
            assert c.get(reverse(name, args=["oslo"])).status_code == 403
            assert c.post(reverse(name, args=["oslo"]), data).status_code == 403
    assert (
        client_for(None)
        .post(reverse("indicators:city-baseline", args=["oslo"]), data)["Location"]
        .startswith("/accounts/login/")
    )


def test_the_coordinator_sets_a_baseline_and_targets(client_for, coordinator, indicator, demo):
    c = client_for(coordinator)
    data = {"indicator": indicator.code, "period": "2020", "value": "40", "note": "Before."}
    response = c.post(reverse("indicators:city-baseline", args=["oslo"]), data, follow=True)
    assert "The baseline is set to 2020." in response.getvalue().decode()
    c.post(reverse("indicators:city-baseline", args=["oslo"]), {**data, "period": "2021"})
    [b] = Baseline.objects.filter(indicator=indicator, municipality=demo.oslo)
    assert (b.period, b.value) == ("2021", D(40))  # setting it again moves it
    target_url = reverse("indicators:city-target", args=["oslo"])
    c.post(target_url, {**data, "period": "2026", "value": "20"})
    response = c.post(target_url, {**data, "period": "2030", "value": "10"}, follow=True)
    assert "The target for 2030 is set." in response.getvalue().decode()
    assert list(
        Target.objects.filter(indicator=indicator, municipality=demo.oslo).values_list(
            "period", "value"
        )
    ) == [("2026", D(20)), ("2030", D(10))]
    # With no figure yet, the dashboard shows the last target.
    assert tables(response)["summary-1"][1][4] == "10 (2030)"


def test_a_bad_baseline_names_its_field(client_for, coordinator, indicator):
    c = client_for(coordinator)
    with unchanged():
        response = c.post(
            reverse("indicators:city-baseline", args=["oslo"]),
            {"indicator": indicator.code, "period": "last year", "value": "40"},
        )
    assert "Period: &quot;last year&quot; is not a period of type" in response.getvalue().decode()
    with unchanged():
        response = c.post(
            reverse("indicators:city-target", args=["oslo"]),
            {"indicator": indicator.code, "period": "2026", "value": ""},
        )
    assert "Value: This field is required." in response.getvalue().decode()


def test_the_form_starts_on_the_indicator_it_was_opened_for(client_for, coordinator, indicator):
    url = reverse("indicators:city-observation", args=["oslo"])
    page = client_for(coordinator).get(url, {"indicator": indicator.code}).getvalue().decode()
    assert f'<option value="{indicator.code}" selected>' in page


# --- the network dashboard ----------------------------------------------------------------------


def test_the_network_dashboard_counts_reporting_cities_and_who_is_on_track(
    client, oslo_figures, coordinator, stockholm_coordinator, indicator
):
    demo = oslo_figures
    for period, value in {"2021": 50, "2024": 55}.items():
        observe(stockholm_coordinator, indicator, demo.stockholm, period, value)
    baseline(stockholm_coordinator, indicator, demo.stockholm, "2021", 50)
    target(stockholm_coordinator, indicator, demo.stockholm, "2026", 20)
    observe(coordinator, indicator, demo.drammen, "2024", 4)

    response = client.get(reverse("indicators:network"))
    found = tables(response)
    overview = {row[0]: row[1:] for row in found["overview"][1:]}
    assert overview[indicator.display_name] == ["Outcome", "3", "2024", "1", "1", "1"]
    ranking = found[f"ranking-table-{indicator.code}"]
    assert [row[1:] for row in ranking[1:]] == [
        ["Oslo", "2024", "30"],
        ["Stockholm", "2024", "55"],
        ["Drammen", "2024", "<5"],
    ]
    rows = csv_rows(client.get(reverse("indicators:network-csv")))
    assert rows[0][:6] == ["indicator", "cities_reporting", "latest_period", "on_track",
                           "not_on_track", "untracked"]  # fmt: skip
    mine = [r for r in rows[1:] if r[0] == indicator.code]
    assert [r[1:6] for r in mine] == [["3", "2024", "1", "1", "1"]] * 3
    assert [r[6:] for r in mine] == [[p.replace("–", ""), *rest] for p, *rest in ranking[1:]]


def test_a_long_ranking_shows_its_best_and_worst_five(client, secretariat, demo):
    indicator = make_indicator(secretariat, code="long")
    cities = MunicipalityFactory.create_batch(12, country=demo.oslo.country)
    for n, city in enumerate(cities):
        observe(secretariat, indicator, city, "2024", 10 + n)  # lower is better
    response = client.get(reverse("indicators:network"))
    ranking = tables(response)["ranking-table-long"]
    positions = [row[0] for row in ranking[1:]]
    assert positions == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "… of 12 cities in all",
        "8",
        "9",
        "10",
        "11",
        "12",
    ]
    rows = csv_rows(client.get(reverse("indicators:network-csv")))
    assert [r[6] for r in rows[1:] if r[0] == "long"] == ["1", "2", "3", "4", "5", "8", "9",
                                                          "10", "11", "12"]  # fmt: skip


def test_the_network_dashboard_reads_in_fixed_queries(
    client, secretariat, coordinator, demo, django_assert_max_num_queries
):
    for n in range(5):
        ind = make_indicator(secretariat, code=f"net-{n}")
        for city in (demo.oslo, demo.drammen):
            for year in ("2022", "2023", "2024"):
                observe(coordinator, ind, city, year, 10 + n)
            baseline(coordinator, ind, city, "2022", 12)
            target(coordinator, ind, city, "2026", 5)
    with django_assert_max_num_queries(7):
        client.get(reverse("indicators:network"))


def test_the_network_dashboard_without_indicators(client, demo):
    response = client.get(reverse("indicators:network"))
    assert "No indicators are defined yet." in response.getvalue().decode()
