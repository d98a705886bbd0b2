"""The sums kept on rows: each application's weighted score, each programme's ledger totals,
each call's counts of applications, and what each programme awarded per year of decision and
lead and per year and charter goal (`models.kept`).

Each is recomputed from the rows it sums, set-based (one UPDATE per column group, whatever the
number of rows), by the service whose write changes it, in that write's transaction. The
migration that added the columns, the demo loader and the bench generator call the same
functions over every row. They take the querysets' models from their app registry, so a
migration can pass its historical models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from ..models import Application, Call, Payment, Programme, Review, Stage


def _sum_of(rows: QuerySet[Any], of: str, aggregate: Any) -> Coalesce:
    """`aggregate` of `rows` grouped by `of` (filtered on `OuterRef("pk")`), 0 where none."""
    return Coalesce(
        Subquery(
            rows.order_by().values(of).annotate(total=aggregate).values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def refresh_scores(applications: QuerySet[Any]) -> int:
    """Store, on each of `applications`, Σ score × weight, Σ weight and the number of its
    submitted reviews, and the weighted mean (NULL without any weight). Returns the rows."""
    registry = applications.model._meta.apps
    review = registry.get_model("grants", "Review")
    score = registry.get_model("grants", "Score")
    scores = score.objects.filter(
        review__application=OuterRef("pk"), review__status=Review.Status.SUBMITTED
    )
    finished = review.objects.filter(application=OuterRef("pk"), status=Review.Status.SUBMITTED)
    count = applications.update(
        score_sum=_sum_of(scores, "review__application", Sum(F("value") * F("criterion__weight"))),
        weight_sum=_sum_of(scores, "review__application", Sum("criterion__weight")),
        finished_reviews=_sum_of(finished, "application", Count("pk")),
    )
    applications.update(score_mean=score_mean())
    return count


def score_mean() -> Case:
    """The weighted mean from the stored sums, as the database computes it (a double)."""
    return Case(
        When(weight_sum__gt=0, then=Cast("score_sum", FloatField()) / F("weight_sum")),
        default=None,
        output_field=FloatField(),
    )


def refresh_programme_totals(programmes: QuerySet[Any]) -> int:
    """Store, on each of `programmes`, what its awards are worth (less what closed grants gave
    back) and what has been paid (returned payments not counted). Returns the rows."""
    registry = programmes.model._meta.apps
    award = registry.get_model("grants", "Award")
    payment = registry.get_model("grants", "Payment")
    return programmes.update(
        awarded_minor=_sum_of(
            award.objects.filter(application__call__programme=OuterRef("pk")),
            "application__call__programme",
            Sum(F("amount_minor") - F("released_minor")),
        ),
        paid_minor=_sum_of(
            payment.objects.filter(
                award__application__call__programme=OuterRef("pk"), status=Payment.Status.PAID
            ),
            "award__application__call__programme",
            Sum("amount_minor"),
        ),
    )


def refresh_call_counts(calls: QuerySet[Any]) -> int:
    """Store, on each of `calls`, how many applications it received (drafts not counted), how
    many full proposals wait for a decision and what they ask for, how many were awarded and
    how many declined. Returns the rows.

    A service calls it after its write, with the call's row locked first (`lock_call`), so two
    writes to one call's applications count one after the other, each seeing the other's rows.
    """
    registry = calls.model._meta.apps
    application = registry.get_model("grants", "Application")
    of_call = application.objects.filter(call=OuterRef("pk"))
    waiting = of_call.filter(status=Application.Status.SUBMITTED, stage=Stage.FULL)
    return calls.update(
        received_count=_sum_of(
            of_call.filter(~Q(status=Application.Status.DRAFT)), "call", Count("pk")
        ),
        waiting_count=_sum_of(waiting, "call", Count("pk")),
        waiting_requested_minor=_sum_of(waiting, "call", Sum("requested_minor")),
        awarded_count=_sum_of(
            of_call.filter(status=Application.Status.AWARDED), "call", Count("pk")
        ),
        declined_count=_sum_of(
            of_call.filter(status=Application.Status.DECLINED), "call", Count("pk")
        ),
    )


def lock_call(call_id: int) -> None:
    """Lock a call's row for the rest of the transaction, before its counts are refreshed."""
    list(Call.objects.select_for_update().filter(pk=call_id).values_list("pk", flat=True))


def refresh_counts_of(call_id: int) -> None:
    """`refresh_call_counts` of one call, its row locked first: what a service calls after a
    write that adds an application or changes its status, stage or amount."""
    lock_call(call_id)
    refresh_call_counts(Call.objects.filter(pk=call_id))


def year_of_decision(decided: QuerySet[Any]) -> Case | Value:
    """The year (in the site's time zone) each of the awards `decided` was decided in, as the
    database computes it: `decided_at` compared with the years' first moments, from the first
    decision's year to the last's, rather than converted row by row (which SQLite does in
    Python). A constant when there are no awards."""
    zone = ZoneInfo(settings.TIME_ZONE)
    bounds = decided.aggregate(first=Min("decided_at"), last=Max("decided_at"))
    if bounds["first"] is None:
        return Value(0)
    low, high = bounds["first"].astimezone(zone).year, bounds["last"].astimezone(zone).year
    return Case(
        *(
            When(decided_at__lt=datetime(y + 1, 1, 1, tzinfo=zone), then=Value(y))
            for y in range(low, high)
        ),
        default=Value(high),
        output_field=IntegerField(),
    )


def refresh_awarded(programmes: QuerySet[Any]) -> None:
    """Make again each of `programmes`' rows of what it awarded per year and lead and per year
    and goal, from its awards: per programme, one query for the years' bounds, two grouped
    queries and two deletes and inserts (a few hundred rows at most, one per lead and year)."""
    registry = programmes.model._meta.apps
    award = registry.get_model("grants", "Award")
    by_lead = registry.get_model("grants", "AwardedByLead")
    by_goal = registry.get_model("grants", "AwardedByGoal")
    net = Sum(F("amount_minor") - F("released_minor"))
    for programme_id in programmes.values_list("pk", flat=True):
        awards = award.objects.filter(application__call__programme_id=programme_id).order_by()
        year = year_of_decision(awards)
        by_lead.objects.filter(programme_id=programme_id).delete()
        by_goal.objects.filter(programme_id=programme_id).delete()
        leads = (
            awards.annotate(year=year)
            .values("year", "application__lead_municipality", "application__lead_organisation")
            .annotate(n=Count("pk"), total=net)
        )
        by_lead.objects.bulk_create(
            by_lead(
                programme_id=programme_id,
                year=row["year"],
                lead_municipality_id=row["application__lead_municipality"],
                lead_organisation_id=row["application__lead_organisation"],
                awards=row["n"],
                net_minor=row["total"],
            )
            for row in leads
        )
        # Grouped from the awards' side, those without a goal dropped here (as the overview
        # did before it kept these rows).
        goals = (
            awards.annotate(year=year)
            .values("year", "application__goals")
            .annotate(n=Count("pk"), total=net)
        )
        by_goal.objects.bulk_create(
            by_goal(
                programme_id=programme_id,
                year=row["year"],
                goal_id=row["application__goals"],
                awards=row["n"],
                net_minor=row["total"],
            )
            for row in goals
            if row["application__goals"] is not None
        )


def refresh_all() -> None:
    """Every application's, programme's and call's kept sums, from the rows (after bulk
    writes)."""
    refresh_scores(Application.objects.all())
    refresh_programme_totals(Programme.objects.all())
    refresh_awarded(Programme.objects.all())
    refresh_call_counts(Call.objects.all())
