"""Mail about grants. Called after commit, with ids, each recipient in their own language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from safecities.core import outbox
from safecities.network.models import Role

from .models import Agreement, Application, ChangeRequest, GrantReport, Review


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(users, template: str, context: dict) -> None:
    """One mail per language, rendered in that language, to the users who read it."""
    by_language: dict[str, set[str]] = {}
    for user in users:
        if user is not None and user.email and user.is_active:
            language = user.preferred_language or settings.LANGUAGE_CODE
            by_language.setdefault(language, set()).add(user.email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            context = {**context, "SITE_NAME": settings.SITE_NAME}
            subject = render_to_string(f"grants/mail/{template}_subject.txt", context)
            body = render_to_string(f"grants/mail/{template}.txt", context)
        send_mail(" ".join(subject.split()), body, None, sorted(emails))


def applicants(application: Application) -> list:
    """Who speaks for the lead applicant: its coordinators or contacts, and the author."""
    User = get_user_model()
    scope = Q(
        role_assignments__role=Role.COORDINATOR,
        role_assignments__municipality_id=application.lead_municipality_id,
    ) | Q(
        role_assignments__role=Role.ORGANISATION_CONTACT,
        role_assignments__organisation_id=application.lead_organisation_id,
    )
    users = list(User.objects.filter(scope).distinct())
    if application.created_by and application.created_by not in users:
        users.append(application.created_by)
    return users


def _funder_officers(application: Application) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            role_assignments__role=Role.FUNDER_OFFICER,
            role_assignments__organisation_id=application.call.programme.funder_id,
        ).distinct()
    )


def _application(pk: int) -> Application:
    return Application.objects.select_related(
        "call__programme", "lead_municipality", "lead_organisation", "created_by"
    ).get(pk=pk)


def _application_url(application: Application) -> str:
    return _absolute(reverse("grants:application", args=[application.pk]))


def application_submitted(application_id: int) -> None:
    application = _application(application_id)
    _send(
        applicants(application),
        "application_submitted",
        {"application": application, "url": _application_url(application)},
    )


def application_decided(application_id: int) -> None:
    """Invited to a full proposal, awarded or declined: the applicants are told."""
    application = _application(application_id)
    award = getattr(application, "award", None) if application.status == "awarded" else None
    _send(
        applicants(application),
        "application_decided",
        {"application": application, "award": award, "url": _application_url(application)},
    )


def reviewer_assigned(review_id: int) -> None:
    review = Review.objects.select_related("reviewer", "application__call").get(pk=review_id)
    _send(
        [review.reviewer],
        "reviewer_assigned",
        {
            "review": review,
            "call": review.application.call,
            "url": _absolute(reverse("grants:review", args=[review.pk])),
        },
    )


def _report(pk: int) -> GrantReport:
    return GrantReport.objects.select_related(
        "award__application__call__programme",
        "award__application__lead_municipality",
        "award__application__lead_organisation",
        "award__application__created_by",
    ).get(pk=pk)


def report_submitted(report_id: int) -> None:
    report = _report(report_id)
    _send(
        _funder_officers(report.award.application),
        "report_submitted",
        {"report": report, "url": _absolute(reverse("grants:report", args=[report.pk]))},
    )


def reminded(report: GrantReport) -> list:
    """Who a report reminder goes to: the award's applicants."""
    return applicants(report.award.application)


def addresses(users) -> list[str]:
    """The addresses `_send` writes to among `users`."""
    return sorted({u.email for u in users if u is not None and u.email and u.is_active})


def report_reminder(report_id: int) -> None:
    """Sent by `services.send_report_reminders` itself (not owed through the outbox): the
    report's `reminded_at` is set only once this returned, so a failure leaves it due."""
    report = _report(report_id)
    _send(
        reminded(report),
        "report_reminder",
        {"report": report, "url": _absolute(reverse("grants:report", args=[report.pk]))},
    )


def agreement_sent(agreement_id: int) -> None:
    """The programme sent the grant agreement: the lead's contacts are asked to accept it."""
    agreement = Agreement.objects.select_related(
        "award__application__call__programme",
        "award__application__lead_municipality",
        "award__application__lead_organisation",
        "award__application__created_by",
    ).get(pk=agreement_id)
    application = agreement.award.application
    _send(
        applicants(application),
        "agreement_sent",
        {
            "application": application,
            "award": agreement.award,
            "url": _absolute(reverse("grants:agreement", args=[agreement.award_id])),
        },
    )


def _change(pk: int) -> ChangeRequest:
    return ChangeRequest.objects.select_related(
        "award__application__call__programme",
        "award__application__lead_municipality",
        "award__application__lead_organisation",
        "award__application__created_by",
    ).get(pk=pk)


def _award_url(change: ChangeRequest) -> str:
    return _absolute(reverse("grants:award", args=[change.award_id]))


def change_requested(change_id: int) -> None:
    """The grantee asked for a change: those who run the programme are told."""
    change = _change(change_id)
    _send(
        _funder_officers(change.award.application),
        "change_requested",
        {"change": change, "url": _absolute(reverse("grants:change-decide", args=[change.pk]))},
    )


def change_withdrawn(change_id: int) -> None:
    change = _change(change_id)
    _send(
        _funder_officers(change.award.application),
        "change_withdrawn",
        {"change": change, "url": _award_url(change)},
    )


def change_decided(change_id: int) -> None:
    """Approved or declined: the grantee's lead is told."""
    change = _change(change_id)
    _send(
        applicants(change.award.application),
        "change_decided",
        {"change": change, "url": _award_url(change)},
    )


def register() -> None:
    """The mails grants owes, for `core.outbox` (report reminders are sent by their command)."""

    def application(application: Application) -> str:
        return reverse("grants:application", args=[application.pk])

    def _change_link(change: ChangeRequest) -> str:
        return reverse("grants:award", args=[change.award_id])

    kinds = {  # the mail, what it is called, the record its first id names, that record's page
        application_submitted: (_("Grant application submitted"), Application, application),
        application_decided: (_("Grant application decided"), Application, application),
        reviewer_assigned: (
            _("Reviewer assigned"),
            Review,
            lambda review: reverse("grants:application", args=[review.application_id]),
        ),
        agreement_sent: (
            _("Grant agreement sent"),
            Agreement,
            lambda agreement: reverse("grants:agreement", args=[agreement.award_id]),
        ),
        report_submitted: (
            _("Grant report submitted"),
            GrantReport,
            lambda report: reverse("grants:report", args=[report.pk]),
        ),
        change_requested: (_("Grant change requested"), ChangeRequest, _change_link),
        change_withdrawn: (_("Grant change request withdrawn"), ChangeRequest, _change_link),
        change_decided: (_("Grant change request decided"), ChangeRequest, _change_link),
    }
    for send, (label, record, link) in kinds.items():
        outbox.register(f"grants.{send.__name__}", send, label=label, record=record, link=link)
