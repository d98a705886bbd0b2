"""Charts: SVG drawn to scale and escaped, always with a table of the same figures."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string

from safecities.core.charts import WIDTH, Chart, Row

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg()))


def shapes(root: ET.Element, part: str) -> list[ET.Element]:
    """The rects drawn for rows (not legend swatches, which have no tooltip)."""
    return [
        rect
        for rect in root.iter(f"{SVG}rect")
        if f"sc-chart__{part}" in rect.get("class", "").split()
        and rect.find(f"{SVG}title") is not None
    ]


def by_city() -> Chart:
    return Chart(
        title="Awards by city",
        rows=[
            Row("Oslo", Decimal("1200000"), "NOK 1 200 000"),
            Row("Bergen", Decimal("600000"), "NOK 600 000"),
            Row("Tromsø", 300000, "NOK 300 000"),
        ],
        label_header="City",
        value_header="Awarded",
    )


class Table(HTMLParser):
    """The cells of the one table in a piece of HTML, row by row, with each cell's tag and scope."""

    def __init__(self, markup: str):
        super().__init__()
        self.rows: list[list[tuple[str, str | None, str]]] = []
        self.cell: tuple[str, str | None] | None = None
        self.text = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell, self.text = (tag, dict(attrs).get("scope")), ""

    def handle_data(self, data):
        if self.cell:
            self.text += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell:
            self.rows[-1].append((*self.cell, self.text.strip()))
            self.cell = None


def test_bars_are_as_long_as_their_share_of_the_largest():
    root = parse(by_city())
    widths = [Decimal(rect.get("width")) for rect in shapes(root, "bar")]
    assert widths == [WIDTH, WIDTH / 2, WIDTH / 4]
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "Oslo" in texts
    assert "NOK 1 200 000" in texts


def test_columns_are_as_tall_as_their_share_of_the_largest_and_stand_on_one_axis():
    chart = Chart(
        title="By year", rows=[Row("2023", 10), Row("2024", 40), Row("2025", 20)], kind="columns"
    )
    columns = shapes(parse(chart), "column")
    heights = [Decimal(rect.get("height")) for rect in columns]
    assert heights[1] == 4 * heights[0] == 2 * heights[2]
    bottoms = {Decimal(rect.get("y")) + Decimal(rect.get("height")) for rect in columns}
    assert len(bottoms) == 1
    xs = [Decimal(rect.get("x")) for rect in columns]
    assert xs == sorted(xs)


def test_stack_segments_fill_the_whole_width_in_order():
    chart = Chart(
        title="Budget",
        kind="stack",
        rows=[
            Row("Awarded and paid", Decimal("333.33"), "NOK 333.33", "paid"),
            Row("Awarded, not paid", Decimal("333.33"), "NOK 333.33", "awarded"),
            Row("Remaining", Decimal("333.34"), "NOK 333.34", "remaining"),
        ],
        total_display="NOK 1 000",
    )
    segments = shapes(parse(chart), "seg")
    assert [s.get("class").split()[-1] for s in segments] == [
        "sc-chart__seg--paid",
        "sc-chart__seg--awarded",
        "sc-chart__seg--remaining",
    ]
    assert sum(Decimal(s.get("width")) for s in segments) == WIDTH
    for before, after in zip(segments, segments[1:], strict=False):
        assert Decimal(before.get("x")) + Decimal(before.get("width")) == Decimal(after.get("x"))


def test_all_zero_and_negative_values_draw_empty_bars_without_dividing_by_zero():
    for kind in ("bars", "columns", "stack"):
        chart = Chart(title="Nothing yet", rows=[Row("A", 0), Row("B", -5)], kind=kind)
        root = parse(chart)
        sizes = [Decimal(r.get(a)) for r in root.iter(f"{SVG}rect") for a in ("width", "height")]
        assert min(sizes) >= 0
        part = {"bars": "bar", "columns": "column", "stack": "seg"}[kind]
        size = "height" if kind == "columns" else "width"
        assert {rect.get(size) for rect in shapes(root, part)} == {"0"}


def test_user_labels_and_titles_are_escaped():
    attack = '<script>alert(1)</script>"&'
    chart = Chart(title=attack, rows=[Row(attack, 1, attack)])
    svg = str(chart.svg())
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)  # still well-formed
    html = render_to_string("core/includes/chart.html", {"chart": chart})
    assert "<script>" not in html


@pytest.mark.parametrize("kind", ["bars", "columns", "stack"])
def test_svg_is_well_formed_xml_named_by_its_title_and_description(kind):
    chart = by_city()
    chart.kind = kind
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 400 ")
    ids = {element.get("id"): element for element in root if element.get("id")}
    title_id, desc_id = root.get("aria-labelledby").split()
    assert ids[title_id].tag == f"{SVG}title"
    assert ids[title_id].text == "Awards by city"
    assert ids[desc_id].tag == f"{SVG}desc"


def test_long_labels_are_shortened_in_the_picture_but_whole_in_the_table():
    label = "Kommunen med et svært langt navn som ikke får plass i tegningen " * 2
    chart = Chart(title="Long", rows=[Row(label, 5, "5")])
    texts = [text.text for text in parse(chart).iter(f"{SVG}text")]
    assert any(text.endswith("…") and len(text) < len(label) for text in texts)
    assert label.strip() in render_to_string("core/includes/chart.html", {"chart": chart})


def test_empty_chart_shows_its_empty_text_and_no_picture_or_table():
    chart = Chart(title="Awards by city", rows=[], empty="No awards yet.")
    assert chart.svg() == ""
    html = render_to_string("core/includes/chart.html", {"chart": chart})
    assert "No awards yet." in html
    assert "<svg" not in html
    assert "<table" not in html
    default = render_to_string("core/includes/chart.html", {"chart": Chart(title="T", rows=[])})
    assert "No data yet." in default


def test_include_lists_the_same_rows_in_a_table_with_headers():
    chart = by_city()
    html = render_to_string("core/includes/chart.html", {"chart": chart})
    assert '<figure class="sc-chart sc-chart--bars">' in html
    assert "<figcaption" in html
    assert "<svg" in html
    rows = Table(html).rows
    assert rows[0] == [("th", "col", "City"), ("th", "col", "Awarded")]
    assert rows[1:] == [[("th", "row", row.label), ("td", None, row.display)] for row in chart.rows]


def test_include_shows_the_total_row_and_formats_undisplayed_values():
    chart = Chart(
        title="Budget",
        kind="stack",
        rows=[Row("Paid", 1500, modifier="paid"), Row("Remaining", 500, modifier="remaining")],
        total_display="2,000",
    )
    rows = Table(render_to_string("core/includes/chart.html", {"chart": chart})).rows
    assert rows[-1] == [("th", "row", "Total"), ("td", None, "2,000")]
    assert rows[1][1][2] in ("1,500", "1 500", "1\xa0500", "1.500")


def test_unknown_kind_or_segment_is_refused():
    with pytest.raises(ValueError):
        Chart(title="T", rows=[], kind="pie")
    with pytest.raises(ValueError):
        Row("A", 1, modifier="pink")
