"""Reads of applications, their content, answers and versions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    F,
    Manager,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    RowRange,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.money import Money
from safecities.indicators.models import Indicator
from safecities.network.models import (
    Municipality,
    Organisation,
)
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
)

from .. import states
from ..models import (
    Answer,
    Application,
    ApplicationVersion,
    Call,
    Partner,
    Question,
    Review,
    Stage,
)
from ..models.applications import pack_score
from .ledger import _column, _one

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safecities.core.models import User

# --- applications -----------------------------------------------------------------------


# What the permission rules and every page of an application read: its call, programme and
# funder, and its lead.
APPLICATION_PARTIES = ("call__programme__funder", "lead_municipality", "lead_organisation")


def _application_related(queryset: QuerySet[Any] | Manager[Any], via: str = "") -> QuerySet[Any]:
    """`queryset` with the `APPLICATION_PARTIES` of its application, reached through `via`
    ("application__" from a review or an award, "" for applications themselves)."""
    return queryset.select_related(*(via + name for name in APPLICATION_PARTIES))


def _partners(lookup: str = "partners") -> Prefetch:
    """An application's partners with their municipality or organisation."""
    return Prefetch(lookup, queryset=Partner.objects.select_related("municipality", "organisation"))


def _with_parties(
    queryset: QuerySet[Application] | Manager[Application],
) -> QuerySet[Application]:
    return _application_related(queryset).select_related("award").prefetch_related(_partners())


def application_with_parties(pk: int) -> Application:
    """An application with its call, programme, funder, lead, partners and award, or a 404:
    for assigning reviewers and deciding on it."""
    return _one(_with_parties(Application.objects), _("No such application."), pk=pk)


def partner_detail(pk: int) -> Partner:
    """A partner row with its party and its application's parties (and partners), or a 404."""
    return _one(
        _application_related(
            Partner.objects.select_related("municipality", "organisation"), "application__"
        ).prefetch_related(_partners("application__partners")),
        _("No such partner."),
        pk=pk,
    )


def application_detail(pk: int) -> Application:
    """`application_with_parties` and all the application says: budget, goals, target groups,
    answers, and its call's goals, criteria and questions."""
    return _one(
        _with_parties(Application.objects).prefetch_related(
            "budget_lines",
            "goals",
            "target_groups",
            "indicators",
            "answers__question",
            "call__goals",
            "call__criteria",
            "call__questions",
        ),
        _("No such application."),
        pk=pk,
    )


def questions_asked(application: Application) -> list[Question]:
    """The call's questions asked at the application's stage, in order (from prefetched rows
    when there are)."""
    return [q for q in application.call.questions.all() if q.asked_at(application.stage)]


def answered_questions(application: Application) -> list[tuple[Question, Answer | None]]:
    """Each question asked at the application's stage with its answer, if any."""
    answers = {a.question_id: a for a in application.answers.all()}
    return [(question, answers.get(question.pk)) for question in questions_asked(application)]


def budget_lines(application: Application) -> list[tuple[str, Money]]:
    """The application's budget lines as (label, amount)."""
    currency = application.currency
    return [
        (line.label, Money.from_minor(line.amount_minor, currency))
        for line in application.budget_lines.all()
    ]


def answer_detail(pk: int) -> Answer:
    """A file or other answer with its question and its application's parties, or a 404."""
    return _one(
        Answer.objects.select_related("question", "application__call__programme__funder"),
        _("No such answer."),
        pk=pk,
    )


def _parties(
    municipality_ids: set[int] | None = None, organisation_ids: set[int] | None = None
) -> tuple[list[Municipality], list[Organisation]]:
    municipalities = Municipality.objects.order_by("name")
    organisations = Organisation.objects.order_by("name")
    if municipality_ids is not None:
        municipalities = municipalities.filter(pk__in=municipality_ids)
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    return list(municipalities), list(organisations)


def lead_choices(user: User | AnonymousUser) -> tuple[list[Municipality], list[Organisation]]:
    """The municipalities and organisations `user` may lead an application for, by name: the
    cities they coordinate and the organisations they speak for."""
    return _parties(coordinated_municipality_ids(user), contact_organisation_ids(user))


