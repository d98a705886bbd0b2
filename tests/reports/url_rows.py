"""The reports' pages in the permission walk (see tests/test_url_permissions.py). Reports are
public documents: every role reads them; asking for a PDF is a POST (a GET answers 405)."""

from django.core.files.base import ContentFile

from safecities.reports.models import ReportFile

EVERYONE = (200, 200, 200, 200, 200, 200, 200)
POST_ONLY = (405, 405, 405, 405, 405, 405, 405)


def _built(w) -> ReportFile:
    """A built city profile, its file written where the walk keeps its files."""
    report_file, created = ReportFile.objects.get_or_create(
        kind="city",
        subject="oslo",
        year=0,
        language="en",
        version="walk",
        defaults={"status": ReportFile.Status.DONE, "pages": 1},
    )
    if created:
        report_file.pdf.save("walk.pdf", ContentFile(b"%PDF-1.7 walk"), save=True)
    return report_file


# fmt: off
ROWS: dict = {
    #                         anon member coord contact review funder secretariat
    "reports:index":          EVERYONE,
    "reports:programme":      EVERYONE,
    "reports:programme-section": EVERYONE,
    "reports:programme-pdf":  POST_ONLY,
    "reports:city":           EVERYONE,
    "reports:city-section":   EVERYONE,
    "reports:city-pdf":       POST_ONLY,
    "reports:build":          EVERYONE,
    "reports:file":           EVERYONE,
}
# fmt: on

SAMPLE_KWARGS = {
    "reports:programme": lambda w: {"slug": "safe-cities-norway-2024-2026", "year": 2025},
    "reports:programme-pdf": lambda w: {"slug": "safe-cities-norway-2024-2026", "year": 2025},
    "reports:programme-section": lambda w: {
        "slug": "safe-cities-norway-2024-2026",
        "year": 2025,
        "section": "projects",
    },
    "reports:city": lambda w: {"slug": "oslo"},
    "reports:city-section": lambda w: {"slug": "oslo", "section": "grants"},
    "reports:city-pdf": lambda w: {"slug": "oslo"},
    "reports:build": lambda w: {"pk": _built(w).pk},
    "reports:file": lambda w: {"pk": _built(w).pk},
}
