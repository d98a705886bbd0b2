"""A line chart read against a baseline and a target: both drawn as labelled horizontal lines,
on a y-axis that shows the change (fitted to the figures and the references, not from 0), and
both listed in the chart's table too."""

import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string

from safecities.core.charts import Chart, Reference, Row, value_range

SVG = "{http://www.w3.org/2000/svg}"


def hate_crime() -> Chart:
    return Chart(
        title="Hate crime",
        kind="line",
        rows=[Row("2019", D("82.2")), Row("2020", D("85.3")), Row("2025", D("71.3"))],
        references=[Reference("Baseline 2019", D("82.2")), Reference("Target 2026", 70)],
    )


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_the_baseline_and_target_are_labelled_horizontal_lines_at_their_values():
    root = ET.fromstring(str(hate_crime().svg()))
    levels = {
        line.find(f"{SVG}title").text: line
        for line in root.iter(f"{SVG}line")
        if line.get("class") == "sc-chart__reference"
    }
    assert set(levels) == {"Baseline 2019: 82.2", "Target 2026: 70"}
    for line in levels.values():
        assert line.get("y1") == line.get("y2")  # horizontal
        assert float(line.get("x2")) - float(line.get("x1")) > 300  # across the plot
    # The baseline (82.2) is drawn higher than the target (70), level with 2019's point (82.2).
    base_y, target_y = (float(levels[k].get("y1")) for k in sorted(levels))
    assert base_y < target_y
    first_point = next(root.iter(f"{SVG}circle"))
    assert float(first_point.get("cy")) == base_y
    assert "Baseline 2019: 82.2" in texts(root) and "Target 2026: 70" in texts(root)
    assert "Dashed lines: Baseline 2019: 82.2; Target 2026: 70." in root.find(f"{SVG}desc").text


def test_the_axis_shows_the_change_not_the_distance_from_zero():
    root = ET.fromstring(str(hate_crime().svg()))
    axis_labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    # 70 … 85.3 with room either side, on round numbers: 60 to 90, never 0.
    assert "0" not in axis_labels
    assert {"60", "90"} <= set(axis_labels)
    # The points spread over the plot: 85.3 near the top, 71.3 well down.
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert max(ys) - min(ys) > 60


def test_the_axis_range_fits_the_figures_with_room():
    assert value_range([D(42), D(45)]) == (D(41), D(46))
    assert value_range([D("82.2"), D(70), D("85.3")]) == (D(60), D(90))
    assert value_range([D(100), D(5000)]) == (D(0), D(6000))  # room under 100 reaches 0
    assert value_range([D(70)]) == (D(60), D(80))  # one figure: room around it
    assert value_range([D(0)]) == (D(0), D(1))
    assert value_range([]) == (D(0), D(0))


def test_the_references_are_in_the_table_with_the_figures():
    html = render_to_string("core/includes/chart.html", {"chart": hate_crime()})
    assert '<tbody class="sc-chart__references">' in html
    assert '<th scope="row">Target 2026</th><td class="sc-chart__number">70</td>' in html
    assert '<th scope="row">Baseline 2019</th><td class="sc-chart__number">82.2</td>' in html


def test_only_a_line_chart_takes_references():
    with pytest.raises(ValueError):
        Chart(title="x", kind="bars", rows=[Row("a", 1)], references=[Reference("b", 1)])