def partner_choices() -> tuple[list[Municipality], list[Organisation]]:
    """Every municipality and organisation that may be named as a partner, by name."""
    return _parties()


def party_by_slug(
    *, municipality: str | None = None, organisation: str | None = None
) -> Municipality | Organisation | None:
    """The municipality with the slug `municipality`, else the organisation with the slug
    `organisation`; None if there is none."""
    if municipality is not None:
        return Municipality.objects.filter(slug=municipality).first()
    return Organisation.objects.filter(slug=organisation).first()


def goal_choices(call: Call) -> QuerySet[Goal]:
    """The charter goals an application to `call` may name: the call's, or any if it names
    none."""
    goals = Goal.objects.order_by("position")
    if call.goals.all():
        goals = goals.filter(grant_calls=call)
    return goals


def goals_by_code(codes: list[str]) -> dict[str, Goal]:
    """{code: goal} of the charter goals among `codes`."""
    return {goal.code: goal for goal in Goal.objects.filter(code__in=codes)}


def indicators_by_code(codes: list[str]) -> dict[str, Indicator]:
    """{code: indicator} of the indicators among `codes`."""
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)}


def _target_groups() -> QuerySet[Term]:
    return Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP)


def target_group_terms(selected_ids: Iterable[int] = ()) -> QuerySet[Term]:
    """Target groups in use, and any the application already names, by code."""
    return _target_groups().filter(Q(active=True) | Q(pk__in=list(selected_ids))).order_by("code")


def indicator_choices() -> QuerySet[Indicator]:
    """The indicators an application may name, by code."""
    return Indicator.objects.order_by("code")


def target_groups_by_code(codes: list[str]) -> dict[str, Term]:
    """{code: term} of the target groups among `codes`."""
    return {term.code: term for term in _target_groups().filter(code__in=codes)}


def taking_part(user: User | AnonymousUser, *, via: str = "") -> Q | None:
    """Applications (reached through `via`, e.g. "award__application__") in which the user acts
    for a party: led by, or with as a partner, a city they coordinate or an organisation they
    speak for. None when the user acts for no party at all."""
    cities, organisations = coordinated_municipality_ids(user), contact_organisation_ids(user)
    if not cities and not organisations:
        return None
    partnered = Partner.objects.filter(
        Q(municipality_id__in=cities) | Q(organisation_id__in=organisations)
    ).values("application_id")
    return (
        Q(**{f"{via}lead_municipality_id__in": cities})
        | Q(**{f"{via}lead_organisation_id__in": organisations})
        | Q(**{f"{via}id__in" if via else "pk__in": partnered})
    )


def applications_of(user: User | AnonymousUser, *, status: str = "") -> QuerySet[Application]:
    """Applications the user takes part in: led by, or with as a partner, a city they
    coordinate or an organisation they speak for."""
    parties = taking_part(user)
    if parties is None:
        return Application.objects.none()
    queryset = _application_related(Application.objects).filter(parties)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at", "-id")


def _review_columns() -> dict:
    """The kept Σ score × weight and number of submitted reviews under the names lists use, and
    the number of reviews not declined for a conflict, of each application."""
    reviews = Review.objects.filter(application=OuterRef("pk"))
    return {
        "weighted_sum": F("score_sum"),
        "review_count": F("finished_reviews"),
        "assigned_count": _column(
            reviews.exclude(status=Review.Status.CONFLICT), "application", Count("pk")
        ),
    }


