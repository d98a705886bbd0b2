"""Helpers for asserting that a refused action changed nothing."""

import signal
import sqlite3
import threading
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


def current_code(user) -> str:
    """The code the user's authenticator app shows now, computed from the device's key.

    The device forgets the last step it accepted, so one test may sign the same person in more
    than once within 30 seconds (a real app waits for the next code instead).
    """
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:  # a person made by a test: give them an authenticator key first
        from safecities.core import two_factor

        device, _codes = two_factor.add_device(actor=user, key_hex=two_factor.new_key())
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0, throttling_failure_count=0)
    return f"{totp(device.bin_key):06d}"


def sign_in(client, user):
    """Sign `client` in as `user`; for people with two-factor sign-in, through its code page."""
    from django.urls import reverse

    from safecities.core import two_factor

    client.force_login(user)
    if two_factor.required(user) or two_factor.has_device(user):
        response = client.post(reverse("core:two-factor"), {"code": current_code(user)})
        assert response.status_code == 302, "the second sign-in step refused the current code"
    return client


@contextmanager
def locked_database(table: str = "django_session"):
    """The database (SQLite) or `table` (PostgreSQL) locked by another connection, as a long
    writer would hold it; this thread's connection waits 0.2 s at most for it. Yields a
    function that lets the lock go before the block ends."""
    from django.db import connection

    if connection.vendor == "sqlite":
        holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        connection.close()
        options = connection.settings_dict["OPTIONS"]
        saved = options.get("timeout")
        options["timeout"] = 0.2

        def release():
            if holder.in_transaction:
                holder.execute("ROLLBACK")

        try:
            yield release
        finally:
            release()
            holder.close()
            connection.close()
            options["timeout"] = saved
        return
    ready, let_go = threading.Event(), threading.Event()

    def hold():
        from django.db import connections, transaction

        try:
            with transaction.atomic():
                with connections["default"].cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
                ready.set()
                let_go.wait(timeout=60)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert ready.wait(timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")

    def release():
        let_go.set()
        thread.join(timeout=60)

    try:
        yield release
    finally:
        release()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
