"""Records of mail sent or dropped are deleted after SAFECITIES_SENT_MAIL_DAYS; mail still owed
is never deleted, however old (the `sent-mail` rule of `safecities retention`)."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safecities.core import retention
from safecities.core.models import OwedMail


def _mail(status: str, *, days_ago: int, attempted: bool = True) -> OwedMail:
    at = timezone.now() - timedelta(days=days_ago)
    return OwedMail.objects.create(
        kind="network.application_decided",
        args=[1],
        status=status,
        attempts=1 if attempted else 0,
        created_at=at,
        attempted_at=at if attempted else None,
        sent_at=at if status == "sent" else None,
    )


def test_only_old_sent_and_dropped_mail_is_deleted(db, settings):
    settings.SENT_MAIL_DAYS = 30
    OwedMail.objects.all().delete()
    old_sent = _mail("sent", days_ago=31)
    old_dropped = _mail("dropped", days_ago=45)
    old_never_tried_dropped = _mail("dropped", days_ago=40, attempted=False)
    kept = {
        _mail("sent", days_ago=29).pk,  # sent recently
        _mail("dropped", days_ago=2).pk,
        _mail("owed", days_ago=400).pk,  # owed: work not done, never deleted
        _mail("owed", days_ago=400, attempted=False).pk,
    }
    assert retention.delete_old_mail_records(timezone.now()) == 3
    assert set(OwedMail.objects.values_list("pk", flat=True)) == kept
    for gone in (old_sent, old_dropped, old_never_tried_dropped):
        assert not OwedMail.objects.filter(pk=gone.pk).exists()


def test_the_period_is_a_setting_and_the_command_runs_the_rule(db, settings):
    settings.SENT_MAIL_DAYS = 7
    OwedMail.objects.all().delete()
    _mail("sent", days_ago=8)
    _mail("sent", days_ago=6)
    out = StringIO()
    call_command("retention", "--rule", "sent-mail", stdout=out)
    assert out.getvalue() == "sent-mail: 1 erased (SAFECITIES_SENT_MAIL_DAYS: 7 days)\n"
    assert OwedMail.objects.count() == 1


def test_the_privacy_page_lists_the_rule(client, db, settings):
    settings.SENT_MAIL_DAYS = 45
    text = client.get(reverse("core:privacy")).content.decode()
    assert "Records that a mail was sent or dropped" in text
    assert "45 days" in text
