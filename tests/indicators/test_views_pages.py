"""The indicator list, an indicator's page with its CSV, and the secretariat's forms to define
and edit indicators, through the test client."""

import csv
import io
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.indicators import services
from safecities.indicators.models import Indicator
from tests.indicators.conftest import make_indicator
from tests.utils import unchanged


class _Tables(HTMLParser):
    """The text of each cell of each table, by the table's id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._stack: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append(dict(attrs).get("id") or f"table-{len(self.tables)}")
            self.tables[self._stack[-1]] = []
        elif tag == "tr" and self._stack:
            self.tables[self._stack[-1]].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self._stack.pop()
        elif tag in ("td", "th") and self._cell is not None and self._stack:
            self.tables[self._stack[-1]][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.getvalue().decode())
    return parser.tables


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def observe(actor, indicator, city, period, value, **extra):
    return services.record_observation(
        actor=actor, indicator=indicator, municipality=city, period=period, value=D(value), **extra
    )


DEFINITION = {
    "code": "youth-trust",
    "kind": "outcome",
    "unit_type": "percentage",
    "better": "higher",
    "period_type": "year",
    "source": "ungdata",
    "source_name": "Ungdata 2024",
    "licence": "CC BY 4.0",
    "name_en": "Young people who trust the police",
    "name_nb": "Unge som stoler på politiet",
    "description_en": "Share of pupils who trust the police.",
    "numerator_description_en": "Pupils answering they trust the police",
    "denominator_description_en": "Pupils who answered",
    "interpretation_en": "Trust moves slowly; read it over several years.",
    "comparability_breaks_en": "The question was reworded in 2021.",
}


# --- the list -----------------------------------------------------------------------------------


def test_the_list_is_public_and_filters_by_kind_goal_source_and_search(client, secretariat):
    goal = Goal.objects.order_by("position").first()
    make_indicator(secretariat, goal=goal)
    make_indicator(
        secretariat,
        code="meetings",
        name={"en": "Dialogue meetings", "nb": "Dialogmøter"},
        kind="output",
        source="other",
    )
    url = reverse("indicators:list")
    names = lambda r: [row[0] for row in tables(r)["indicators"][1:]]  # noqa: E731

    assert names(client.get(url)) == ["Hate crime reported to the police", "Dialogue meetings"]
    assert names(client.get(url, {"kind": "output"})) == ["Dialogue meetings"]
    assert names(client.get(url, {"goal": goal.code})) == ["Hate crime reported to the police"]
    assert names(client.get(url, {"source": "police"})) == ["Hate crime reported to the police"]
    assert names(client.get(url, {"q": "MEETINGS"})) == ["Dialogue meetings"]
    assert names(client.get(url, {"q": "dialogmøter"})) == ["Dialogue meetings"]  # Norwegian
    assert names(client.get(url, {"sort": "name"})) == [
        "Dialogue meetings",
        "Hate crime reported to the police",
    ]
    # An unknown goal or sort is left out rather than failing.
    assert len(names(client.get(url, {"goal": "nope", "sort": "nope"}))) == 2


def test_the_list_says_when_nothing_matches_and_when_nothing_is_defined(client, demo):
    response = client.get(reverse("indicators:list"))
    assert "No indicators are defined yet." in response.getvalue().decode()
    response = client.get(reverse("indicators:list"), {"q": "zzz"})
    assert "No indicators match." in response.getvalue().decode()


def test_the_list_pages_by_25(client, secretariat):
    for n in range(27):
        make_indicator(secretariat, code=f"ind-{n:02d}")
    first = tables(client.get(reverse("indicators:list")))["indicators"]
    second = client.get(reverse("indicators:list"), {"page": 2})
    assert len(first) == 26 and len(tables(second)["indicators"]) == 3
    assert "Page 2 of 2" in second.getvalue().decode()


def test_only_the_secretariat_is_offered_a_new_indicator(client_for, secretariat, coordinator):
    new = reverse("indicators:create")
    assert new in client_for(secretariat).get(reverse("indicators:list")).getvalue().decode()
    assert new not in client_for(coordinator).get(reverse("indicators:list")).getvalue().decode()


# --- defining and editing -----------------------------------------------------------------------


def test_the_secretariat_defines_an_indicator_with_every_field(client_for, secretariat):
    goal = Goal.objects.order_by("position").first()
    response = client_for(secretariat).post(
        reverse("indicators:create"), {**DEFINITION, "goal": goal.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:detail", args=["youth-trust"])
    indicator = Indicator.objects.get(code="youth-trust")
    assert indicator.name == {"en": "Young people who trust the police",
                              "nb": "Unge som stoler på politiet"}  # fmt: skip
    assert indicator.numerator_description == {"en": "Pupils answering they trust the police"}
    assert indicator.denominator_description == {"en": "Pupils who answered"}
    assert indicator.interpretation == {"en": "Trust moves slowly; read it over several years."}
    assert indicator.comparability_breaks == {"en": "The question was reworded in 2021."}
    assert (indicator.goal, indicator.licence, indicator.source_name) == (
        goal,
        "CC BY 4.0",
        "Ungdata 2024",
    )
    page = client_for(None).get(response["Location"]).getvalue().decode()
    for text in ("CC BY 4.0", "Pupils who answered", "reworded in 2021", "Ungdata 2024"):
        assert text in page


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"code": "hate-crime-reports"}, "Code", "exists"),
        ({"name_en": ""}, "Name in English", "required"),
        ({"kind": "impact"}, "Kind", "valid choice"),
        ({"code": "two words"}, "Code", "valid"),
    ],
)
def test_bad_definitions_name_the_field_and_change_nothing(
    client_for, secretariat, indicator, change, field, message
):
    with unchanged():
        response = client_for(secretariat).post(
            reverse("indicators:create"), {**DEFINITION, **change}
        )
    assert response.status_code == 200
    summary = response.getvalue().decode()
    assert f"{field}: " in summary and message in summary


def test_others_cannot_define_or_edit_indicators(client_for, indicator, coordinator, member):
    for user in (coordinator, member):
        with unchanged():
            assert (
                client_for(user).post(reverse("indicators:create"), DEFINITION).status_code == 403
            )
            edit = reverse("indicators:edit", args=[indicator.code])
            assert client_for(user).post(edit, DEFINITION).status_code == 403
    response = client_for(None).get(reverse("indicators:create"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_secretariat_edits_a_definition_and_keeps_its_code(client_for, secretariat, indicator):
    edit = reverse("indicators:edit", args=[indicator.code])
    form = client_for(secretariat).get(edit)
    assert 'value="Hate crime reported to the police"' in form.getvalue().decode()
    assert 'name="code"' not in form.getvalue().decode()
    response = client_for(secretariat).post(
        edit,
        {
            **{k: v for k, v in DEFINITION.items() if k != "code"},
            "unit_type": "count",
            "better": "lower",
            "name_en": "Hate crime, reported",
            "licence": "NLOD 2.0",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.code, indicator.display_name, indicator.licence) == (
        "hate-crime-reports",
        "Hate crime, reported",
        "NLOD 2.0",
    )


def test_the_period_type_cannot_change_once_there_are_figures(
    client_for, secretariat, coordinator, indicator, demo
):
    observe(coordinator, indicator, demo.oslo, "2024", 12)
    edit = reverse("indicators:edit", args=[indicator.code])
    data = {**DEFINITION, "unit_type": "count", "better": "lower", "period_type": "quarter"}
    with unchanged():
        response = client_for(secretariat).post(edit, data)
    assert response.status_code == 200
    assert "Period type: The indicator has observations" in response.getvalue().decode()
    indicator.refresh_from_db()
    assert indicator.period_type == "year" and indicator.display_name.startswith("Hate crime")


# --- an indicator's page ------------------------------------------------------------------------


@pytest.fixture
def figures(secretariat, coordinator, stockholm_coordinator, indicator, share_indicator, demo):
    """Oslo, Drammen and Stockholm's hate crime counts and shares who feel safe; Drammen's 2024
    count is 3 (under 5) and Stockholm's 2024 share rests on a numerator of 2."""
    for city, actor, counts in (
        (demo.oslo, coordinator, {"2022": 40, "2023": 35, "2024": 30}),
        (demo.drammen, coordinator, {"2022": 9, "2023": 7, "2024": 3}),
        (demo.stockholm, stockholm_coordinator, {"2023": 80, "2024": 70}),
    ):
        for period, value in counts.items():
            observe(actor, indicator, city, period, value)
    observe(coordinator, share_indicator, demo.oslo, "2024", "71.5", numerator=715)
    observe(stockholm_coordinator, share_indicator, demo.stockholm, "2024", 40, numerator=2)
    return demo


