"""The "line" chart: a time series (or several) drawn on an axis fitted to it, gaps where a figure is
missing, escaped, and the data kept in a table."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from safecities.core.charts import Chart, Row, Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg()))


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]


def test_one_series_is_a_line_through_its_points_rising_with_the_value():
    chart = Chart(
        title="Meetings",
        kind="line",
        rows=[Row("2019", 10), Row("2020", 20), Row("2021", 40)],
    )
    root = parse(chart)
    [line] = root.iter(f"{SVG}polyline")
    xs, ys = zip(*points(line), strict=True)
    assert list(xs) == sorted(xs) and len(set(xs)) == 3  # left to right, in the rows' order
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards: a larger value is drawn higher
    # On an axis from 0: 10 is a quarter of 40's height above the axis, 20 half of it.
    axis = float(next(root.iter(f"{SVG}line")).get("y1"))
    assert (axis - ys[0]) * 4 == pytest.approx(axis - ys[2])
    assert (axis - ys[1]) * 2 == pytest.approx(axis - ys[2])
    markers = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert markers == ["2019: 10", "2020: 20", "2021: 40"]


def test_a_missing_figure_is_a_gap_in_the_line_never_a_zero():
    chart = Chart(
        title="Hate crimes",
        kind="line",
        rows=[
            Row("2019", 9),
            Row("2020", 8),
            Row("2021", 0, "<5", missing=True),
            Row("2022", 6),
            Row("2023", 7),
        ],
    )
    root = parse(chart)
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(points(line)) for line in lines] == [2, 2]  # broken at 2021
    titles = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert "2021: <5" not in titles and len(titles) == 4
    assert "<5" not in str(chart.svg()).replace("&lt;5", "")  # nothing unescaped


def test_several_series_share_the_axis_with_a_legend_and_distinct_styles():
    chart = Chart(
        title="Compared",
        kind="line",
        rows=[],
        series=[
            Series("Oslo", [Row("2019", 5), Row("2020", 6)]),
            Series("<b>Bergen</b>", [Row("2019", 0, "withheld", missing=True), Row("2020", 4)]),
        ],
    )
    svg = str(chart.svg())
    root = ET.fromstring(svg)
    lines = [p.get("class") for p in root.iter(f"{SVG}polyline")]
    assert lines == ["sc-chart__line sc-chart__line--0"]  # Bergen has one point: no line
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text in ("Oslo", "<b>Bergen</b>")]
    assert legend == ["Oslo", "<b>Bergen</b>"]
    assert "<b>" not in svg and "&lt;b&gt;Bergen&lt;/b&gt;" in svg
    styles = {c.get("class") for c in root.iter(f"{SVG}circle")}
    assert {"sc-chart__marker sc-chart__line--0", "sc-chart__marker sc-chart__line--1"} <= styles
    assert chart.has_figures


def test_all_missing_or_zero_draws_without_dividing_by_zero():
    chart = Chart(title="t", kind="line", rows=[Row("2019", 0), Row("2020", 0, "<5", missing=True)])
    parse(chart)  # well-formed
    assert Chart(title="t", kind="line", rows=[]).svg() == ""


def test_only_a_line_chart_takes_series():
    with pytest.raises(ValueError):
        Chart(title="t", kind="bars", rows=[], series=[Series("a", [Row("x", 1)])])


def test_a_missing_bar_is_drawn_empty_and_its_text_is_in_the_table():
    chart = Chart(title="Ranking", rows=[Row("Oslo", 70), Row("Skien", 0, "<5", missing=True)])
    root = parse(chart)
    widths = [
        Decimal(r.get("width"))
        for r in root.iter(f"{SVG}rect")
        if "sc-chart__bar" in r.get("class", "")
    ]
    assert widths == [Decimal(400), Decimal(0)]
    html = render_to_string("core/includes/chart.html", {"chart": chart})
    assert '<td class="sc-chart__number">&lt;5</td>' in html