def weighted_score(weighted_sum: int | None, *, weight_sum: int | None) -> Decimal | None:
    """The mean score (0–5) weighted by criterion, over all submitted reviews; two decimals."""
    if not weight_sum or weighted_sum is None:
        return None
    return (Decimal(weighted_sum) / Decimal(weight_sum)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def application_score(application: Application) -> Decimal | None:
    """`weighted_score` of one application, over its submitted reviews: None before any, and
    for a draft (never reviewed). Read afresh from the kept sums."""
    if application.status == Application.Status.DRAFT:
        return None
    sums = (
        Application.objects.filter(pk=application.pk).values_list("score_sum", "weight_sum").first()
    )
    return weighted_score(sums[0], weight_sum=sums[1]) if sums else None


SORTS = {
    "newest": ("-submitted_at", "-id"),
    "oldest": ("submitted_at", "id"),
    "amount": ("-requested_minor", "id"),
    "title": ("title", "id"),
}


def call_applications(
    call: Call, *, status: str = "", stage: str = "", q: str = "", sort: str = "newest"
) -> QuerySet[Application]:
    """A call's submitted applications (never drafts), with review counts; the score sums are
    kept on the rows (`score_sum`, `weight_sum`)."""
    queryset = (
        _application_related(Application.objects)
        .filter(call=call)
        .exclude(status=Application.Status.DRAFT)
        .annotate(**_review_columns())
    )
    if status:
        queryset = queryset.filter(status=status)
    if stage:
        queryset = queryset.filter(stage=stage)
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q)
            | Q(lead_municipality__name__icontains=q)
            | Q(lead_organisation__name__icontains=q)
        )
    return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))


@dataclass
class PackRow:
    rank: int
    application_id: int
    requested: Money
    score: Decimal | None
    review_count: int
    cumulative: Money
    within_budget: bool
    application: Application | None = None
    left: Money | None = None  # the programme's money left once every row down to this is funded

    @property
    def short(self) -> Money | None:
        """How much the programme's money falls short of funding every row down to this."""
        return -self.left if self.left is not None and not self.within_budget else None

    @property
    def reviews_text(self) -> str:
        """ "2 reviews": written here, not by a template tag, as the pack has 50 rows."""
        n = self.review_count
        return ngettext("%(n)s review", "%(n)s reviews", n) % {"n": n}

    @property
    def budget_text(self) -> str:
        """What the programme's money leaves after this row ("… left"), or how far short it
        falls ("… short")."""
        if self.within_budget:
            return _("%(left)s left") % {"left": self.left}
        return _("%(over)s short") % {"over": self.short}

    @property
    def may_decide(self) -> bool:
        """`states.may_be_decided`, asked with the row's count of finished reviews."""
        return self.application is not None and states.may_be_decided(
            self.application, finished_reviews=self.review_count
        )


# The decision pack's order: best weighted score first, unscored last (-1 is below every score),
# ties in submission order. The index `grant_application_pack_rank` holds it.
PACK_ORDER = (
    pack_score().desc(),
    F("submitted_at").asc(),
    F("pk").asc(),
)


def decision_pack(call: Call, *, offset: int = 0, limit: int | None = None) -> dict:
    """The call's undecided full proposals ranked by weighted score, with the budget line.

    Ranked in the database by the kept weighted mean (`Application.score_mean`), each row with
    its running total of what is requested; only the rows of the requested page are fetched
    whole. The counts and the sum asked for are the call's kept ones (`Call.waiting_count`
    and the others, kept by `services.refresh_call_counts`). `line_at` is the rank of the row
    where the money runs out when that row is among those returned, else None. Three queries,
    however many proposals wait.
    """
    currency = call.programme.currency
    # The call's kept counts and the programme's kept total, read afresh by key: one query.
    totals = (
        Call.objects.filter(pk=call.pk)
        .values(
            "programme__budget_minor",
            "programme__awarded_minor",
            count=F("waiting_count"),
            requested=F("waiting_requested_minor"),
            awarded=F("awarded_count"),
            declined=F("declined_count"),
        )
        .get()
    )
    remaining = totals["programme__budget_minor"] - totals["programme__awarded_minor"]
    waiting = Q(status=Application.Status.SUBMITTED, stage=Stage.FULL)
    # Narrow rows (no joins, no text) ranked along the index, each with its running total.
    ranked = Application.objects.filter(waiting, call=call).annotate(
        rank=Window(RowNumber(), order_by=PACK_ORDER),
        cumulative=Window(
            Sum("requested_minor"), order_by=PACK_ORDER, frame=RowRange(start=None, end=0)
        ),
    )
    end = None if limit is None else offset + limit
    # In the window's own order, so the rows stream along the index up to the page's end.
    rows = list(
        ranked.order_by(*PACK_ORDER).values_list(
            "pk",
            "rank",
            "cumulative",
            "requested_minor",
            "score_sum",
            "weight_sum",
            "finished_reviews",
        )[offset:end]
    )
    # The budget line, where it falls among these rows (the only place it is drawn): the one row
    # whose running total first passes what the programme has left. Found here, not by asking
    # the database to run the totals down the whole ranking to it.
    line_at = next(
        (
            rank
            for _pk, rank, cumulative, requested, *_rest in rows
            if cumulative > remaining >= cumulative - requested
        ),
        None,
    )
    if remaining < 0:  # more awarded than the budget (it was cut): nothing fits
        line_at = 1 if rows and rows[0][1] == 1 else None
    # The page's applications with their lead; the call is the one asked about (no join).
    objects = Application.objects.select_related("lead_municipality", "lead_organisation").in_bulk(
        [row[0] for row in rows]
    )
    for application in objects.values():
        application.call = call
    page = [
        PackRow(
            rank=rank,
            application_id=pk,
            requested=Money.from_minor(requested, currency),
            score=weighted_score(score_sum, weight_sum=weight_sum),
            review_count=finished,
            cumulative=Money.from_minor(cumulative, currency),
            within_budget=cumulative <= remaining,
            application=objects[pk],
            left=Money.from_minor(remaining - cumulative, currency),
        )
        for pk, rank, cumulative, requested, score_sum, weight_sum, finished in rows
    ]
    decided = {
        Application.Status.AWARDED: totals["awarded"],
        Application.Status.DECLINED: totals["declined"],
    }
    return {
        "rows": page,
        "count": totals["count"],
        "line_at": line_at,
        "remaining": Money.from_minor(remaining, currency),
        "requested_total": Money.from_minor(totals["requested"], currency),
        "decided": {status: n for status, n in decided.items() if n},
    }


