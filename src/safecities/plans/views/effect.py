"""The effect page: does the plan's work change anything?

Per charter goal and measure, each outcome indicator the measure aims to move: the city's
baseline, latest value and target, the change since the baseline and whether it goes the way
the measure expects (`plans.selectors.effect`). Every figure is shown as the small-number rule
allows (`Reading.display`: "<5" for a small count, nothing for a rate withheld, said in words).
Each measure is a section: its heading, then for each outcome indicator the city's figures over
time as a chart against the baseline and target, and the table of its outcomes. The page, its
charts and its CSV are built from the same rows, so they show the same figures. Where an outcome
stands against its target is worded as on the city dashboard (`ChangeSinceBaseline.verdict`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core import csvfiles
from safecities.core.charts import Chart
from safecities.core.permissions import public
from safecities.indicators import charts
from safecities.indicators.selectors import CityIndicator, Reading, city_series

from .. import selectors
from ..models import MeasureIndicator
from .plans import visible_plan


def withheld() -> str:
    return _("withheld")


def reading_text(reading: Reading | None) -> str:
    """A reading as it may be shown: its display, "withheld" when the rule hides a rate, and
    empty when there is none."""
    if reading is None:
        return ""
    return reading.display if reading.display is not None else withheld()


def change_text(outcome) -> str:
    change = outcome.change
    if change.suppressed:
        return withheld()
    if change.change is None:
        return ""
    text = format(Decimal(change.change).normalize(), "f")
    return f"+{text}" if change.change > 0 else text


def verdict(outcome) -> str:
    """What the change says, in words."""
    change = outcome.change
    if change.suppressed:
        return _("Withheld: the figures rest on a small number.")
    if change.latest is None:
        return _("No observation yet.")
    if change.baseline is None:
        return _("No baseline: the change cannot be read.")
    if outcome.as_expected is None:
        return _("No change since the baseline.")
    if outcome.as_expected:
        return _("Moves the way the measure expects.")
    return _("Moves against what the measure expects.")


@dataclass
class EffectRow:
    """One line of the page's table and CSV: a measure under a goal and one outcome it aims
    to move, or the measure alone when it names no outcome indicator."""

    goal: str
    measure: object
    link: MeasureIndicator | None = None
    baseline_period: str = ""
    baseline: str = ""
    latest_period: str = ""
    latest: str = ""
    target_period: str = ""
    target: str = ""
    change: str = ""
    verdict: str = ""
    target_note: str = ""
    note: str = ""

    @property
    def direction(self) -> str:
        return self.link.get_direction_display() if self.link else ""


@dataclass
class MeasureBlock:
    """A measure on the page: its heading, then each outcome's chart and its table's rows."""

    measure: object
    rows: list[EffectRow]
    charts: list[Chart] = field(default_factory=list)

    @property
    def note(self) -> str:
        """What is said instead of a table when the measure names no outcome indicator."""
        return self.rows[0].note if self.rows and not self.rows[0].link else ""


def effect_groups(page, series=None) -> list[tuple[str, list[MeasureBlock]]]:
    """Per charter goal of the plan (its heading), its measures, each with its rows and, with
    `series` (the city's dashboard items by indicator pk), a chart per outcome indicator."""
    city = page.plan.municipality.name
    groups = []
    for heading, blocks in _groups(page):
        for block, outcomes in blocks:
            if series is not None:
                block.charts = [
                    charts.over_time(series[o.indicator.pk], city=city)
                    for o in outcomes
                    if o.indicator.pk in series
                ]
        groups.append((heading, [block for block, _outcomes in blocks]))
    return groups


def effect_rows(page) -> list[EffectRow]:
    return [
        row
        for _heading, blocks in _groups(page)
        for block, _outcomes in blocks
        for row in block.rows
    ]


def _groups(page):
    for block in page.goals:
        goal = block.section.display_heading if block.section else block.goal.display_name
        blocks = []
        for measure_effect in block.measures:
            rows = []
            blocks.append((MeasureBlock(measure_effect.measure, rows), measure_effect.outcomes))
            if measure_effect.without_outcome:
                rows.append(
                    EffectRow(
                        goal=goal,
                        measure=measure_effect.measure,
                        note=measure_effect.without_outcome_note,
                    )
                )
                continue
            for outcome in measure_effect.outcomes:
                change = outcome.change
                rows.append(
                    EffectRow(
                        goal=goal,
                        measure=measure_effect.measure,
                        link=outcome.link,
                        baseline_period=change.baseline.period if change.baseline else "",
                        baseline=reading_text(change.baseline),
                        latest_period=change.latest.period if change.latest else "",
                        latest=reading_text(change.latest),
                        target_period=change.target.period if change.target else "",
                        target=reading_text(change.target),
                        change=change_text(outcome),
                        verdict=verdict(outcome),
                        target_note=change.verdict,
                    )
                )
        yield goal, blocks


@public
def effect(request, pk: int):
    plan = visible_plan(request, pk)
    page = selectors.effect(plan)
    # The city's figures over time, for the chart of each outcome the city has figures, a
    # baseline or a target for (as on its dashboard): one more query, the changes since
    # baseline being the page's own.
    changes = {o.indicator.pk: o.change for g in page.goals for m in g.measures for o in m.outcomes}
    charted = [c for c in changes.values() if c.latest or c.baseline or c.target]
    readings = city_series(plan.municipality, indicators=[c.indicator for c in charted])
    series = {
        c.indicator.pk: CityIndicator(c.indicator, readings[c.indicator.pk], c) for c in charted
    }
    return render(
        request,
        "plans/effect.html",
        {"plan": plan, "page": page, "groups": effect_groups(page, series)},
    )


CSV_HEADER = [
    "goal",
    "measure",
    "indicator_code",
    "indicator",
    "expected_direction",
    "baseline_period",
    "baseline",
    "latest_period",
    "latest",
    "target_period",
    "target",
    "change",
    "reading",
    "target_status",
    "note",
]


def _csv_row(row: EffectRow) -> list:
    indicator = row.link.indicator if row.link else None
    return [
        row.goal,
        row.measure.title,
        indicator.code if indicator else "",
        indicator.display_name if indicator else "",
        row.direction,
        row.baseline_period,
        csvfiles.figure(row.baseline),
        row.latest_period,
        csvfiles.figure(row.latest),
        row.target_period,
        csvfiles.figure(row.target),
        csvfiles.figure(row.change),
        row.verdict,
        row.target_note,
        row.note,
    ]


@public
def effect_csv(request, pk: int):
    plan = visible_plan(request, pk)
    rows = effect_rows(selectors.effect(plan))
    return csvfiles.response(
        f"{plan.municipality.slug}-plan-{plan.pk}-effect.csv",
        CSV_HEADER,
        (_csv_row(row) for row in rows),
    )


urlpatterns = [
    path("<int:pk>/effect/", effect, name="effect"),
    path("<int:pk>/effect.csv", effect_csv, name="effect-csv"),
]
