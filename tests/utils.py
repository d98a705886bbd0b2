"""Helpers for asserting that a refused action changed nothing."""

import signal
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command


def row_counts() -> dict[str, int]:
    """Rows per model of our own apps."""
    return {
        model._meta.label: model.objects.count()
        for app in (
            "core",
            "network",
            "charter",
            "grants",
            "indicators",
            "plans",
            "practices",
            "events",
            "reports",
            "search",
        )
        for model in apps.get_app_config(app).get_models()
    }


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@contextmanager
def unchanged():
    """Assert that the block leaves every table's row count and the stored files as they were."""
    before, files = row_counts(), stored_files()
    yield
    assert row_counts() == before
    assert stored_files() == files


def remove_demo_plans_and_indicators() -> None:
    """Take the demo's plans and indicators out, inside the running test's transaction (it is
    rolled back after the test), for tests that build their own from nothing."""
    from safecities.core.models import AuditEvent
    from safecities.indicators import models as indicators
    from safecities.plans import models as plans

    for model in (
        plans.MeasureIndicator,
        plans.ProgressUpdate,
        plans.Measure,
        plans.PlanSection,
        plans.ActionPlan,
        plans.TemplateSection,
        plans.PlanTemplate,
        indicators.ObservationRevision,
        indicators.Observation,
        indicators.Baseline,
        indicators.Target,
        indicators.Import,
        indicators.Indicator,
    ):
        model.objects.all().delete()
    AuditEvent.objects.filter(action__regex=r"^(indicators|plans)\.").delete()


def run_worker() -> None:
    """The real background worker (django-tasks' `db_worker`) until the queue is empty, its
    signal handlers put back after."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            verbosity=0,
        )
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
