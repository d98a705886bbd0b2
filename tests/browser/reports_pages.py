"""The reports' pages for the axe-core sweep (tests/browser/test_every_page.py): per role,
lambdas returning paths of GET pages (reports are public: everyone reads the same pages)."""

from django.urls import reverse

from safecities.reports import services
from safecities.reports.models import ReportFile

PROGRAMME = "safe-cities-norway-2024-2026"


def _built() -> int:
    """A city profile's PDF, built by the service (the build page then offers the download)."""
    report_file = ReportFile.objects.filter(subject="oslo", status="done").first()
    if report_file is None:
        report_file = services.request_pdf(
            actor=None, kind="city", subject="oslo", year=0, language="en"
        )
        services.build_pdf(report_file.pk)
    return report_file.pk


def _queued() -> int:
    """A programme report's PDF waiting for the worker: the progress bar."""
    return services.request_pdf(
        actor=None, kind="programme", subject=PROGRAMME, year=2024, language="sv"
    ).pk


PAGES = {
    "anonymous": [
        lambda: reverse("reports:index"),
        lambda: reverse("reports:programme", args=[PROGRAMME, 2025]),
        lambda: reverse("reports:programme", args=[PROGRAMME, 2019]),  # a year without data
        lambda: reverse("reports:city", args=["oslo"]),
        lambda: reverse("reports:city", args=["kristiansand"]),
        lambda: reverse("reports:programme-section", args=[PROGRAMME, 2025, "projects"]),
        lambda: reverse("reports:programme-section", args=[PROGRAMME, 2025, "outcomes"]),
        lambda: reverse("reports:programme-section", args=[PROGRAMME, 2019, "events"]),  # empty
        lambda: reverse("reports:city-section", args=["oslo", "grants"]),
        lambda: reverse("reports:city-section", args=["oslo", "events"]),
        lambda: reverse("reports:build", args=[_built()]),
        lambda: reverse("reports:build", args=[_queued()]),
    ],
    "secretariat": [
        lambda: reverse("reports:programme", args=["safe-cities-norway-2020-2023", 2022]),
    ],
}
