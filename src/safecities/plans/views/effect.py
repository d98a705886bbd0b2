"""The effect page: does the plan's work change anything?

Per charter goal and measure, each outcome indicator the measure aims to move: the city's
baseline, latest value and target, the change since the baseline and whether it goes the way
the measure expects (`plans.selectors.effect`). Every figure is shown as the small-number rule
allows (`Reading.display`: "<5" for a small count, nothing for a rate withheld, said in words).
The page, its charts and its CSV are built from the same rows, so they show the same figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core import csvfiles
from safecities.core.charts import Chart, Row
from safecities.core.permissions import public
from safecities.indicators.selectors import Reading

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


def target_text(outcome) -> str:
    change = outcome.change
    if change.target is None:
        return _("No target set.")
    if change.target_met is True:
        return _("Target met.")
    if change.on_track is True:
        return _("On track.")
    if change.target_met is False:
        return _("Target not yet met.")
    return ""


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


def effect_groups(page) -> list[tuple[str, list[EffectRow]]]:
    """Per charter goal of the plan (its heading), the rows of its measures."""
    return [(heading, rows) for heading, rows in _groups(page)]


def effect_rows(page) -> list[EffectRow]:
    return [row for _heading, rows in _groups(page) for row in rows]


def _groups(page):
    for block in page.goals:
        goal = block.section.display_heading if block.section else block.goal.display_name
        rows = []
        for measure_effect in block.measures:
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
                        target_note=target_text(outcome),
                    )
                )
        yield goal, rows


def _chart_row(label: str, reading: Reading) -> Row:
    if reading.value is None:  # hidden by the small-number rule: drawn as nothing
        return Row(label, 0, display=reading_text(reading))
    return Row(label, reading.value, display=reading_text(reading))


def outcome_charts(page) -> list[Chart]:
    """Per outcome indicator of the plan: its baseline, latest value and target as columns."""
    seen, charts = set(), []
    for block in page.goals:
        for measure_effect in block.measures:
            for outcome in measure_effect.outcomes:
                indicator = outcome.indicator
                if indicator.pk in seen:
                    continue
                seen.add(indicator.pk)
                change = outcome.change
                rows = []
                if change.baseline:
                    label = _("Baseline %(period)s") % {"period": change.baseline.period}
                    rows.append(_chart_row(label, change.baseline))
                if change.latest:
                    label = _("Latest %(period)s") % {"period": change.latest.period}
                    rows.append(_chart_row(label, change.latest))
                if change.target:
                    label = _("Target %(period)s") % {"period": change.target.period}
                    rows.append(_chart_row(label, change.target))
                charts.append(
                    Chart(
                        title=indicator.display_name,
                        kind="columns",
                        label_header=_("Reading"),
                        value_header=indicator.get_unit_type_display(),
                        empty=_("No figures for this city yet."),
                        rows=rows,
                    )
                )
    return charts


@public
def effect(request, pk: int):
    plan = visible_plan(request, pk)
    page = selectors.effect(plan)
    return render(
        request,
        "plans/effect.html",
        {
            "plan": plan,
            "page": page,
            "groups": effect_groups(page),
            "charts": outcome_charts(page),
        },
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
