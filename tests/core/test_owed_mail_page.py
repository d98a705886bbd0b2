"""The secretariat's page of mail owed (`/mail/`): it lists what is not sent yet and what failed,
names each mail's kind and the record it is about (never its text), and sends a mail, or every
owed mail, again at once through the same `core.outbox.deliver` that `safecities sendmail`
uses."""

import pytest
from django.core import mail
from django.urls import reverse

from safecities.core import outbox
from safecities.core.models import OwedMail
from safecities.network import services as network
from tests.mailserver import refusing, unreachable_smtp
from tests.network.factories import submit_city

PAGE = reverse("core:mail")


@pytest.fixture
def decided(demo, coordinator, secretariat):
    """Drammen's application, received and approved: two mails owed (the test's transaction
    never commits, so neither went), the decision after one failed attempt."""
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    network.approve_application(actor=secretariat, application=application)
    decision = OwedMail.objects.get(kind="network.application_decided", args=[application.pk])
    with unreachable_smtp():
        assert outbox.deliver(decision.pk, report=False).startswith("ConnectionRefusedError")
    mail.outbox.clear()
    return application


def _row(html: str, pk: int) -> str:
    start = html.index(f'id="mail-{pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_secretariat_sees_what_is_owed_and_what_failed(decided, secretariat_client):
    receipt = OwedMail.objects.get(kind="network.application_received", args=[decided.pk])
    decision = OwedMail.objects.get(kind="network.application_decided", args=[decided.pk])
    response = secretariat_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    row = _row(html, decision.pk)
    assert "Membership application decided" in row  # the kind in words
    detail = reverse("network:application-detail", args=[decided.pk])
    assert f'href="{detail}"' in row and f"Membership application {decided.pk}" in row
    assert "ConnectionRefusedError" in row  # the last error
    assert "<td>1</td>" in row  # one attempt
    assert "Send again now" in row
    assert "Membership application received" in _row(html, receipt.pk)
    assert "2 mails are owed now." in html
    assert "Send all owed now" in html
    assert "Drammen" not in html.split('id="mail-heading"')[1]  # no mail text, only the record

    failed = secretariat_client.get(PAGE + "?status=failed").content.decode()
    assert f'id="mail-{decision.pk}"' in failed and f'id="mail-{receipt.pk}"' not in failed


def test_a_retry_with_a_working_server_sends_and_marks_sent(decided, secretariat_client):
    decision = OwedMail.objects.get(kind="network.application_decided", args=[decided.pk])
    url = reverse("core:mail-send", args=[decision.pk])
    response = secretariat_client.post(url, {"query": "status=failed"}, follow=True)
    assert response.redirect_chain == [(PAGE + "?status=failed", 302)]
    assert f"Mail {decision.pk} was sent." in response.content.decode()
    decision.refresh_from_db()
    assert (decision.status, decision.attempts, decision.error) == ("sent", 2, "")
    assert decision.sent_at is not None
    assert len(mail.outbox) == 1 and "Drammen" in mail.outbox[0].subject + mail.outbox[0].body
    # sent: a second press sends nothing more
    secretariat_client.post(url)
    assert len(mail.outbox) == 1


def test_a_retry_with_a_failing_server_stays_owed_and_shows_the_error(decided, secretariat_client):
    decision = OwedMail.objects.get(kind="network.application_decided", args=[decided.pk])
    with refusing(decided.contact_email):
        response = secretariat_client.post(
            reverse("core:mail-send", args=[decision.pk]), follow=True
        )
    html = response.content.decode()
    assert f"Mail {decision.pk} could not be sent; it stays owed: SMTPRecipientsRefused" in html
    decision.refresh_from_db()
    assert (decision.status, decision.attempts) == ("owed", 2)
    assert decision.error.startswith("SMTPRecipientsRefused")
    assert "SMTPRecipientsRefused" in _row(html, decision.pk)  # the row shows the new error
    assert mail.outbox == []


def test_send_all_owed_now(decided, secretariat_client):
    with refusing(decided.contact_email):  # the decision goes to the contact; the receipt too
        response = secretariat_client.post(reverse("core:mail-send-all"), follow=True)
    html = response.content.decode()
    assert "2 mails could not be sent; they stay owed" in html
    assert OwedMail.objects.filter(status="owed").count() == 2

    response = secretariat_client.post(reverse("core:mail-send-all"), follow=True)
    html = response.content.decode()
    assert "2 owed mails were sent." in html
    assert not OwedMail.objects.filter(status="owed").exists()
    assert "No mail is owed: everything the platform had to send has gone out." in html
    assert "Send all owed now" not in html
    sent = secretariat_client.get(PAGE + "?status=sent&sort=-since").content.decode()
    assert f"Membership application {decided.pk}" in sent


def test_a_mail_about_a_record_gone_is_named_without_a_link(decided, secretariat_client):
    pk = decided.pk
    decided.delete()
    html = secretariat_client.get(PAGE).content.decode()
    assert f"Membership application {pk} (no longer exists)" in html
    assert reverse("network:application-detail", args=[pk]) not in html


@pytest.mark.parametrize("client_name", ["member_client", "coordinator_client", "funder_client"])
def test_other_roles_may_neither_see_nor_send(decided, request, client_name):
    client = request.getfixturevalue(client_name)
    decision = OwedMail.objects.get(kind="network.application_decided", args=[decided.pk])
    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("core:mail-send", args=[decision.pk])).status_code == 403
    assert client.post(reverse("core:mail-send-all")).status_code == 403
    decision.refresh_from_db()
    assert decision.attempts == 1 and mail.outbox == []


