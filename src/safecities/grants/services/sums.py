"""The sums kept on rows: each application's weighted score, each programme's ledger totals,
each call's counts of applications.

Each is recomputed from the rows it sums, set-based (one UPDATE per column group, whatever the
number of rows), by the service whose write changes it, in that write's transaction. The
migration that added the columns, the demo loader and the bench generator call the same
functions over every row. They take the querysets' models from their app registry, so a
migration can pass its historical models.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
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


def refresh_all() -> None:
    """Every application's, programme's and call's kept sums, from the rows (after bulk
    writes)."""
    refresh_scores(Application.objects.all())
    refresh_programme_totals(Programme.objects.all())
    refresh_call_counts(Call.objects.all())
