"""Indicator pages: the public list of definitions, an indicator's page (its definition, the
cities compared over time and its latest ranking, with a CSV of each), and the secretariat's
forms to define and edit indicators.

Every figure passes the small-number rule (`suppression`, through the selectors' `Reading`):
a small count shows as "<5", a rate built on one as withheld, on the page, in the chart and in
the CSV alike.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core import csvfiles
from safecities.core.charts import Chart, Row, Series
from safecities.core.i18n import translated_with_language
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, permission_required, public
from safecities.core.refusals import refusals

from .. import selectors, services, suppression
from ..forms import DetailFilter, IndicatorFilter, IndicatorForm
from ..models import Indicator
from ..selectors import samples
from . import tables

COMPARED_BY_DEFAULT = 6  # cities an indicator's page compares when none are chosen
CHARTED_AT_EACH_END = 10  # a longer ranking's chart shows its best and worst this many
# The ranking's table is shown this many cities at a time (`?ranking_page=`); its CSV holds all.
RANKING_PER_PAGE = 50


# --- helpers shared with the dashboards ------------------------------------------------------


def shown(reading) -> str:
    """How a `selectors.Reading` may be shown: its figure, "<5", or "withheld"."""
    if reading is None:
        return ""
    return reading.display if reading.display is not None else _("withheld")


def chart_row(label: str, reading) -> Row:
    """A chart row of a reading; a suppressed one is drawn as nothing, with how it is shown."""
    if reading is None:
        return Row(label, 0, "–", missing=True)
    if reading.value is None:
        return Row(label, 0, shown(reading), missing=True)
    return Row(label, reading.value, reading.display)


def plain(number) -> str:
    """A number that is never suppressed (a denominator: the population counted in) as text."""
    return "" if number is None else format(number.normalize(), "f")


def unit_label(indicator: Indicator) -> str:
    return indicator.get_unit_type_display()


def figure(reading) -> object:
    """A reading for a CSV: its number as a number where it may be shown, else as `shown`."""
    return csvfiles.figure(shown(reading))


def csv_response(filename: str, header: list[str], rows):
    """A CSV download through the one safe writer (see `core.csvfiles`), written as sent."""
    return csvfiles.response(filename, header, rows)


def _indicator(request, code: str) -> Indicator:
    return selectors.indicator_by_code(code)


# --- the list ---------------------------------------------------------------------------------


@public
def indicator_list(request):
    form = IndicatorFilter(request.GET or None)
    page, query = paginate(request, selectors.indicators_filtered(**form.filters()), per_page=25)
    return render(
        request,
        "indicators/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_manage": has_perm(request.user, "indicators.manage"),
            "filtered": bool(request.GET.keys() - {"page", "sort"}),
        },
    )


@permission_required("indicators.manage")
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            indicator = services.create_indicator(actor=request.user, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, _("The indicator is defined."))
            return redirect("indicators:detail", code=indicator.code)
    return render(request, "indicators/form.html", {"form": form, "indicator": None})


@permission_required("indicators.manage", obj=_indicator)
def indicator_edit(request, code: str):
    indicator = request.permission_object
    if request.method == "POST":
        form = IndicatorForm(request.POST, creating=False)
        if form.is_valid():
            with refusals(request, form) as outcome:
                services.update_indicator(
                    indicator, actor=request.user, changes=form.service_kwargs()
                )
            if outcome.ok:
                messages.success(request, _("The indicator is saved."))
                return redirect("indicators:detail", code=indicator.code)
    else:
        form = IndicatorForm(initial=IndicatorForm.initial_for(indicator), creating=False)
    return render(request, "indicators/form.html", {"form": form, "indicator": indicator})


# --- an indicator's page ------------------------------------------------------------------------


def _detail(request, indicator: Indicator) -> dict:
    """What an indicator's page shows, for the page and its CSV alike."""
    # (slug, name) pairs for the select of hundreds of cities: no model built per option
    cities = list(selectors.reporting_cities(indicator).values_list("slug", "name"))
    periods = selectors.indicator_periods(indicator)
    form = DetailFilter(request.GET or None, cities=cities, periods=periods)
    filters = form.filters()
    ranking = selectors.ranking(indicator, period=filters["period"] or None)
    chosen = set(filters["cities"])
    if chosen:
        compared = list(selectors.reporting_cities(indicator).filter(slug__in=chosen))
    else:
        compared = [r.municipality for r in ranking[:COMPARED_BY_DEFAULT]]
    comparison = selectors.compare_between(
        selectors.compare_cities(indicator, municipalities=compared),
        first=filters["first"],
        last=filters["last"],
    )
    return {
        "form": form,
        "filters": filters,
        "ranking": ranking,
        "comparison": comparison,
        # A rate or share shows what it is built on, where the figures give it.
        "parts": indicator.unit_type != Indicator.UnitType.COUNT
        and any(r.reading.numerator is not None for r in ranking),
    }


