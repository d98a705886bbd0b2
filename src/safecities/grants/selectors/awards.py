"""Reads of awards, payments and grantees' reports."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.money import Money
from safecities.network.permissions import (
    funder_organisation_ids,
    is_secretariat,
)

from ..models import (
    Application,
    Award,
    GrantReport,
    Payment,
    Programme,
)
from .applications import _application_related, _partners, taking_part
from .ledger import _one

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safecities.core.models import User

# --- awards, payments, reports ----------------------------------------------------------


def award_detail(pk: int) -> Award:
    """An award with its application's parties, its payments and its reports, or a 404."""
    return _one(
        _application_related(Award.objects, "application__")
        .select_related("agreement")
        .prefetch_related("payments", "reports"),
        _("No such award."),
        pk=pk,
    )


def award_schedule(award: Award) -> tuple[list[Payment], list[GrantReport]]:
    """An award's payments and reports, by due date, each in its own query."""
    return list(award.payments.order_by("due_on", "id")), list(award.reports.order_by("due_on"))


def award_totals(award: Award) -> dict[str, Money]:
    """Paid, scheduled, returned, not yet scheduled and not yet paid sums of an award, from
    its prefetched payments (`award_detail`)."""
    currency = award.application.currency
    sums = dict.fromkeys(Payment.Status.values, 0)
    for payment in award.payments.all():
        sums[payment.status] += payment.amount_minor
    committed = sums[Payment.Status.PAID] + sums[Payment.Status.SCHEDULED]
    return {
        "paid": Money.from_minor(sums[Payment.Status.PAID], currency),
        "scheduled": Money.from_minor(sums[Payment.Status.SCHEDULED], currency),
        "returned": Money.from_minor(sums[Payment.Status.RETURNED], currency),
        "unscheduled": Money.from_minor(award.amount_minor - committed, currency),
        "unpaid": Money.from_minor(award.amount_minor - sums[Payment.Status.PAID], currency),
    }


def payment_detail(pk: int) -> Payment:
    """A payment with its award and the award's application parties, or a 404."""
    return _one(
        _application_related(Payment.objects, "award__application__").select_related(
            "award__agreement"
        ),
        pk=pk,
    )


def public_awards(*, programme: Programme | None = None) -> QuerySet[Award]:
    """Awarded grants, the open-data view: never drafts or pending applications."""
    queryset = Award.objects.select_related(
        "application__call__programme__funder",
        "application__lead_municipality__country",
        "application__lead_organisation__country",
    ).prefetch_related("application__goals")
    if programme is not None:
        queryset = queryset.filter(application__call__programme=programme)
    return queryset.order_by("-decided_at", "-id")


def programme_awards(programme: Programme) -> QuerySet[Award]:
    """A programme's awards, newest first, with only what its page's table shows: each
    application's lead and its call's programme (for the currency); no goals, no countries.
    Asked by the awarded status too, so the index on call and status finds them."""
    return (
        Award.objects.filter(
            application__call__programme=programme, application__status=Application.Status.AWARDED
        )
        .select_related(
            "application__call__programme",
            "application__lead_municipality",
            "application__lead_organisation",
        )
        .order_by("-decided_at", "-id")
    )


def award_years() -> list[int]:
    """The years in which grants were awarded, newest first."""
    return [moment.year for moment in Award.objects.datetimes("decided_at", "year", "DESC")]


AWARD_SORTS = {"date": ("-decided_at", "-id"), "amount": ("-amount_minor", "-id")}


def awards_filtered(
    *,
    programme: Programme | None = None,
    year: int | None = None,
    city: str = "",
    sort: str = "date",
) -> QuerySet[Award]:
    """`public_awards` of a programme, a year of decision, a municipality (by name: the lead
    city's, or the lead organisation's seat), newest or largest first."""
    queryset = public_awards(programme=programme)
    if year:
        queryset = queryset.filter(decided_at__year=year)
    if city:
        queryset = queryset.filter(
            Q(application__lead_municipality__name__icontains=city)
            | Q(application__lead_organisation__municipality__name__icontains=city)
        )
    return queryset.order_by(*AWARD_SORTS.get(sort, AWARD_SORTS["date"]))


def awards_with_partners(*, programme: Programme | None = None) -> QuerySet[Award]:
    """`public_awards` with each grant's partners, for lists that show them."""
    return public_awards(programme=programme).prefetch_related(_partners("application__partners"))


def giving360_awards(*, illustrative: bool = False) -> QuerySet[Award]:
    """The awards published as 360Giving open data: real grants only, unless asked for the
    demo network's illustrative ones too, which aggregators must not take for fact."""
    awards = public_awards()
    return awards if illustrative else awards.filter(application__illustrative=False)


def report_detail(pk: int) -> GrantReport:
    """A grantee report with its award and the award's application parties, or a 404."""
    return _one(
        _application_related(GrantReport.objects, "award__application__"),
        _("No such report."),
        pk=pk,
    )


def reports_visible_to(
    user: User | AnonymousUser, *, overdue_only: bool = False, today: date | None = None
) -> QuerySet[GrantReport]:
    """Reports the user owes (as lead or partner grantee) or follows (as funder officer or secretariat)."""
    today = today or timezone.localdate()
    queryset = _application_related(GrantReport.objects, "award__application__")
    if not is_secretariat(user):
        follows = Q(
            award__application__call__programme__funder_id__in=funder_organisation_ids(user)
        )
        parties = taking_part(user, via="award__application__")
        queryset = queryset.filter(follows if parties is None else follows | parties)
    if overdue_only:
        queryset = queryset.filter(status=GrantReport.Status.DUE, due_on__lt=today)
    return queryset.order_by("due_on", "id")


def reports_to_remind(*, today: date, now: datetime) -> QuerySet[GrantReport]:
    """Reports due within two weeks of `today` or overdue, not reminded in the week before
    `now`, with what their reminder names."""
    return (
        _application_related(GrantReport.objects, "award__application__")
        .filter(status=GrantReport.Status.DUE, due_on__lte=today + timedelta(days=14))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - timedelta(days=7)))
        .order_by("pk")
    )
