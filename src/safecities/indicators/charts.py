"""An indicator's figures for a city as a line chart over time, read against the city's
baseline and target (dashed reference lines): the same chart on the city dashboard and on a
plan's effect page, beside the measure that aims to move it."""

from django.utils.translation import gettext as _

from safecities.core.charts import Chart, Reference

from .selectors import ChangeSinceBaseline, CityIndicator
from .views.pages import chart_row, unit_label


def references(change: ChangeSinceBaseline) -> list[Reference]:
    """The city's baseline and target as reference levels; one hidden by the small-number rule
    is left out (the table beside the chart says "withheld")."""
    levels = []
    baseline, target = change.baseline, change.target
    if baseline is not None and baseline.value is not None:
        label = _("Baseline %(period)s") % {"period": baseline.period}
        levels.append(Reference(label, baseline.value, baseline.display or ""))
    if target is not None and target.value is not None:
        label = _("Target %(period)s") % {"period": target.period}
        levels.append(Reference(label, target.value, target.display or ""))
    return levels


def over_time(item: CityIndicator, *, city: str) -> Chart:
    """The city's figures of the indicator, period by period, against its baseline and target."""
    indicator = item.indicator
    return Chart(
        title=_("%(indicator)s in %(city)s") % {"indicator": indicator.display_name, "city": city},
        kind="line",
        rows=[chart_row(r.period, r) for r in item.readings],
        references=references(item.change),
        label_header=_("Period"),
        value_header=unit_label(indicator),
        empty=_("No figures yet."),
    )
