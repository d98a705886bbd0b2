"""Report reminders when the mail server fails: a reminder is marked sent only once its mail
went out, one failure does not stop the others, and `safecities remindreports` names each
failure on one line and exits with status 1, without a traceback."""

from datetime import date
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command

from safecities.core.models import AuditEvent
from safecities.grants import notifications
from safecities.grants.models import GrantReport
from tests.mailserver import refusing, unreachable_smtp


def _due():
    """The demo's reports still due (for Oslo's coordinator and for Kristiansand's), and a day
    on which every one of them is within the reminder's two weeks."""
    reports = list(GrantReport.objects.filter(status=GrantReport.Status.DUE).order_by("pk"))
    recipients = {r.pk: notifications.addresses(notifications.reminded(r)) for r in reports}
    assert {"coordinator@example.org"} < {a for to in recipients.values() for a in to}
    return reports, recipients, max(r.due_on for r in reports).isoformat()


def _run(*args) -> tuple[int, str, str]:
    """`safecities remindreports`: its exit status, standard output and error. A command
    that fails raises `CommandError`, which `manage.py` prints as one line (no traceback)
    before exiting with its `returncode`."""
    out, err = StringIO(), StringIO()
    try:
        call_command("remindreports", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_an_unreachable_mail_server_leaves_every_reminder_due_for_the_next_run(demo):
    reports, recipients, today = _due()
    mail.outbox.clear()
    with unreachable_smtp():
        code, out, err = _run("--today", today)
    assert code == 1
    assert "0 reminder(s) sent." in out
    assert "Traceback" not in err and "gaierror" not in err
    lines = [line for line in err.splitlines() if line.startswith("Reminder for")]
    assert len(lines) == len(reports)
    for report, line in zip(reports, lines, strict=True):
        assert f"(report {report.pk}, due {report.due_on.isoformat()})" in line
        assert ", ".join(recipients[report.pk]) in line
        assert "not sent: ConnectionRefusedError" in line
    assert f"{len(reports)} reminder(s) not sent; they stay due for the next run." in err
    assert not GrantReport.objects.filter(pk__in=[r.pk for r in reports], reminded_at__isnull=False)
    assert not AuditEvent.objects.filter(action="grants.report.remind").exists()

    code, out, err = _run("--today", today)  # the server is back
    assert code == 0
    assert f"{len(reports)} reminder(s) sent." in out
    assert err == ""
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        a for to in recipients.values() for a in to
    )
    assert not GrantReport.objects.filter(pk__in=[r.pk for r in reports], reminded_at=None)
    assert AuditEvent.objects.filter(action="grants.report.remind").count() == len(reports)

    code, out, _ = _run("--today", today)  # and nobody is reminded twice in a week
    assert (code, out.strip()) == (0, "0 reminder(s) sent.")


def test_one_refused_reminder_does_not_stop_the_others(demo):
    reports, recipients, today = _due()
    refused = [r.pk for r in reports if "coordinator@example.org" in recipients[r.pk]]
    others = [r.pk for r in reports if r.pk not in refused]
    assert refused and others
    mail.outbox.clear()
    with refusing("coordinator@example.org"):
        code, out, err = _run("--today", today)
    assert code == 1
    assert f"{len(others)} reminder(s) sent." in out
    failures = [line for line in err.splitlines() if line.startswith("Reminder for")]
    assert [int(line.split("(report ")[1].split(",")[0]) for line in failures] == refused
    assert all("SMTPRecipientsRefused" in line for line in failures)
    assert all(len(line.splitlines()) == 1 for line in failures)
    reminded = set(
        GrantReport.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True)
    )
    assert reminded == set(others)
    assert "coordinator@example.org" not in {a for m in mail.outbox for a in m.to}


def test_the_service_reports_what_went_and_what_did_not(demo):
    reports, _, today = _due()
    with refusing("kristiansand@example.org"):
        done = services_run(date.fromisoformat(today))
    assert done.sent + len(done.failed) == len(reports)
    assert len(done.failed) == 1 and "kristiansand@example.org" in done.failed[0]


def services_run(today):
    from safecities.grants import services

    return services.send_report_reminders(today=today)
