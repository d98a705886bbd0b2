"""Report pages under /reports/: the index, a programme's year, a city's profile, and their
PDFs, built in the background with their progress shown."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from safecities.core.permissions import public
from safecities.core.refusals import refusals
from safecities.grants.selectors import programme_choices

from . import documents, selectors, services
from .models import ReportKind


def _year(year: int) -> int:
    if not selectors.EARLIEST_YEAR <= year <= selectors.LATEST_YEAR:
        raise Http404
    return year


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@public
def index(request):
    return render(
        request,
        "reports/index.html",
        {
            "programmes": [(p, p.years) for p in programme_choices()],
            "cities": list(selectors.member_cities()),
        },
    )


def _page(request, kind: str, subject: str, year: int, template: str, pdf_url: str):
    if kind == ReportKind.PROGRAMME:
        context = documents.programme_page_context(subject, year)
    else:
        context = documents.city_page_context(subject)
    pdf_file = selectors.current_file(kind, subject=subject, year=year, language=_language())
    context["pdf_file"] = services.fail_if_stalled(pdf_file) if pdf_file else None
    context["pdf_url"] = pdf_url
    return render(request, template, context)


@public
def programme(request, slug: str, year: int):
    pdf_url = reverse("reports:programme-pdf", args=[slug, _year(year)])
    return _page(request, ReportKind.PROGRAMME, slug, year, "reports/programme.html", pdf_url)


@public
def city(request, slug: str):
    pdf_url = reverse("reports:city-pdf", args=[slug])
    return _page(request, ReportKind.CITY, slug, 0, "reports/city.html", pdf_url)


@public
def programme_section(request, slug: str, year: int, section: str):
    context = documents.programme_section_context(
        slug, _year(year), section, request.GET.get("page")
    )
    context["report_url"] = reverse("reports:programme", args=[slug, year])
    return render(request, "reports/section.html", context)


@public
def city_section(request, slug: str, section: str):
    context = documents.city_section_context(slug, section, request.GET.get("page"))
    context["report_url"] = reverse("reports:city", args=[slug])
    return render(request, "reports/section.html", context)


def _ask_for_pdf(request, kind: str, subject: str, year: int, back: str):
    with refusals(request) as outcome:
        report_file = services.request_pdf(
            actor=request.user, kind=kind, subject=subject, year=year, language=_language()
        )
    if not outcome.ok:
        return redirect(back)
    return redirect("reports:build", pk=report_file.pk)


@public
@require_POST
def programme_pdf(request, slug: str, year: int):
    back = reverse("reports:programme", args=[slug, _year(year)])
    return _ask_for_pdf(request, ReportKind.PROGRAMME, slug, year, back)


@public
@require_POST
def city_pdf(request, slug: str):
    return _ask_for_pdf(request, ReportKind.CITY, slug, 0, reverse("reports:city", args=[slug]))


def _report_url(report_file) -> str:
    if report_file.kind == ReportKind.PROGRAMME:
        return reverse("reports:programme", args=[report_file.subject, report_file.year])
    return reverse("reports:city", args=[report_file.subject])


def _pdf_url(report_file) -> str:
    if report_file.kind == ReportKind.PROGRAMME:
        return reverse("reports:programme-pdf", args=[report_file.subject, report_file.year])
    return reverse("reports:city-pdf", args=[report_file.subject])


@public
def build(request, pk: int):
    report_file = services.fail_if_stalled(selectors.report_file(pk))
    context = {
        "file": report_file,
        "title": documents.title(report_file.kind, report_file.subject, report_file.year),
        "language": report_file.get_language_display(),
        "report_url": _report_url(report_file),
        "pdf_url": _pdf_url(report_file),
        "self_url": reverse("reports:build", args=[pk]),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/_build_status.html", context)
    return render(request, "reports/build.html", context)


@public
def file(request, pk: int):
    report_file = selectors.report_file(pk)
    if not report_file.ready:
        raise Http404
    year = f"-{report_file.year}" if report_file.year else ""
    name = f"{report_file.subject}{year}-{report_file.language}.pdf"
    return FileResponse(report_file.pdf.open("rb"), content_type="application/pdf", filename=name)


urlpatterns = [
    path("", index, name="index"),
    path("programmes/<slug:slug>/<int:year>/", programme, name="programme"),
    path("programmes/<slug:slug>/<int:year>/pdf/", programme_pdf, name="programme-pdf"),
    path(
        "programmes/<slug:slug>/<int:year>/<slug:section>/",
        programme_section,
        name="programme-section",
    ),
    path("cities/<slug:slug>/", city, name="city"),
    path("cities/<slug:slug>/pdf/", city_pdf, name="city-pdf"),
    path("cities/<slug:slug>/<slug:section>/", city_section, name="city-section"),
    path("pdf/<int:pk>/", build, name="build"),
    path("pdf/<int:pk>/file/", file, name="file"),
]
