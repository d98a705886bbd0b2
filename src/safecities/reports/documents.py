"""What each report shows, for its web page and its PDF alike: the selectors' figures and the
charts drawn from them. One place, so the page and the PDF cannot tell different stories."""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core.charts import Chart, Row
from safecities.core.errors import InvalidInput
from safecities.grants.charts import ledger_chart, slices_chart

from . import sections as paged
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
            ("lines", _("Budget lines")),
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


# --- the web pages: a summary, and each long section a page at a time -----------------------

PROGRAMME_SECTIONS = {
    "projects": gettext_lazy("Projects and their results"),
    "events": gettext_lazy("Events and attendance"),
    "practices": gettext_lazy("Practices published"),
    "outcomes": gettext_lazy("Outcomes in the cities"),
}
CITY_SECTIONS = {
    "grants": gettext_lazy("Grants"),
    "practices": gettext_lazy("Practices"),
    "events": gettext_lazy("Events"),
}


def programme_page_context(slug: str, year: int) -> dict:
    """The programme report's page: its figures first, then each section's first rows."""
    programme = selectors.programme_for_report(slug)
    summary = paged.programme_summary(programme, year=year)
    return {
        "made": timezone.localdate(),
        "years": programme.years,
        "summary": summary,
        "programme": programme,
        "year": year,
        "title": _programme_title(programme, year),
        "budget_chart": ledger_chart(summary.money),
        "city_chart": slices_chart(
            summary.breakdown["by_city"], title=_("Awarded by city"), label_header=_("City")
        ),
        "goal_chart": slices_chart(
            summary.breakdown["by_goal"],
            title=_("Awarded by charter goal"),
            label_header=_("Charter goal"),
        ),
        "preview": paged.PREVIEW,
        "cities_preview": paged.CITIES_PREVIEW,
        "sections": [("summary", _("Summary")), ("money", _("Money")), ("lines", _("Budget lines"))]
        + [(key, str(label)) for key, label in PROGRAMME_SECTIONS.items()],
    }


def city_page_context(slug: str) -> dict:
    municipality = selectors.municipality_for_report(slug)
    summary = paged.city_summary(municipality)
    return {
        "made": timezone.localdate(),
        "summary": summary,
        "profile": summary.profile,
        "awarded": paged.currency_totals(summary.awarded),
        "municipality": municipality,
        "title": _city_title(municipality),
        "measures_chart": _measures_chart(summary.profile.measures),
        "preview": paged.PREVIEW,
        "sections": [
            ("summary", _("Summary")),
            ("membership", _("Membership")),
            ("plan", _("Action plan and measures")),
            ("outcomes", _("Outcomes")),
        ]
        + [(key, str(label)) for key, label in CITY_SECTIONS.items()],
    }


def _section_title(section, report_title: str) -> str:
    return _("%(section)s: %(report)s") % {"section": section, "report": report_title}


def _paged(rows, number, *, per_page: int, convert) -> tuple:
    """The page `number` of `rows` (a count and a slice), and its rows as the report shows
    them."""
    page = Paginator(rows, per_page).get_page(number)
    return page, convert(page.object_list) if page.paginator.count else []


def programme_section_context(slug: str, year: int, section: str, number) -> dict:
    """A page of one section of the programme report."""
    if section not in PROGRAMME_SECTIONS:
        raise Http404
    programme = selectors.programme_for_report(slug)
    if section == "projects":  # the projects alone, without the parties to them
        until = date(year + 1, 1, 1)
        page, rows = _paged(
            paged.project_rows(paged.programme_awards(programme, year=year)),
            number,
            per_page=paged.PER_PAGE,
            convert=lambda rows: paged.projects(rows, until=until),
        )
    else:
        scope = paged.programme_scope(programme, year=year)
        if section == "events":
            page, rows = _paged(
                scope.events, number, per_page=paged.PER_PAGE, convert=paged.held_events
            )
        elif section == "practices":
            page, rows = _paged(scope.practices, number, per_page=paged.PER_PAGE, convert=list)
        else:
            page, rows = _paged(
                scope.outcome_cities,
                number,
                per_page=paged.CITIES_PER_PAGE,
                convert=paged.outcomes,
            )
    report_title = _programme_title(programme, year)
    return {
        "programme": programme,
        "year": year,
        "report_title": report_title,
        "section": section,
        "section_title": PROGRAMME_SECTIONS[section],
        "title": _section_title(PROGRAMME_SECTIONS[section], report_title),
        "page": page,
        "rows": rows,
        "attendance_chart": _attendance_chart(rows) if section == "events" else None,
    }


def city_section_context(slug: str, section: str, number) -> dict:
    """A page of one section of the city profile."""
    if section not in CITY_SECTIONS:
        raise Http404
    municipality = selectors.municipality_for_report(slug)
    if section == "grants":
        page, rows = _paged(
            paged.project_rows(paged.city_awards(municipality)),
            number,
            per_page=paged.PER_PAGE,
            convert=lambda rows: paged.projects(rows, city=municipality),
        )
    elif section == "practices":
        page, rows = _paged(
            paged.city_practices(municipality), number, per_page=paged.PER_PAGE, convert=list
        )
    else:
        page, rows = _paged(
            paged.city_events(municipality),
            number,
            per_page=paged.PER_PAGE,
            convert=paged.held_events,
        )
    report_title = _city_title(municipality)
    return {
        "municipality": municipality,
        "report_title": report_title,
        "section": section,
        "section_title": CITY_SECTIONS[section],
        "title": _section_title(CITY_SECTIONS[section], report_title),
        "page": page,
        "rows": rows,
        "attendance_chart": _attendance_chart(rows) if section == "events" else None,
    }


def context(kind: str, subject: str, year: int = 0) -> dict:
    if kind == ReportKind.PROGRAMME:
        return programme_context(subject, year)
    return city_context(subject)


def pdf_template(kind: str) -> str:
    return f"reports/pdf/{kind}.html"