# --- versions ---------------------------------------------------------------------------


def application_content(application: Application) -> dict:
    """What the application says, as plain text per field: the content of a version."""
    return {
        "title": application.title,
        "summary": application.summary,
        "lead": str(application.lead),
        "partners": [
            f"{p.party} — {p.role}" if p.role else str(p.party) for p in application.partners.all()
        ],
        "requested": str(application.requested),
        "budget_lines": [f"{label}: {amount}" for label, amount in budget_lines(application)],
        "period": " – ".join(
            d.isoformat() for d in (application.starts_on, application.ends_on) if d
        ),
        "goals": [str(g) for g in application.goals.all()],
        "target_groups": [str(t) for t in application.target_groups.all()],
        "indicators": [str(i) for i in application.indicators.all()],
        "answers": [
            {
                "question": question.label.get("en") or question.display_label,
                "answer": (answer.value or answer.filename) if answer is not None else "",
            }
            for question, answer in answered_questions(application)
        ],
    }


def versions(application: Application) -> QuerySet[ApplicationVersion]:
    """The application's submitted versions, first first, with who submitted each."""
    return application.versions.select_related("submitted_by").order_by("number")


def _lines(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").splitlines()


def content_fields() -> list[tuple[str, str]]:
    return [
        ("title", _("Title")),
        ("summary", _("Summary")),
        ("lead", _("Lead applicant")),
        ("partners", _("Partners")),
        ("requested", _("Amount requested")),
        ("budget_lines", _("Budget")),
        ("period", _("Project period")),
        ("goals", _("Charter goals")),
        ("target_groups", _("Target groups")),
        ("indicators", _("Indicators")),
    ]


def version_diff(old: dict, *, new: dict) -> list[dict]:
    """Field by field: the lines removed and added between two versions' content."""
    pairs = [(label, old.get(key), new.get(key)) for key, label in content_fields()]
    old_answers = {a["question"]: a["answer"] for a in old.get("answers", [])}
    new_answers = {a["question"]: a["answer"] for a in new.get("answers", [])}
    for question in dict.fromkeys([*old_answers, *new_answers]):
        pairs.append((question, old_answers.get(question), new_answers.get(question)))
    out = []
    for label, before, after in pairs:
        a, b = _lines(before), _lines(after)
        lines = [(line[0], line[2:]) for line in difflib.ndiff(a, b) if line[:1] in ("-", "+", " ")]
        out.append({"label": label, "changed": a != b, "lines": lines})
    return out
