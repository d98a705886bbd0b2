"""Audit cases for the reports' services, merged into the table of tests/core/test_audit.py:
(prepare(demo) -> object or None, act(demo, prepared), expected action, changed fields)."""

from safecities.reports import services

REPORTS_SERVICES_MODULE = services
REPORTS_READS: set[str] = set()


def _asked(demo):
    return services.request_pdf(
        actor=demo.users["member"], kind="city", subject="oslo", year=0, language="en"
    )


REPORTS_CASES = {
    "safecities.reports.services.request_pdf": (
        None,
        lambda d, _: _asked(d),
        "reports.pdf.request",
        {"status"},
    ),
    "safecities.reports.services.build_pdf": (
        _asked,
        lambda d, asked: services.build_pdf(asked.pk),
        "reports.pdf.build",
        {"status"},
    ),
}
