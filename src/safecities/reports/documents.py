"""What each report shows, for its web page and its PDF alike: the selectors' figures and the
charts drawn from them. One place, so the page and the PDF cannot tell different stories."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.charts import Chart, Row
from safecities.core.errors import InvalidInput
from safecities.grants.charts import ledger_chart, slices_chart

from . import selectors
from .models import ReportKind


def check(kind: str, subject: str, year: int) -> None:
    """InvalidInput naming the field unless the report exists (any year in range may be asked
    for: a year without data gives a report that says so)."""
    if kind not in ReportKind.values:
        raise InvalidInput(_("No such report."), field="kind")
    try:
        if kind == ReportKind.PROGRAMME:
            selectors.programme_for_report(subject)
            if not selectors.EARLIEST_YEAR <= year <= selectors.LATEST_YEAR:
                raise InvalidInput(
                    _("Choose a year from %(first)d to %(last)d.")
                    % {"first": selectors.EARLIEST_YEAR, "last": selectors.LATEST_YEAR},
                    field="year",
                )
        else:
            selectors.municipality_for_report(subject)
    except Http404 as exc:
        raise InvalidInput(str(exc), field="subject") from exc


def _programme_title(programme, year: int) -> str:
    return _("%(programme)s: report for %(year)d") % {"programme": programme, "year": year}


def _city_title(municipality) -> str:
    return _("City profile: %(city)s") % {"city": municipality.name}


def title(kind: str, subject: str, year: int = 0) -> str:
    """A report's title, as its page and its PDF's cover give it."""
    if kind == ReportKind.PROGRAMME:
        return _programme_title(selectors.programme_for_report(subject), year)
    return _city_title(selectors.municipality_for_report(subject))


def _attendance_chart(events) -> Chart:
    return Chart(
        title=_("Attendance"),
        kind="bars",
        label_header=_("Event"),
        value_header=_("Attended"),
        empty=_("No events held."),
        rows=[Row(e.event.display_title, e.attended) for e in events],
    )


def programme_context(slug: str, year: int) -> dict:
    programme = selectors.programme_for_report(slug)
    report = selectors.programme_report(programme, year=year)
    return {
        "made": timezone.localdate(),
        "years": programme.years,
        "report": report,
        "programme": programme,
        "year": year,
        "title": _programme_title(programme, year),
        "budget_chart": ledger_chart(report.ledger),
        "city_chart": slices_chart(
            report.breakdown["by_city"], title=_("Awarded by city"), label_header=_("City")
        ),
        "goal_chart": slices_chart(
            report.breakdown["by_goal"],
            title=_("Awarded by charter goal"),
            label_header=_("Charter goal"),
        ),
        "attendance_chart": _attendance_chart(report.events),
        "sections": [
            ("money", _("Money")),
            ("projects", _("Projects and their results")),
            ("events", _("Events and attendance")),
            ("practices", _("Practices published")),
            ("outcomes", _("Outcomes in the cities")),
        ],
    }


def _measures_chart(measures) -> Chart:
    counts: dict[str, int] = {}
    for measure in measures:
        label = measure.get_status_display()
        counts[label] = counts.get(label, 0) + 1
    return Chart(
        title=_("Measures by status"),
        kind="bars",
        label_header=_("Status"),
        value_header=_("Measures"),
        empty=_("No measures."),
        rows=[Row(label, n) for label, n in counts.items()],
    )


def city_context(slug: str) -> dict:
    municipality = selectors.municipality_for_report(slug)
    profile = selectors.city_profile(municipality)
    return {
        "made": timezone.localdate(),
        "profile": profile,
        "municipality": municipality,
        "title": _city_title(municipality),
        "measures_chart": _measures_chart(profile.measures),
        "attendance_chart": _attendance_chart(profile.events),
        "sections": [
            ("membership", _("Membership")),
            ("plan", _("Action plan and measures")),
            ("outcomes", _("Outcomes")),
            ("grants", _("Grants")),
            ("practices", _("Practices")),
            ("events", _("Events")),
        ],
    }


def context(kind: str, subject: str, year: int = 0) -> dict:
    if kind == ReportKind.PROGRAMME:
        return programme_context(subject, year)
    return city_context(subject)


def pdf_template(kind: str) -> str:
    return f"reports/pdf/{kind}.html"
