"""Dashboards: a city's indicators against its baselines and targets, grouped by charter goal,
with the forms its coordinators record figures, baselines and targets with; and the network's
picture, indicator by indicator (who reports, the ranking's top and bottom, who is on track).
Each with a CSV of what it shows."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.charts import Chart, Row
from safecities.core.permissions import has_perm, permission_required, public
from safecities.core.refusals import refusals
from safecities.network.models import Municipality
from safecities.network.selectors import municipality_by_slug

from .. import charts, panels, selectors, services, suppression
from ..forms import ObservationForm, ReferenceForm
from . import tables
from .pages import chart_row, csv_response, figure, shown, unit_label

TOP = 5  # the network dashboard shows the best and the worst this many cities of a ranking


def _city(request, slug: str) -> Municipality:
    return municipality_by_slug(slug)


# --- the city dashboard -----------------------------------------------------------------------


def _city_rows(municipality: Municipality):
    """(goal, [(CityIndicator, verdict, change text, chart, the baseline's, latest figure's
    and target's cells)]) for the city, by goal."""
    items = selectors.city_dashboard(municipality)
    groups = []
    for goal, members in groupby(items, key=lambda item: item.indicator.goal):
        rows = []
        for item in members:
            chart = charts.over_time(item, city=municipality.name)
            change = item.change
            cells = [
                tables.reading_cell(r) for r in (change.baseline, change.latest, change.target)
            ]
            rows.append((item, change.verdict, change.change_text, chart, cells))
        groups.append((goal, rows))
    return groups


@public
def city_dashboard(request, slug: str):
    municipality = municipality_by_slug(slug)
    groups = _city_rows(municipality)
    return render(
        request,
        "indicators/city.html",
        {
            "city": municipality,
            "groups": groups,
            # what apps above indicators show here (the adopted plan's link), registered by them
            "panels": panels.city_panels(municipality),
            "may_write": has_perm(request.user, "indicators.write_city", municipality),
            "small": suppression.threshold(),
        },
    )


@public
def city_dashboard_csv(request, slug: str):
    municipality = municipality_by_slug(slug)
    lines = []
    for goal, rows in _city_rows(municipality):
        for item, _verdict, _change, _chart, _cells in rows:
            i, c = item.indicator, item.change
            common = (i.code, i.display_name, i.kind, goal.code if goal else "")
            for what, reading in [("baseline", c.baseline)]:
                if reading:
                    lines.append((*common, what, reading.period, figure(reading), ""))
            for reading in item.readings:
                lines.append(
                    (*common, "observation", reading.period, figure(reading), reading.status)
                )
            if c.target:
                lines.append((*common, "target", c.target.period, figure(c.target), ""))
    return csv_response(
        f"{municipality.slug}-indicators.csv",
        ["indicator", "name", "kind", "charter_goal", "what", "period", "value", "status"],
        lines,
    )


def _write_page(request, *, form, template: str, title: str, save, done):
    municipality = request.permission_object
    if request.method == "POST" and form.is_valid():
        started = timezone.now()
        with refusals(request, form) as outcome:
            record = save(actor=request.user, municipality=municipality, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, done(record, started))
            return redirect("indicators:city", slug=municipality.slug)
    return render(request, template, {"form": form, "city": municipality, "title": title})


def _initial(request) -> dict:
    code = request.GET.get("indicator")
    return {"indicator": code} if code else {}


@permission_required("indicators.write_city", obj=_city)
def city_observation(request, slug: str):
    form = ObservationForm(request.POST or None, initial=_initial(request))

    def done(observation, started) -> str:
        if observation.updated_at < started:
            return _("The figure is the same as the one recorded: nothing changed.")
        replaced = selectors.replaced_since(observation, since=started)
        if replaced is None:
            return _("The figure for %(period)s is recorded.") % {"period": observation.period}
        return _(
            "The figure for %(period)s is updated. It replaced %(previous)s, which is kept in "
            "its history."
        ) % {"period": observation.period, "previous": shown(replaced)}

    return _write_page(
        request,
        form=form,
        template="indicators/city_observation.html",
        title=_("Record a figure for %(city)s") % {"city": request.permission_object.name},
        save=services.record_observation,
        done=done,
    )


def _reference_page(request, *, service, title: str, saved: str):
    form = ReferenceForm(request.POST or None, initial=_initial(request))
    return _write_page(
        request,
        form=form,
        template="indicators/city_reference.html",
        title=title % {"city": request.permission_object.name},
        save=service,
        done=lambda record, started: saved % {"period": record.period},
    )


@permission_required("indicators.write_city", obj=_city)
def city_baseline(request, slug: str):
    return _reference_page(
        request,
        service=services.set_baseline,
        title=_("Set a baseline for %(city)s"),
        saved=_("The baseline is set to %(period)s."),
    )


@permission_required("indicators.write_city", obj=_city)
def city_target(request, slug: str):
    return _reference_page(
        request,
        service=services.set_target,
        title=_("Set a target for %(city)s"),
        saved=_("The target for %(period)s is set."),
    )


# --- the network dashboard ----------------------------------------------------------------------


def _shown_ranking(ranking) -> list:
    """The best and the worst `TOP` of a ranking, or all of it when it is short."""
    if len(ranking) <= 2 * TOP:
        return list(ranking)
    return [*ranking[:TOP], None, *ranking[-TOP:]]


def _network_rows():
    rows = []
    for item in selectors.network_dashboard():
        indicator = item.indicator
        ranking = _shown_ranking(item.ranking)
        rows.append(
            {
                "item": item,
                "ranking": ranking,
                "ranking_chart": Chart(
                    title=_("%(indicator)s: each city's latest figure")
                    % {"indicator": indicator.display_name},
                    kind="bars",
                    label_header=_("City"),
                    value_header=unit_label(indicator),
                    empty=_("No city has a figure yet."),
                    rows=[chart_row(r.name, r.reading) for r in ranking if r],
                ),
                "track_chart": Chart(
                    title=_("%(indicator)s: cities against their targets")
                    % {"indicator": indicator.display_name},
                    kind="bars",
                    label_header=_("Cities"),
                    value_header=_("Number"),
                    rows=[
                        Row(_("On track or target met"), item.on_track),
                        Row(str(selectors.PROGRESS_LABELS["off_track"]), item.off_track),
                        Row(_("No baseline and target, or withheld"), item.untracked),
                    ],
                ),
            }
        )
    return rows


@public
def network_dashboard(request):
    return render(
        request,
        "indicators/network.html",
        {"rows": _network_rows(), "small": suppression.threshold()},
    )


@public
def network_dashboard_csv(request):
    lines = []
    for row in _network_rows():
        item = row["item"]
        common = (
            item.indicator.code,
            item.cities,
            item.latest_period or "",
            item.on_track,
            item.off_track,
            item.untracked,
        )
        for r in row["ranking"]:
            if r is not None:
                lines.append(
                    (
                        *common,
                        r.position or "",
                        r.municipality.name,
                        r.reading.period,
                        figure(r.reading),
                    )
                )
        if not item.ranking:
            lines.append((*common, "", "", "", ""))
    return csv_response(
        "network-indicators.csv",
        [
            "indicator",
            "cities_reporting",
            "latest_period",
            "on_track",
            "not_on_track",
            "untracked",
            "position",
            "municipality",
            "period",
            "value",
        ],
        lines,
    )


urlpatterns = [
    path("network/", network_dashboard, name="network"),
    path("network/csv/", network_dashboard_csv, name="network-csv"),
    path("cities/<slug:slug>/", city_dashboard, name="city"),
    path("cities/<slug:slug>/csv/", city_dashboard_csv, name="city-csv"),
    path("cities/<slug:slug>/observations/new/", city_observation, name="city-observation"),
    path("cities/<slug:slug>/baseline/", city_baseline, name="city-baseline"),
    path("cities/<slug:slug>/target/", city_target, name="city-target"),
]
