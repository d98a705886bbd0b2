"""The grants panels of the start page (core.workspace), registered in `GrantsConfig.ready`."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core import dates
from safecities.core.models import User
from safecities.core.workspace import Item, register_panel

from .models import GrantReport
from .selectors import workspace as selectors

_day = dates.day


def _report_item(report: GrantReport, *, today: date) -> Item:
    overdue = report.due_on < today
    note = (
        _("overdue since %(date)s") % {"date": _day(report.due_on)}
        if overdue
        else _("due %(date)s") % {"date": _day(report.due_on)}
    )
    return Item(
        text=str(report), url=reverse("grants:report", args=[report.pk]), note=note, urgent=overdue
    )


def applicant_items(user: User) -> list[Item]:
    """Drafts to finish and reports owed by the user's city or organisation."""
    today = timezone.localdate()
    drafts = [
        Item(
            text=(
                _("Full proposal invited: %(title)s")
                if application.is_invited
                else _("Draft: %(title)s")
            )
            % {"title": application.title},
            url=reverse("grants:application-edit", args=[application.pk]),
            note=_("last saved %(date)s")
            % {"date": _day(timezone.localdate(application.updated_at))},
        )
        for application in selectors.drafts_to_finish(user)
    ]
    return drafts + [_report_item(r, today=today) for r in selectors.reports_owed(user)]


def reviewer_items(user: User) -> list[Item]:
    return [
        Item(
            text=str(review.application),
            url=reverse("grants:review", args=[review.pk]),
            note=_("assigned %(date)s") % {"date": _day(timezone.localdate(review.assigned_at))},
        )
        for review in selectors.reviews_to_submit(user)
    ]


def funder_items(user: User) -> list[Item]:
    today = timezone.localdate()
    decisions = [
        Item(
            text=_("Decide: %(title)s") % {"title": application.title},
            url=reverse("grants:application-decide", args=[application.pk]),
            note=_("submitted %(date)s")
            % {"date": _day(timezone.localdate(application.submitted_at))}
            if application.submitted_at
            else "",
        )
        for application in selectors.awaiting_decision(user)
    ]
    payments = [
        Item(
            text=_("Payment of %(amount)s to %(project)s")
            % {"amount": payment.amount, "project": payment.award.application.title},
            url=reverse("grants:award", args=[payment.award_id]),
            note=_("due %(date)s") % {"date": _day(payment.due_on)},
            urgent=payment.due_on < today,
        )
        for payment in selectors.payments_scheduled(user)
    ]
    overdue = [
        _report_item(r, today=today) for r in selectors.reports_overdue_to_funder(user, today=today)
    ]
    return decisions + payments + overdue


def register() -> None:
    register_panel(
        "grants.applicant",
        title=gettext_lazy("Grant applications and reports"),
        order=20,
        items=applicant_items,
        more="grants:my-applications",
    )
    register_panel(
        "grants.reviews",
        title=gettext_lazy("Reviews to submit"),
        order=30,
        items=reviewer_items,
        more="grants:my-reviews",
    )
    register_panel(
        "grants.funder",
        title=gettext_lazy("Decisions, payments and overdue reports"),
        order=40,
        items=funder_items,
    )