def test_the_page_ranks_the_cities_and_hides_a_small_count_everywhere(client, figures, indicator):
    url = reverse("indicators:detail", args=[indicator.code])
    response = client.get(url)
    page = response.getvalue().decode()
    ranking = tables(response)["ranking"]
    assert [row[:4] for row in ranking[1:]] == [
        ["1", "Oslo", "2024", "30"],
        ["2", "Stockholm", "2024", "70"],
        ["–", "Drammen", "2024", "<5"],  # suppressed: no place, listed last
    ]
    assert "<title>Drammen: &lt;5</title>" in page  # the chart says "<5" and draws nothing
    assert ">3<" not in page
    # The comparison over time: periods down, cities across; Drammen's 2024 is "<5".
    comparison = [t for name, t in tables(response).items() if name.startswith("table-")][-1]
    assert comparison[0] == ["Period", "Oslo", "Stockholm", "Drammen"]
    assert comparison[1:] == [
        ["2022", "40", "–", "9"],
        ["2023", "35", "80", "7"],
        ["2024", "30", "70", "<5"],
    ]
    # The CSVs hold what the page shows.
    assert csv_rows(client.get(reverse("indicators:detail-csv", args=[indicator.code]))) == [
        ["indicator", "position", "municipality", "period", "value", "status"],
        *[[indicator.code, r[0].replace("–", ""), r[1], r[2], r[3], "provisional"]
          for r in ranking[1:]],
    ]  # fmt: skip
    compared = csv_rows(
        client.get(reverse("indicators:detail-csv", args=[indicator.code]), {"table": "comparison"})
    )
    by_cell = {(row[1], row[2]): row[3] for row in compared[1:]}
    assert by_cell == {
        (city, period): value
        for period, *values in comparison[1:]
        for city, value in zip(comparison[0][1:], values, strict=True)
        if value != "–"
    }


