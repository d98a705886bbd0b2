"""The network's attendance of a year: per city, per organisation type and per charter goal,
as charts with their tables. Counts under the small-number threshold show as "<5"."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.charts import Chart, Row
from safecities.core.permissions import login_required
from safecities.indicators.suppression import display_count, threshold

from .. import selectors


def _row(label: str, n: int) -> Row:
    """A bar of the chart; a small count is left undrawn and shown as "<5"."""
    small = 0 < n < threshold()
    return Row(label, 0 if small else n, display_count(n), missing=small)


def _year(value, years: list[int]) -> tuple[int | None, str]:
    """The year asked for if it has attendance, else the latest; and a message for a bad one."""
    latest = years[-1] if years else None
    if value in (None, ""):
        return latest, ""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return latest, _("Year: “%(value)s” is not a year.") % {"value": str(value)[:20]}
    if year not in years:
        return latest, _("Year: no attendance is recorded for %(year)s.") % {"year": year}
    return year, ""


@login_required
def attendance(request):
    years = selectors.attendance_years()
    year, message = _year(request.GET.get("year"), years)
    counts = selectors.attendance_counts(year) if year else None
    charts = []
    if counts:
        charts = [
            Chart(
                title=_("Attendance by city, %(year)s") % {"year": year},
                label_header=_("City"),
                value_header=_("Attended"),
                rows=[_row(city.name, n) for city, n in counts.cities],
                empty=_("No one who works for a member city attended."),
            ),
            Chart(
                title=_("Attendance by organisation type, %(year)s") % {"year": year},
                label_header=_("Organisation type"),
                value_header=_("Attended"),
                rows=[_row(label, n) for _code, label, n in counts.organisation_types],
                empty=_("No one who works for an organisation attended."),
            ),
            Chart(
                title=_("Attendance by charter goal, %(year)s") % {"year": year},
                label_header=_("Charter goal"),
                value_header=_("Attended"),
                rows=[_row(goal.display_name, n) for goal, n in counts.goals],
                empty=_("No event of the year named a charter goal."),
            ),
        ]
    return render(
        request,
        "events/attendance.html",
        {
            "years": years,
            "year": year,
            "message": message,
            "counts": counts,
            "charts": charts,
            "total": display_count(counts.total) if counts else None,
        },
    )


urlpatterns = [path("attendance/", attendance, name="attendance")]
