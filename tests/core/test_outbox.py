"""Mail a business action owes (`core.outbox`): the action commits with the fact that a mail
is owed; a mail server that fails leaves the action done and the mail owed, logged; and
`safecities sendmail` sends it once the server is back, one line per mail that fails again."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from safecities.core import outbox
from safecities.core.models import OwedMail
from safecities.network.models import Membership, MembershipApplication
from tests.mailserver import refusing, unreachable_smtp
from tests.network.factories import submit_city


def _sendmail() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("sendmail", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + f"CommandError: {exc}\n"
    return 0, out.getvalue(), err.getvalue()


def test_a_decision_stands_when_its_mail_fails_and_the_mail_goes_later(
    demo, coordinator, secretariat, client_for, django_capture_on_commit_callbacks, caplog
):
    assert outbox.owed_count() == 0  # the demo's own mails went when it was loaded
    with django_capture_on_commit_callbacks(execute=True):  # its receipt goes
        application = submit_city(actor=coordinator, municipality=demo.drammen)
    mail.outbox.clear()
    url = reverse("network:application-approve", args=[application.pk])
    with (
        unreachable_smtp(),
        caplog.at_level(logging.WARNING, logger="safecities.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(secretariat).post(url)
    assert response.status_code == 302  # the page goes on as after any decision
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert Membership.objects.filter(municipality=demo.drammen, status="active").exists()
    owed = OwedMail.objects.get(kind="network.application_decided", status="owed")
    assert owed.args == [application.pk]
    assert (owed.status, owed.attempts) == ("owed", 1)
    assert owed.error.startswith("ConnectionRefusedError")
    assert f"mail {owed.pk} (network.application_decided {application.pk}) not sent" in caplog.text
    assert "Traceback" not in caplog.text
    assert mail.outbox == []

    with unreachable_smtp():  # still down: one line, status 1, still owed
        code, out, err = _sendmail()
    assert code == 1
    assert "0 owed mail(s) sent." in out
    assert f"mail {owed.pk} (network.application_decided {application.pk}) not sent: " in err
    assert "Traceback" not in err
    assert "1 mail(s) not sent; they stay owed for the next run." in err
    owed.refresh_from_db()
    assert (owed.status, owed.attempts) == ("owed", 2)

    assert _sendmail()[:2] == (0, "1 owed mail(s) sent.\n")  # the server is back
    owed.refresh_from_db()
    assert owed.status == "sent" and owed.sent_at is not None and owed.error == ""
    assert [set(m.to) for m in mail.outbox] == [{"kari@example.net", coordinator.email}]
    assert "Drammen" in mail.outbox[0].subject + mail.outbox[0].body
    assert _sendmail()[:2] == (0, "0 owed mail(s) sent.\n")  # sent once


def test_an_action_that_rolls_back_owes_nothing(demo, coordinator):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_city(actor=coordinator, municipality=demo.drammen)
        assert OwedMail.objects.filter(kind="network.application_received").exists()
        raise RuntimeError("the action failed")
    assert not OwedMail.objects.filter(status="owed").exists()


def test_one_refused_mail_does_not_stop_the_others(demo, coordinator, secretariat):
    from safecities.network import services

    application = submit_city(actor=coordinator, municipality=demo.drammen)
    services.approve_application(actor=secretariat, application=application)
    # neither mail went yet (the test's transaction never commits): both are owed, oldest first
    assert list(OwedMail.objects.filter(status="owed").values_list("kind", "status")) == [
        ("network.application_received", "owed"),
        ("network.application_decided", "owed"),
    ]
    mail.outbox.clear()
    with refusing(coordinator.email):  # the decision goes to the coordinator too
        code, out, err = _sendmail()
    assert code == 1 and "1 owed mail(s) sent." in out
    failures = [line for line in err.splitlines() if " not sent: " in line]
    assert len(failures) == 1
    assert (
        f"(network.application_decided {application.pk}) not sent: SMTPRecipientsRefused"
        in (failures[0])
    )
    assert [m.to for m in mail.outbox] == [["kari@example.net"]]  # the receipt went
    assert dict(
        OwedMail.objects.filter(
            args=[application.pk], kind__startswith="network.application"
        ).values_list("kind", "status")
    ) == {"network.application_received": "sent", "network.application_decided": "owed"}


def test_a_mail_about_something_gone_is_dropped_not_retried_for_ever(demo, coordinator):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    MembershipApplication.objects.filter(pk=application.pk).delete()
    assert _sendmail()[:2] == (0, "0 owed mail(s) sent.\n")
    owed = OwedMail.objects.get(kind="network.application_received", args=[application.pk])
    assert owed.status == "dropped" and "DoesNotExist" in owed.error


def test_owing_an_unknown_mail_is_a_programming_error(db):
    with pytest.raises(LookupError):
        outbox.owe("network.no_such_mail", 1)