def test_a_rate_on_a_small_numerator_is_withheld_on_page_chart_and_csv(
    client, figures, share_indicator
):
    url = reverse("indicators:detail", args=[share_indicator.code])
    response = client.get(url)
    page = response.getvalue().decode()
    ranking = tables(response)["ranking"]
    assert [row[1:4] for row in ranking[1:]] == [
        ["Oslo", "2024", "71.5"],
        ["Stockholm", "2024", "withheld"],
    ]
    assert "<title>Stockholm: withheld</title>" in page
    assert ">40<" not in page and "Stockholm 2024: 40" not in page
    # What the share is built on: the numerator as a count ("<5" when small).
    assert ranking[0][4:6] == ["Numerator", "Denominator"]
    assert [row[4] for row in ranking[1:]] == ["715", "<5"]
    rows = csv_rows(client.get(reverse("indicators:detail-csv", args=[share_indicator.code])))
    assert rows[0][-2:] == ["numerator", "denominator"]
    assert rows[2][2:5] == ["Stockholm", "2024", "withheld"] and rows[2][6] == "<5"
    assert [r[1:] for r in rows[1:]] == [
        [r[0].replace("–", ""), r[1], r[2], r[3], "provisional", r[4],
         r[5].replace("–", "")]
        for r in ranking[1:]
    ]  # fmt: skip


def test_the_page_filters_cities_periods_and_the_rankings_period(client, figures, indicator):
    url = reverse("indicators:detail", args=[indicator.code])
    response = client.get(
        url, {"cities": ["stockholm", "drammen"], "first": "2023", "last": "2023", "period": "2022"}
    )
    found = tables(response)
    comparison = [t for name, t in found.items() if name.startswith("table-")][-1]
    assert comparison == [["Period", "Drammen", "Stockholm"], ["2023", "7", "80"]]  # by name
    assert [row[1:4] for row in found["ranking"][1:]] == [
        ["Drammen", "2022", "9"],
        ["Oslo", "2022", "40"],
    ]
    assert "Ranking in 2022" in response.getvalue().decode()
    csv_url = reverse("indicators:detail-csv", args=[indicator.code])
    rows = csv_rows(client.get(csv_url, {"period": "2022", "table": "ranking"}))
    assert [r[2:5] for r in rows[1:]] == [["Drammen", "2022", "9"], ["Oslo", "2022", "40"]]


