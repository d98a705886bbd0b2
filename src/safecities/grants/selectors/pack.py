"""The decision pack as files for the board: every ranked proposal as CSV rows, and the pack
with a short page per proposal for the PDF. Both in a fixed number of queries, however many
proposals wait."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.db.models import Prefetch, Q, Sum, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import RowNumber

from safecities.core.money import Money

from ..models import Application, Call, Review, Stage
from ..models.applications import Partner
from .applications import PACK_ORDER, budget_lines, decision_pack, weighted_score

CSV_HEADER = (
    "rank",
    "title",
    "lead",
    "partners",
    "currency",
    "requested",
    "cumulative_requested",
    "weighted_score",
    "finished_reviews",
    "recommendations",
    "status",
)


def _waiting(call: Call) -> Q:
    return Q(call=call, status=Application.Status.SUBMITTED, stage=Stage.FULL)


def _partner_names(call: Call) -> dict[int, list[str]]:
    """Each waiting proposal's partners by name, in one query."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        Partner.objects.filter(
            application__call=call,
            application__status=Application.Status.SUBMITTED,
            application__stage=Stage.FULL,
        )
        .order_by("application_id", "pk")
        .values_list("application_id", "municipality__name", "organisation__name")
    )
    for application_id, municipality, organisation in rows:
        names[application_id].append(municipality or organisation or "")
    return names


def _recommendations(call: Call) -> dict[int, Counter]:
    """Each waiting proposal's finished reviews counted by recommendation, in one query."""
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = Review.objects.filter(
        application__call=call,
        application__status=Application.Status.SUBMITTED,
        application__stage=Stage.FULL,
        status=Review.Status.SUBMITTED,
    ).values_list("application_id", "recommendation")
    for application_id, recommendation in rows:
        counts[application_id][recommendation] += 1
    return counts


def recommendations_text(counts: Counter) -> str:
    """ "Fund: 2; Do not fund: 1", in the order of the choices; empty without a finished review."""
    return "; ".join(
        f"{label}: {counts[value]}"
        for value, label in Review.Recommendation.choices
        if counts.get(value)
    )


def decision_pack_csv_rows(call: Call) -> Iterator[tuple]:
    """The CSV rows of the call's decision pack, best ranked first (`CSV_HEADER`'s columns):
    three queries, the ranking streamed from the database in chunks."""
    currency = call.programme.currency
    partners = _partner_names(call)
    recommendations = _recommendations(call)
    status = str(Application.Status.SUBMITTED.label)
    ranked = (
        Application.objects.filter(_waiting(call))
        .annotate(
            rank=Window(RowNumber(), order_by=PACK_ORDER),
            cumulative=Window(
                Sum("requested_minor"), order_by=PACK_ORDER, frame=RowRange(start=None, end=0)
            ),
        )
        .order_by(*PACK_ORDER)
        .values_list(
            "pk",
            "rank",
            "title",
            "lead_municipality__name",
            "lead_organisation__name",
            "requested_minor",
            "cumulative",
            "score_sum",
            "weight_sum",
            "finished_reviews",
        )
    )
    for (
        pk,
        rank,
        title,
        municipality,
        organisation,
        requested,
        cumulative,
        score_sum,
        weight_sum,
        finished,
    ) in ranked.iterator(chunk_size=500):
        score = weighted_score(score_sum, weight_sum=weight_sum)
        yield (
            rank,
            title,
            municipality or organisation or "",
            "; ".join(partners.get(pk, ())),
            currency,
            Money.from_minor(requested, currency).amount,
            Money.from_minor(cumulative, currency).amount,
            score if score is not None else "",
            finished,
            recommendations_text(recommendations.get(pk, Counter())),
            status,
        )


@dataclass
class PackPage:
    """One proposal's short page in the board's PDF: its ranking row, its budget lines, and
    its finished reviews with their scores per criterion."""

    row: object  # selectors.PackRow
    budget: list[tuple[str, Money]]
    reviews: list[dict] = dataclass_field(default_factory=list)
    partners: list[str] = dataclass_field(default_factory=list)


def scored_reviews(reviews: Iterable[Any], *, criteria: Iterable[Any]) -> list[dict]:
    """Each review with its scores in the order of the criteria and its weighted mean: what
    the decide page and the pack show."""
    out = []
    for review in reviews:
        values = {s.criterion_id: s.value for s in review.scores.all()}
        weighted = sum(values[c.pk] * c.weight for c in criteria if c.pk in values)
        weights = sum(c.weight for c in criteria if c.pk in values)
        out.append(
            {
                "review": review,
                "scores": [(c, values.get(c.pk)) for c in criteria],
                "mean": weighted_score(weighted, weight_sum=weights),
            }
        )
    return out


def decision_pack_print(call: Call) -> dict:
    """The whole decision pack for the board's PDF: `decision_pack` without pages, and a
    `pages` entry per ranked proposal. A fixed number of queries."""
    pack = decision_pack(call)
    ids = [row.application_id for row in pack["rows"]]
    criteria = list(call.criteria.all())
    finished = Review.objects.filter(status=Review.Status.SUBMITTED).select_related("reviewer")
    full = Application.objects.prefetch_related(
        "budget_lines",
        Prefetch("reviews", queryset=finished.prefetch_related("scores"), to_attr="finished"),
        Prefetch(
            "partners",
            queryset=Partner.objects.select_related("municipality", "organisation").order_by("pk"),
        ),
    ).in_bulk(ids)
    pages = []
    for row in pack["rows"]:
        application = full[row.application_id]
        application.call = call
        pages.append(
            PackPage(
                row=row,
                budget=budget_lines(application),
                reviews=scored_reviews(application.finished, criteria=criteria),
                partners=[str(p.party) for p in application.partners.all()],
            )
        )
    pack["pages"] = pages
    pack["criteria"] = criteria
    return pack
