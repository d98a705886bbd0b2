"""Mail the network sends. Called after commit, with ids, in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from safecities.core import outbox

from .models import MembershipApplication


def _absolute(path: str) -> str:
    """A link a mail reader can follow: the site's address and the path."""
    return settings.SITE_URL.rstrip("/") + path


def application_decided(application_id: int) -> None:
    application = MembershipApplication.objects.select_related(
        "submitted_by", "municipality", "organisation", "person"
    ).get(pk=application_id)
    recipients = {application.contact_email}
    language = settings.LANGUAGE_CODE
    if application.submitted_by:
        recipients.add(application.submitted_by.email)
        language = application.submitted_by.preferred_language
    with translation.override(language):
        context = {
            "application": application,
            "url": _absolute(reverse("network:application-detail", args=[application.pk])),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("network/mail/application_decided_subject.txt", context)
        body = render_to_string("network/mail/application_decided.txt", context)
    send_mail(" ".join(subject.split()), body, None, sorted(r for r in recipients if r))


def application_received(application_id: int) -> None:
    application = MembershipApplication.objects.select_related("submitted_by").get(
        pk=application_id
    )
    language = (
        application.submitted_by.preferred_language
        if application.submitted_by
        else settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {
            "application": application,
            "url": _absolute(reverse("network:application-detail", args=[application.pk])),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("network/mail/application_received_subject.txt", context)
        body = render_to_string("network/mail/application_received.txt", context)
    send_mail(" ".join(subject.split()), body, None, [application.contact_email])


def register() -> None:
    """The mails the network owes, for `core.outbox`."""

    def page(application: MembershipApplication) -> str:
        return reverse("network:application-detail", args=[application.pk])

    labels = {
        application_received: _("Membership application received"),
        application_decided: _("Membership application decided"),
    }
    for send, label in labels.items():
        outbox.register(
            f"network.{send.__name__}",
            send,
            label=label,
            record=MembershipApplication,
            link=page,
        )
