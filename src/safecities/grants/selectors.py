"""Reads of grants: the ledger is summed from the rows, never stored.

Lists fetch what they show in a fixed number of queries, whatever the number of rows.
"""

import difflib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core.money import Money
from safecities.network.models import Municipality
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    funder_organisation_ids,
    is_secretariat,
)

from .models import (
    Application,
    ApplicationVersion,
    Award,
    BudgetLine,
    Call,
    GrantReport,
    Partner,
    Payment,
    Programme,
    Review,
    Score,
    Stage,
)


def _total(queryset, field: str = "amount_minor") -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), Value(0)))["total"]


def _net_award_sum(**filters) -> Subquery:
    """Σ (award − released) of the awards matching `filters` (with OuterRef), as a subquery."""
    return Coalesce(
        Subquery(
            Award.objects.filter(**filters)
            .order_by()
            .values(*filters)
            .annotate(total=Sum(F("amount_minor") - F("released_minor")))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def awarded_minor(programme: Programme | int) -> int:
    """Minor units awarded from the programme so far, less what closed grants gave back."""
    return _total(
        Award.objects.filter(application__call__programme=programme),
        F("amount_minor") - F("released_minor"),
    )


def committed_payments_minor(award: Award | int) -> int:
    """Minor units of the award's payments that are scheduled or paid."""
    return _total(
        Payment.objects.filter(
            award=award, status__in=[Payment.Status.SCHEDULED, Payment.Status.PAID]
        )
    )


def paid_minor(award: Award | int) -> int:
    return _total(Payment.objects.filter(award=award, status=Payment.Status.PAID))


def budget_lines_minor(application: Application | int) -> int:
    return _total(BudgetLine.objects.filter(application=application))


def programme_ledger(programme: Programme) -> dict[str, Money]:
    """Budget, awarded, paid and remaining (= budget − awarded) of a programme, as Money.

    A returned payment counts as neither paid nor committed: its money is back with the award.
    A closed grant's unpaid rest is released: it no longer counts as awarded.
    """
    currency = programme.currency
    awarded = awarded_minor(programme)
    paid = _total(
        Payment.objects.filter(
            award__application__call__programme=programme, status=Payment.Status.PAID
        )
    )
    return {
        "budget": Money.from_minor(programme.budget_minor, currency),
        "awarded": Money.from_minor(awarded, currency),
        "paid": Money.from_minor(paid, currency),
        "remaining": Money.from_minor(programme.budget_minor - awarded, currency),
    }


# --- programmes and calls ---------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    """Every programme with its funder and its awarded and paid sums, in three columns."""
    paid = Coalesce(
        Subquery(
            Payment.objects.filter(
                award__application__call__programme=OuterRef("pk"), status=Payment.Status.PAID
            )
            .order_by()
            .values("award__application__call__programme")
            .annotate(total=Sum("amount_minor"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    return (
        Programme.objects.select_related("funder")
        .annotate(
            awarded_sum=_net_award_sum(application__call__programme=OuterRef("pk")),
            paid_sum=paid,
            call_count=Count("calls", distinct=True),
        )
        .order_by("-starts_on", "name")
    )


def programme_by_slug(slug: str) -> Programme:
    try:
        return programmes().get(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404(_("No such programme.")) from exc


@dataclass(frozen=True)
class Slice:
    label: str
    count: int
    amount: Money


def programme_breakdown(programme: Programme) -> dict[str, list[Slice]]:
    """Awards by lead city, by charter goal and by year of decision: three grouped queries.

    A grant led by an organisation counts under the organisation's home municipality, if it
    has one. A grant with several charter goals counts in full under each of them.
    """
    currency = programme.currency
    awards = Award.objects.filter(application__call__programme=programme).order_by()
    net = Sum(F("amount_minor") - F("released_minor"))

    city = Coalesce(
        "application__lead_municipality_id", "application__lead_organisation__municipality_id"
    )
    by_city_rows = awards.annotate(city=city).values("city").annotate(n=Count("pk"), total=net)
    names = Municipality.objects.in_bulk([r["city"] for r in by_city_rows if r["city"]])
    by_city = sorted(
        (
            Slice(
                str(names[r["city"]]) if r["city"] else _("No municipality"),
                r["n"],
                Money.from_minor(r["total"], currency),
            )
            for r in by_city_rows
        ),
        key=lambda s: (-s.amount.minor_units, s.label),
    )

    goal_rows = (
        awards.filter(application__goals__isnull=False)
        .values("application__goals")
        .annotate(n=Count("pk"), total=net)
    )
    goals = Goal.objects.in_bulk([r["application__goals"] for r in goal_rows])
    by_goal = sorted(
        (
            (
                goals[r["application__goals"]].position,
                Slice(
                    str(goals[r["application__goals"]]),
                    r["n"],
                    Money.from_minor(r["total"], currency),
                ),
            )
            for r in goal_rows
        ),
        key=lambda pair: pair[0],
    )

    year_rows = (
        awards.annotate(year=ExtractYear("decided_at"))
        .values("year")
        .annotate(n=Count("pk"), total=net)
        .order_by("year")
    )
    by_year = [
        Slice(str(r["year"]), r["n"], Money.from_minor(r["total"], currency)) for r in year_rows
    ]
    return {"by_city": by_city, "by_goal": [s for _n, s in by_goal], "by_year": by_year}


def calls(*, programme: Programme | None = None, status: str = "") -> QuerySet[Call]:
    queryset = Call.objects.select_related("programme__funder").annotate(
        application_count=Count(
            "applications", filter=~Q(applications__status=Application.Status.DRAFT)
        )
    )
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-opens_at", "-id")


def open_calls() -> QuerySet[Call]:
    """Calls taking applications now."""
    now = timezone.now()
    return calls(status=Call.Status.OPEN).filter(opens_at__lte=now, closes_at__gt=now)


def call_detail(pk: int) -> Call:
    try:
        return (
            Call.objects.select_related("programme__funder")
            .prefetch_related("goals", "criteria", "questions")
            .get(pk=pk)
        )
    except Call.DoesNotExist as exc:
        raise Http404(_("No such call.")) from exc


# --- applications -----------------------------------------------------------------------


def _application_related(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related(
        "call__programme__funder", "lead_municipality", "lead_organisation"
    )


def application_detail(pk: int) -> Application:
    try:
        return (
            _application_related(Application.objects)
            .select_related("award")
            .prefetch_related(
                "budget_lines",
                "goals",
                "target_groups",
                Prefetch(
                    "partners",
                    queryset=Partner.objects.select_related("municipality", "organisation"),
                ),
                "answers__question",
                "call__goals",
                "call__criteria",
                "call__questions",
            )
            .get(pk=pk)
        )
    except Application.DoesNotExist as exc:
        raise Http404(_("No such application.")) from exc


def applications_of(user, *, status: str = "") -> QuerySet[Application]:
    """Applications the user may write: led by a city they coordinate or an organisation they
    speak for."""
    queryset = _application_related(Application.objects).filter(
        Q(lead_municipality_id__in=coordinated_municipality_ids(user))
        | Q(lead_organisation_id__in=contact_organisation_ids(user))
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at", "-id")


def _score_columns() -> dict:
    """Σ score × weight and Σ weight over the submitted reviews of each application."""
    scores = Score.objects.filter(
        review__application=OuterRef("pk"), review__status=Review.Status.SUBMITTED
    ).order_by()
    return {
        "weighted_sum": Subquery(
            scores.values("review__application")
            .annotate(t=Sum(F("value") * F("criterion__weight")))
            .values("t")[:1],
            output_field=IntegerField(),
        ),
        "weight_sum": Subquery(
            scores.values("review__application")
            .annotate(t=Sum("criterion__weight"))
            .values("t")[:1],
            output_field=IntegerField(),
        ),
        "review_count": Coalesce(
            Subquery(
                Review.objects.filter(application=OuterRef("pk"), status=Review.Status.SUBMITTED)
                .order_by()
                .values("application")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        "assigned_count": Coalesce(
            Subquery(
                Review.objects.filter(application=OuterRef("pk"))
                .exclude(status=Review.Status.CONFLICT)
                .order_by()
                .values("application")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    }


def weighted_score(weighted_sum: int | None, weight_sum: int | None) -> Decimal | None:
    """The mean score (0–5) weighted by criterion, over all submitted reviews; two decimals."""
    if not weight_sum:
        return None
    return (Decimal(weighted_sum) / Decimal(weight_sum)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


SORTS = {
    "newest": ("-submitted_at", "-id"),
    "oldest": ("submitted_at", "id"),
    "amount": ("-requested_minor", "id"),
    "title": ("title", "id"),
}


def call_applications(
    call: Call, *, status: str = "", stage: str = "", q: str = "", sort: str = "newest"
) -> QuerySet[Application]:
    """A call's submitted applications (never drafts), with review counts and score sums."""
    queryset = (
        _application_related(Application.objects)
        .filter(call=call)
        .exclude(status=Application.Status.DRAFT)
        .annotate(**_score_columns())
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


def decision_pack(call: Call, *, offset: int = 0, limit: int | None = None) -> dict:
    """The call's undecided full proposals ranked by weighted score, with the budget line.

    Ranked in Python over three integer columns per application (cheap for tens of thousands),
    then the rows of the requested page are fetched whole: a fixed number of queries.
    """
    programme = call.programme
    currency = programme.currency
    remaining = programme.budget_minor - awarded_minor(programme)
    rows = list(
        Application.objects.filter(call=call, status=Application.Status.SUBMITTED, stage=Stage.FULL)
        .annotate(**_score_columns())
        .values_list(
            "pk", "requested_minor", "weighted_sum", "weight_sum", "review_count", "submitted_at"
        )
    )
    # Integers only until the page is cut out: the float key only orders (equal means give
    # equal floats; ties fall back to submission time, then id); Money is built for the page.
    rows.sort(key=lambda r: (r[3] is None, -(r[2] / r[3]) if r[3] else 0, r[5], r[0]))
    cumulative, line_at, totals = 0, None, []
    for rank, row in enumerate(rows, start=1):
        cumulative += row[1]
        totals.append(cumulative)
        if line_at is None and cumulative > remaining:
            line_at = rank
    end = None if limit is None else offset + limit
    shown = range(offset, min(len(rows), end if end is not None else len(rows)))
    objects = _application_related(Application.objects).in_bulk([rows[i][0] for i in shown])
    page = [
        PackRow(
            rank=i + 1,
            application_id=rows[i][0],
            requested=Money.from_minor(rows[i][1], currency),
            score=weighted_score(rows[i][2], rows[i][3]),
            review_count=rows[i][4],
            cumulative=Money.from_minor(totals[i], currency),
            within_budget=totals[i] <= remaining,
            application=objects[rows[i][0]],
        )
        for i in shown
    ]
    return {
        "rows": page,
        "count": len(rows),
        "line_at": line_at,
        "remaining": Money.from_minor(remaining, currency),
        "requested_total": Money.from_minor(cumulative, currency),
        "decided": dict(
            Application.objects.filter(
                call=call,
                status__in=[Application.Status.AWARDED, Application.Status.DECLINED],
            )
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        ),
    }


# --- versions ---------------------------------------------------------------------------


def application_content(application: Application) -> dict:
    """What the application says, as plain text per field: the content of a version."""
    currency = application.currency
    answers = {a.question_id: a for a in application.answers.all()}
    return {
        "title": application.title,
        "summary": application.summary,
        "lead": str(application.lead),
        "partners": [
            f"{p.party} — {p.role}" if p.role else str(p.party) for p in application.partners.all()
        ],
        "requested": str(application.requested),
        "budget_lines": [
            f"{line.label}: {Money.from_minor(line.amount_minor, currency)}"
            for line in application.budget_lines.all()
        ],
        "period": " – ".join(
            d.isoformat() for d in (application.starts_on, application.ends_on) if d
        ),
        "goals": [str(g) for g in application.goals.all()],
        "target_groups": [str(t) for t in application.target_groups.all()],
        "answers": [
            {
                "question": question.label.get("en") or question.display_label,
                "answer": (
                    answers[question.pk].value or answers[question.pk].filename
                    if question.pk in answers
                    else ""
                ),
            }
            for question in application.call.questions.all()
            if question.asked_at(application.stage)
        ],
    }


def versions(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.select_related("submitted_by").order_by("number")


def _lines(value) -> list[str]:
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
    ]


def version_diff(old: dict, new: dict) -> list[dict]:
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


# --- reviews ----------------------------------------------------------------------------


def affiliations(user) -> tuple[set[int], set[int]]:
    """The municipalities and organisations a user belongs to: by role or by workplace."""
    municipality_ids = {
        m for m in user.role_assignments.values_list("municipality_id", flat=True) if m
    }
    organisation_ids = {
        o for o in user.role_assignments.values_list("organisation_id", flat=True) if o
    }
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None:
        if person.municipality_id:
            municipality_ids.add(person.municipality_id)
        if person.organisation_id:
            organisation_ids.add(person.organisation_id)
    return municipality_ids, organisation_ids


def reviews_of(user, *, status: str = "") -> QuerySet[Review]:
    queryset = Review.objects.filter(reviewer=user).select_related(
        "application__call__programme",
        "application__lead_municipality",
        "application__lead_organisation",
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "-assigned_at")


def reviews_for(application: Application) -> QuerySet[Review]:
    return (
        application.reviews.select_related("reviewer")
        .prefetch_related("scores__criterion")
        .order_by("assigned_at", "id")
    )


def review_detail(pk: int) -> Review:
    try:
        return (
            Review.objects.select_related(
                "reviewer",
                "application__call__programme__funder",
                "application__lead_municipality",
                "application__lead_organisation",
            )
            .prefetch_related("scores", "application__call__criteria")
            .get(pk=pk)
        )
    except Review.DoesNotExist as exc:
        raise Http404(_("No such review.")) from exc


# --- awards, payments, reports ----------------------------------------------------------


def award_detail(pk: int) -> Award:
    try:
        return (
            Award.objects.select_related(
                "application__call__programme__funder",
                "application__lead_municipality",
                "application__lead_organisation",
            )
            .prefetch_related("payments", "reports")
            .get(pk=pk)
        )
    except Award.DoesNotExist as exc:
        raise Http404(_("No such award.")) from exc


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


def report_detail(pk: int) -> GrantReport:
    try:
        return GrantReport.objects.select_related(
            "award__application__call__programme__funder",
            "award__application__lead_municipality",
            "award__application__lead_organisation",
        ).get(pk=pk)
    except GrantReport.DoesNotExist as exc:
        raise Http404(_("No such report.")) from exc


def reports_visible_to(user, *, overdue_only: bool = False, today: date | None = None):
    """Reports the user owes (as grantee) or follows (as funder officer or secretariat)."""
    today = today or timezone.localdate()
    queryset = GrantReport.objects.select_related(
        "award__application__call__programme",
        "award__application__lead_municipality",
        "award__application__lead_organisation",
    )
    if not is_secretariat(user):
        queryset = queryset.filter(
            Q(award__application__call__programme__funder_id__in=funder_organisation_ids(user))
            | Q(award__application__lead_municipality_id__in=coordinated_municipality_ids(user))
            | Q(award__application__lead_organisation_id__in=contact_organisation_ids(user))
        )
    if overdue_only:
        queryset = queryset.filter(status=GrantReport.Status.DUE, due_on__lt=today)
    return queryset.order_by("due_on", "id")