def test_an_indicator_without_figures_says_so_and_an_unknown_code_is_404(client, indicator):
    response = client.get(reverse("indicators:detail", args=[indicator.code]))
    assert response.status_code == 200
    assert "No city has a figure yet." in response.getvalue().decode()
    assert client.get(reverse("indicators:detail", args=["no-such"])).status_code == 404


def test_the_page_reads_in_fixed_queries(client, figures, indicator, django_assert_num_queries):
    # the indicator, its cities (for the filter), its periods, the ranking, the comparison
    with django_assert_num_queries(5):
        client.get(reverse("indicators:detail", args=[indicator.code]))


def test_a_long_rankings_chart_shows_the_best_and_worst_ten_and_the_table_all(
    client, secretariat, indicator, demo
):
    from tests.network.factories import MunicipalityFactory

    for n, city in enumerate(MunicipalityFactory.create_batch(25, country=demo.oslo.country)):
        observe(secretariat, indicator, city, "2024", 100 + n)
    response = client.get(reverse("indicators:detail", args=[indicator.code]))
    page = response.getvalue().decode()
    assert len(tables(response)["ranking"]) == 26
    assert page.count('class="sc-chart__bar"') == 20
    assert "<title>Testby" in page and "the best and the worst 10" in page
    bars = page.split('class="sc-chart__svg')[-1]
    assert ": 110</title>" not in bars and ": 109</title>" in bars and ": 115</title>" in bars


def test_a_long_rankings_table_is_paged_in_the_same_queries(
    client, secretariat, indicator, demo, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safecities.indicators.views import pages
    from tests.network.factories import MunicipalityFactory

    monkeypatch.setattr(pages, "RANKING_PER_PAGE", 10)
    url = reverse("indicators:detail", args=[indicator.code])

    def observe_cities(n: int, start: int) -> None:
        for k, city in enumerate(MunicipalityFactory.create_batch(n, country=demo.oslo.country)):
            observe(secretariat, indicator, city, "2024", 100 + start + k)

    def queries(**params) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        return len(captured.captured_queries), response

    observe_cities(12, 0)
    few, _response = queries()
    observe_cities(14, 12)  # 26 cities in all: three pages
    many, first = queries()
    assert few == many
    assert [row[0] for row in tables(first)["ranking"][1:]] == [str(n) for n in range(1, 11)]
    page = first.getvalue().decode()
    assert "Page 1 of 3" in page and "26 results" in page
    assert "ranking_page=2#ranking-figure" in page
    assert page.count('class="sc-chart__bar"') == 20  # the chart: the best and worst ten

    count, last = queries(ranking_page=3)
    assert count == many
    assert [row[0] for row in tables(last)["ranking"][1:]] == [str(n) for n in range(21, 27)]
    # the other filters stay on the pages' links, and the CSV still holds every city
    _count, filtered = queries(period="2024", ranking_page=2)
    assert "period=2024&amp;ranking_page=3#ranking-figure" in filtered.getvalue().decode()
    rows = csv_rows(client.get(reverse("indicators:detail-csv", args=[indicator.code])))
    assert len(rows) == 27


def test_the_rankings_and_comparisons_rows_escape_what_cities_are_named(
    client, secretariat, indicator, demo
):
    """The rows written in Python (not by the template) escape a name as the template did."""
    from tests.network.factories import MunicipalityFactory

    odd = MunicipalityFactory(name="Ås <b>& Co</b>", country=demo.oslo.country)
    observe(secretariat, indicator, odd, "2024", "100")
    observe(secretariat, indicator, odd, "2023", "2")  # small: "<5"
    response = client.get(reverse("indicators:detail", args=[indicator.code]))
    page = response.getvalue().decode()
    assert "<b>& Co</b>" not in page
    assert "Ås &lt;b&gt;&amp; Co&lt;/b&gt;</a></th>" in page
    found = tables(response)
    assert found["ranking"][1][:4] == ["1", "Ås <b>& Co</b>", "2024", "100"]
    link = reverse("indicators:city", args=[odd.slug])
    assert f'<a class="ds-link" href="{link}">' in page
    comparison = [t for name, t in found.items() if name.startswith("table-")][-1]
    assert comparison == [["Period", "Ås <b>& Co</b>"], ["2023", "<5"], ["2024", "100"]]
    assert ">&lt;5</td>" in page