def _comparison_table(comparison) -> tuple[list[str], list]:
    """(the cities' names, [(period, [each city's figure as shown])]) of the cities with
    figures in the periods compared: the table beside the chart."""
    series = [s for s in comparison.series if s.readings]
    return [s.municipality.name for s in series], [
        (period, [shown(s.by_period().get(period)) for s in series])
        for period in comparison.periods
    ]


def _comparison_chart(indicator: Indicator, comparison) -> Chart:
    return Chart(
        title=_("%(indicator)s over time") % {"indicator": indicator.display_name},
        kind="line",
        rows=[],
        label_header=_("Period"),
        value_header=unit_label(indicator),
        empty=_("No figures for these cities and periods."),
        series=[
            Series(
                s.municipality.name,
                [chart_row(p, s.by_period().get(p)) for p in comparison.periods],
            )
            for s in comparison.series
            if s.readings
        ],
    )


def _ranking_title(period: str) -> str:
    if period:
        return _("Ranking in %(period)s") % {"period": period}
    return _("Ranking by each city's latest figure")


def _ranking_chart(indicator: Indicator, ranking, period: str) -> Chart:
    title = _ranking_title(period)
    if len(ranking) > 2 * CHARTED_AT_EACH_END:
        # A picture of hundreds of bars helps no one: the best and the worst, the table has all.
        ranking = [*ranking[:CHARTED_AT_EACH_END], *ranking[-CHARTED_AT_EACH_END:]]
        title = _("%(title)s: the best and the worst %(n)s") % {
            "title": title,
            "n": CHARTED_AT_EACH_END,
        }
    return Chart(
        title=title,
        kind="bars",
        label_header=_("City"),
        value_header=unit_label(indicator),
        empty=_("No city has a figure yet."),
        rows=[chart_row(r.name, r.reading) for r in ranking],
    )


@public
def indicator_detail(request, code: str):
    indicator = selectors.indicator_by_code(code)
    shown_data = _detail(request, indicator)
    period = shown_data["filters"]["period"]
    names, table = _comparison_table(shown_data["comparison"])
    ranking_page, ranking_query = paginate(
        request, shown_data["ranking"], per_page=RANKING_PER_PAGE, param="ranking_page"
    )
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "description": translated_with_language(indicator.description),
            "texts": [
                (label, translated_with_language(getattr(indicator, name)))
                for name, label in (
                    ("numerator_description", _("Numerator")),
                    ("denominator_description", _("Denominator")),
                    ("interpretation", _("Notes on interpretation")),
                    ("comparability_breaks", _("Breaks in comparability")),
                )
                if getattr(indicator, name)
            ],
            "comparison_chart": _comparison_chart(indicator, shown_data["comparison"]),
            "ranking_chart": _ranking_chart(indicator, shown_data["ranking"], period),
            "ranking_title": _ranking_title(period),
            "ranking_page": ranking_page,
            "ranking_query": ranking_query,
            "ranking_rows": bool(ranking_page),
            "ranking_body": tables.ranking_rows(
                [(r, shown(r.reading), plain(r.reading.denominator)) for r in ranking_page],
                parts=shown_data["parts"],
            ),
            "names": names,
            "table_body": tables.series_rows(table),
            "query": request.GET.urlencode(),
            "may_manage": has_perm(request.user, "indicators.manage", indicator),
            "may_import": has_perm(request.user, "indicators.write_city")
            and samples.importable(indicator=indicator),
            "small": suppression.threshold(),
            **shown_data,
        },
    )


@public
def indicator_detail_csv(request, code: str):
    """The ranking (?table=ranking, the default) or the comparison (?table=comparison) as the
    page shows it, with the same filters."""
    indicator = selectors.indicator_by_code(code)
    data = _detail(request, indicator)
    if request.GET.get("table") == "comparison":
        return csv_response(
            f"{indicator.code}-comparison.csv",
            ["indicator", "municipality", "period", "value", "status"],
            [
                (indicator.code, s.municipality.name, r.period, figure(r), r.status)
                for s in data["comparison"].series
                for r in s.readings
            ],
        )
    parts = data["parts"]
    return csv_response(
        f"{indicator.code}-ranking.csv",
        ["indicator", "position", "municipality", "period", "value", "status"]
        + (["numerator", "denominator"] if parts else []),
        [
            (
                indicator.code,
                r.position or "",
                r.name,
                r.reading.period,
                figure(r.reading),
                r.reading.status,
                *(
                    (
                        csvfiles.figure(r.reading.numerator),
                        csvfiles.figure(plain(r.reading.denominator)),
                    )
                    if parts
                    else ()
                ),
            )
            for r in data["ranking"]
        ],
    )


urlpatterns = [
    path("", indicator_list, name="list"),
    path("new/", indicator_create, name="create"),
    path("<slug:code>/", indicator_detail, name="detail"),
    path("<slug:code>/csv/", indicator_detail_csv, name="detail-csv"),
    path("<slug:code>/edit/", indicator_edit, name="edit"),
]
