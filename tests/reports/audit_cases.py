"""Audit cases for the reports' services, merged into the table of tests/core/test_audit.py:
(prepare(demo) -> object or None, act(demo, prepared), expected action, changed fields)."""

from datetime import timedelta

from django.utils import timezone

from safecities.reports import services

REPORTS_SERVICES_MODULE = services
REPORTS_READS: set[str] = set()


def _asked(demo):
    return services.request_pdf(
        actor=demo.users["member"], kind="city", subject="oslo", year=0, language="en"
    )


def _running_long_ago(demo):
    asked = _asked(demo)
    long_ago = timezone.now() - timedelta(days=1)
    type(asked).objects.filter(pk=asked.pk).update(status="running", progressed_at=long_ago)
    asked.refresh_from_db()
    return asked


REPORTS_CASES = {
    "safecities.reports.services.fail_if_stalled": (
        _running_long_ago,
        lambda d, asked: services.fail_if_stalled(asked),
        "reports.pdf.stalled",
        {"status"},
    ),
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