def test_anonymous_visitors_are_sent_to_login(decided, client):
    decision = OwedMail.objects.get(kind="network.application_decided", args=[decided.pk])
    for response in (
        client.get(PAGE),
        client.post(reverse("core:mail-send", args=[decision.pk])),
        client.post(reverse("core:mail-send-all")),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    decision.refresh_from_db()
    assert decision.attempts == 1


def test_the_secretariat_navigation_links_the_page(secretariat_client, coordinator_client):
    assert f'href="{PAGE}"' in secretariat_client.get(reverse("core:audit")).content.decode()
    assert f'href="{PAGE}"' not in coordinator_client.get("/").content.decode()


def test_the_page_reads_a_fixed_number_of_queries(
    demo, coordinator, secretariat_client, django_assert_max_num_queries
):
    from safecities.events.models import Event, Registration

    registration = Registration.objects.select_related("event").order_by("pk").first()
    for _ in range(20):  # mails about applications (gone since) and about events
        application = submit_city(actor=coordinator, municipality=demo.drammen)
        application.delete()  # a city applies once at a time
        outbox.owe("events.event_cancelled", registration.event_id, registration.pk)
        outbox.owe("events.place_freed", registration.pk)
    assert Event.objects.filter(pk=registration.event_id).exists()
    with django_assert_max_num_queries(12):
        response = secretariat_client.get(PAGE)
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="mail-') == 50  # a page of 50


def test_a_mail_that_went_out_is_tagged_sent_and_never_owed_again(decided, secretariat_client):
    """The page tags a mail by the owed mail's workflow (`core.mail_states.MAIL`); a mail sent
    is final: no run marks it dropped or owed afterwards."""
    from safecities.core.mail_states import MAIL

    decision = OwedMail.objects.get(kind="network.application_decided", args=[decided.pk])
    assert outbox.deliver(decision.pk) is None
    decision.refresh_from_db()
    assert decision.status == "sent" and MAIL.is_final(decision.status)
    assert not MAIL.may_move(decision, OwedMail.Status.OWED)
    moved = MAIL.move_all(OwedMail.objects.filter(pk=decision.pk), OwedMail.Status.DROPPED)
    assert moved == 0
    decision.refresh_from_db()
    assert decision.status == "sent"

    row = _row(
        secretariat_client.get(PAGE + "?status=sent&sort=last").content.decode(), decision.pk
    )
    assert 'data-color="success"' in row and ">sent</span>" in row
    assert "Send again now" not in row
