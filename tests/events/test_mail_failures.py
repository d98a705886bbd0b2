"""Events' mails when the mail server fails: the registration, the promotion from the waiting
list and the cancellation stand, the page says what it says after any such action, and each
mail stays owed until `safecities sendmail` sends it."""

from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from safecities.core.models import OwedMail
from safecities.events import services
from safecities.events.models import Registration
from tests.events.conftest import people
from tests.mailserver import refusing, unreachable_smtp


def _sendmail() -> int:
    try:
        call_command("sendmail", stdout=StringIO(), stderr=StringIO())
    except CommandError as exc:
        return exc.returncode
    return 0


def _owed(kind: str, *args) -> OwedMail:
    return OwedMail.objects.get(kind=kind, args=list(args))


def test_a_promotion_stands_when_its_mail_fails_and_the_mail_goes_later(
    client_for, summit, member, django_capture_on_commit_callbacks
):
    first, *others = people(3)
    with django_capture_on_commit_callbacks(execute=True):  # their confirmations go
        services.register(actor=member, event=summit)
        for person in others + [first]:
            services.register(actor=person, event=summit)
    waiting = Registration.objects.get(event=summit, user=first)
    client = client_for(member)
    mail.outbox.clear()
    with unreachable_smtp(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:unregister", args=[summit.pk]), follow=True)
    assert response.status_code == 200
    assert "Your registration is cancelled." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "registered"  # the place is theirs, mail or no mail
    owed = _owed("events.place_freed", waiting.pk)
    assert (owed.status, owed.attempts) == ("owed", 1)
    assert owed.error.startswith("ConnectionRefusedError")
    assert mail.outbox == []

    assert _sendmail() == 0  # the server is back
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([first.email], "A place for you: Nordic Safe Cities Summit")
    ]
    assert mail.outbox[0].attachments[0][0] == "event.ics"
    owed.refresh_from_db()
    assert owed.status == "sent"


def test_a_registration_stands_when_its_confirmation_fails(
    client_for, summit, member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with refusing(member.email), django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("events:register", args=[summit.pk]), {}, follow=True
        )
    assert response.status_code == 200
    registration = Registration.objects.get(event=summit, user=member)
    assert registration.status == "registered"
    owed = _owed("events.registration_received", registration.pk)
    assert owed.status == "owed" and "SMTPRecipientsRefused" in owed.error
    assert _sendmail() == 0
    assert [m.subject for m in mail.outbox] == ["You are registered: Nordic Safe Cities Summit"]


def test_a_cancelled_event_tells_everyone_the_server_takes_and_owes_the_rest(
    summit, secretariat, django_capture_on_commit_callbacks
):
    users = people(3)
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.register(actor=u, event=summit) for u in users]
    mail.outbox.clear()
    with refusing(users[0].email), django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(actor=secretariat, event=summit, reason="The venue burnt down.")
    summit.refresh_from_db()
    assert summit.status == "cancelled"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users[1:])
    refused = _owed("events.event_cancelled", summit.pk, registrations[0].pk)
    assert refused.status == "owed"
    assert _sendmail() == 0
    assert mail.outbox[-1].to == [users[0].email]
    assert mail.outbox[-1].subject.startswith("Cancelled:")
    assert "The venue burnt down." in mail.outbox[-1].body


def test_a_confirmation_still_owed_when_the_registration_is_cancelled_is_dropped(
    summit, member, django_capture_on_commit_callbacks
):
    with unreachable_smtp(), django_capture_on_commit_callbacks(execute=True):
        registration = services.register(actor=member, event=summit)
    services.cancel_registration(actor=member, registration=registration)
    mail.outbox.clear()
    assert _sendmail() == 0
    assert mail.outbox == []  # no "you are registered" for a place given up
    owed = _owed("events.registration_received", registration.pk)
    assert owed.status == "dropped" and "cancelled" in owed.error
