"""Reads of grants: the ledger is summed from the rows, never stored.

Lists fetch what they show in a fixed number of queries, whatever the number of rows.
"""

import difflib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.errors import DomainError
from safecities.core.models import User
from safecities.core.money import Money
from safecities.network.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationType,
    Role,
)
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    funder_organisation_ids,
    is_secretariat,
)

from .errors import BudgetLinesMismatch, Ineligible, PartnershipRequired, RequestOutOfRange
from .models import (
    Answer,
    Application,
    ApplicationVersion,
    Award,
    BudgetLine,
    Call,
    CallQuerySet,
    GrantReport,
    Partner,
    Payment,
    Programme,
    Question,
    Review,
    Score,
    Stage,
)


def _one(queryset: QuerySet, not_found: str = "", **lookup):
    """The one row of `queryset` that matches `lookup`, or a 404 that says `not_found`."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(not_found) from exc


def _total(queryset, field: str = "amount_minor") -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), Value(0)))["total"]


def _column(rows: QuerySet, of: str, aggregate, *, default: int | None = 0):
    """`aggregate` of `rows` as a column of the outer query: the caller filters `rows` on their
    field `of` being `OuterRef("pk")`, and they are grouped by it. `default` where there are
    none (None leaves NULL)."""
    subquery = Subquery(
        rows.order_by().values(of).annotate(total=aggregate).values("total")[:1],
        output_field=IntegerField(),
    )
    return subquery if default is None else Coalesce(subquery, Value(default))


# What an award counts for in the ledger: its amount less what a closed grant gave back.
NET_AWARDED = F("amount_minor") - F("released_minor")


def awarded_minor(programme: Programme | int) -> int:
    """Minor units awarded from the programme so far, less what closed grants gave back."""
    return _total(Award.objects.filter(application__call__programme=programme), NET_AWARDED)


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


def _ledger(programme: Programme, *, awarded: int, paid: int) -> dict[str, Money]:
    currency = programme.currency
    return {
        "budget": Money.from_minor(programme.budget_minor, currency),
        "awarded": Money.from_minor(awarded, currency),
        "paid": Money.from_minor(paid, currency),
        "remaining": Money.from_minor(programme.budget_minor - awarded, currency),
    }


def programme_ledger(programme: Programme, *, until: date | None = None) -> dict[str, Money]:
    """Budget, awarded, paid and remaining (= budget − awarded) of a programme, as Money;
    with `until`, of the grants decided and payments made before that day (a report's year).

    A returned payment counts as neither paid nor committed: its money is back with the award.
    A closed grant's unpaid rest is released: it no longer counts as awarded.
    """
    awards = Award.objects.filter(application__call__programme=programme)
    payments = Payment.objects.filter(
        award__application__call__programme=programme, status=Payment.Status.PAID
    )
    if until is not None:
        awards = awards.filter(decided_at__date__lt=until)
        payments = payments.filter(paid_on__lt=until)
    return _ledger(programme, awarded=_total(awards, NET_AWARDED), paid=_total(payments))


def ledger_from_columns(programme: Programme) -> dict[str, Money]:
    """`programme_ledger` of a programme from `programmes()`, read from the columns that
    selector adds (`awarded_sum`, `paid_sum`): no further query."""
    return _ledger(programme, awarded=programme.awarded_sum, paid=programme.paid_sum)


# --- programmes and calls ---------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    """Every programme with its funder and its awarded and paid sums, in three columns."""
    awarded = _column(
        Award.objects.filter(application__call__programme=OuterRef("pk")),
        "application__call__programme",
        Sum(NET_AWARDED),
    )
    paid = _column(
        Payment.objects.filter(
            award__application__call__programme=OuterRef("pk"), status=Payment.Status.PAID
        ),
        "award__application__call__programme",
        Sum("amount_minor"),
    )
    return (
        Programme.objects.select_related("funder")
        .annotate(
            awarded_sum=awarded,
            paid_sum=paid,
            call_count=Count("calls", distinct=True),
        )
        .order_by("-starts_on", "name")
    )


def programme_by_slug(slug: str) -> Programme:
    """A programme with the columns of `programmes()`, or a 404."""
    return _one(programmes(), _("No such programme."), slug=slug)


def programme_choices() -> QuerySet[Programme]:
    """Every programme, newest first, without the ledger's columns: for a filter's choices."""
    return Programme.objects.order_by("-starts_on", "name")


# Organisations the secretariat may start a programme for: those that fund, by their type.
FUNDER_TYPES = [
    OrganisationType.FOUNDATION,
    OrganisationType.PUBLIC_AGENCY,
    OrganisationType.COMPANY,
]


def funders_for(user) -> QuerySet[Organisation]:
    """Organisations `user` may run programmes for, by name: the secretariat any funding
    organisation (by type, or because it funds already), a funder officer their own."""
    own = funder_organisation_ids(user)
    if is_secretariat(user):
        queryset = Organisation.objects.filter(
            Q(type__in=FUNDER_TYPES) | Q(pk__in=own) | Q(grant_programmes__isnull=False)
        ).distinct()
    else:
        queryset = Organisation.objects.filter(pk__in=own)
    return queryset.order_by("name")


@dataclass(frozen=True)
class Slice:
    label: str
    count: int
    amount: Money


def programme_breakdown(
    programme: Programme, *, until: date | None = None
) -> dict[str, list[Slice]]:
    """Awards by lead city, by charter goal and by year of decision: three grouped queries;
    with `until`, of the awards decided before that day.

    A grant led by an organisation counts under the organisation's home municipality, if it
    has one. A grant with several charter goals counts in full under each of them.
    """
    currency = programme.currency
    awards = Award.objects.filter(application__call__programme=programme).order_by()
    if until is not None:
        awards = awards.filter(decided_at__date__lt=until)
    net = Sum(NET_AWARDED)

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


def calls(*, programme: Programme | None = None, status: str = "") -> CallQuerySet:
    """Calls with their programme and number of applications (drafts not counted), newest
    first; of one programme, in one status, if given."""
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


def open_calls() -> CallQuerySet:
    """Calls taking new applications now (`Call.accepts_applications`, in the query)."""
    return calls().accepting_applications()


def calls_visible_to(
    user, *, programme: Programme | None = None, status: str = "", with_goals: bool = False
) -> CallQuerySet:
    """`calls()` open and closed for everyone; drafts too for those who run their programme
    (the same decision as `grants.manage_programme` on each call, taken in the query).
    `with_goals` fetches each call's charter goals too, in one more query."""
    queryset = calls(programme=programme, status=status)
    if with_goals:
        queryset = queryset.prefetch_related("goals")
    if getattr(user, "is_authenticated", False) and is_secretariat(user):
        return queryset
    visible = ~Q(status=Call.Status.DRAFT)
    funders = funder_organisation_ids(user)
    if funders:
        visible |= Q(programme__funder_id__in=funders)
    return queryset.filter(visible)


def call_with_programme(pk: int) -> Call:
    """A call with its programme and funder (what the permission rules read), or a 404."""
    return _one(Call.objects.select_related("programme__funder"), _("No such call."), pk=pk)


def call_detail(pk: int) -> Call:
    """A call with its programme, funder, goals, criteria and questions, or a 404."""
    return _one(
        Call.objects.select_related("programme__funder").prefetch_related(
            "goals", "criteria", "questions"
        ),
        _("No such call."),
        pk=pk,
    )


# --- applications -----------------------------------------------------------------------


# What the permission rules and every page of an application read: its call, programme and
# funder, and its lead.
APPLICATION_PARTIES = ("call__programme__funder", "lead_municipality", "lead_organisation")


def _application_related(queryset: QuerySet, via: str = "") -> QuerySet:
    """`queryset` with the `APPLICATION_PARTIES` of its application, reached through `via`
    ("application__" from a review or an award, "" for applications themselves)."""
    return queryset.select_related(*(via + name for name in APPLICATION_PARTIES))


def _partners(lookup: str = "partners") -> Prefetch:
    """An application's partners with their municipality or organisation."""
    return Prefetch(lookup, queryset=Partner.objects.select_related("municipality", "organisation"))


def _with_parties(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return _application_related(queryset).select_related("award").prefetch_related(_partners())


def application_with_parties(pk: int) -> Application:
    """An application with its call, programme, funder, lead, partners and award, or a 404:
    for assigning reviewers and deciding on it."""
    return _one(_with_parties(Application.objects), _("No such application."), pk=pk)


def application_detail(pk: int) -> Application:
    """`application_with_parties` and all the application says: budget, goals, target groups,
    answers, and its call's goals, criteria and questions."""
    return _one(
        _with_parties(Application.objects).prefetch_related(
            "budget_lines",
            "goals",
            "target_groups",
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


def lead_choices(user) -> tuple[list[Municipality], list[Organisation]]:
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


def _target_groups() -> QuerySet[Term]:
    return Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP)


def target_group_terms(selected_ids=()) -> QuerySet[Term]:
    """Target groups in use, and any the application already names, by code."""
    return _target_groups().filter(Q(active=True) | Q(pk__in=list(selected_ids))).order_by("code")


def target_groups_by_code(codes: list[str]) -> dict[str, Term]:
    """{code: term} of the target groups among `codes`."""
    return {term.code: term for term in _target_groups().filter(code__in=codes)}


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
    )
    reviews = Review.objects.filter(application=OuterRef("pk"))
    return {
        "weighted_sum": _column(
            scores, "review__application", Sum(F("value") * F("criterion__weight")), default=None
        ),
        "weight_sum": _column(
            scores, "review__application", Sum("criterion__weight"), default=None
        ),
        "review_count": _column(
            reviews.filter(status=Review.Status.SUBMITTED), "application", Count("pk")
        ),
        "assigned_count": _column(
            reviews.exclude(status=Review.Status.CONFLICT), "application", Count("pk")
        ),
    }


def weighted_score(weighted_sum: int | None, weight_sum: int | None) -> Decimal | None:
    """The mean score (0–5) weighted by criterion, over all submitted reviews; two decimals."""
    if not weight_sum:
        return None
    return (Decimal(weighted_sum) / Decimal(weight_sum)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def application_score(application: Application) -> Decimal | None:
    """`weighted_score` of one application, over its submitted reviews: None before any, and
    for a draft (never reviewed)."""
    if application.status == Application.Status.DRAFT:
        return None
    sums = (
        Application.objects.filter(pk=application.pk)
        .annotate(**_score_columns())
        .values("weighted_sum", "weight_sum")
        .first()
    )
    return weighted_score(sums["weighted_sum"], sums["weight_sum"]) if sums else None


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

    Ranked in Python over a few integer columns per application (cheap for tens of thousands),
    then the rows of the requested page are fetched whole: a fixed number of queries.
    """
    programme = call.programme
    currency = programme.currency
    remaining = programme.budget_minor - awarded_minor(programme)
    # Three flat queries grouped once each, joined here: per-row subqueries would be evaluated
    # for every one of tens of thousands of proposals.
    waiting = {"call": call, "status": Application.Status.SUBMITTED, "stage": Stage.FULL}
    scores = {
        pk: (ws, wt)
        for pk, ws, wt in Score.objects.filter(
            review__status=Review.Status.SUBMITTED,
            **{f"review__application__{k}": v for k, v in waiting.items()},
        )
        .order_by()
        .values("review__application")
        .annotate(ws=Sum(F("value") * F("criterion__weight")), wt=Sum("criterion__weight"))
        .values_list("review__application", "ws", "wt")
    }
    counts = dict(
        Review.objects.filter(
            status=Review.Status.SUBMITTED,
            **{f"application__{k}": v for k, v in waiting.items()},
        )
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values_list("application", "n")
    )
    # In submission order from the database; the stable sort below keeps it for equal scores.
    rows = [
        (pk, requested, *scores.get(pk, (None, None)), counts.get(pk, 0))
        for pk, requested in Application.objects.filter(**waiting)
        .order_by("submitted_at", "pk")
        .values_list("pk", "requested_minor")
    ]
    # Integers only until the page is cut out: the float key only orders (equal means give
    # equal floats; ties keep submission order); Money is built for the page alone.
    rows.sort(key=lambda r: (r[3] is None, -(r[2] / r[3]) if r[3] else 0))
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


def reviewer_candidates(application: Application) -> QuerySet[User]:
    """Active users with the reviewer role not yet assigned to the application, by name."""
    return (
        User.objects.filter(role_assignments__role=Role.REVIEWER, is_active=True)
        .exclude(grant_reviews__application=application)
        .distinct()
        .order_by("full_name", "email")
    )


def reviews_of(user, *, status: str = "") -> QuerySet[Review]:
    """The user's own reviews, to do first, newest assigned first."""
    queryset = _application_related(Review.objects.filter(reviewer=user), "application__")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "-assigned_at")


def reviews_for(application: Application, *, status: str = "") -> QuerySet[Review]:
    """The application's reviews (in `status`, if given) with reviewer and scores, in the
    order they were assigned."""
    queryset = application.reviews.select_related("reviewer").prefetch_related("scores__criterion")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("assigned_at", "id")


def review_detail(pk: int) -> Review:
    """A review with its reviewer, scores and application (with the call's criteria), or a
    404."""
    return _one(
        _application_related(Review.objects, "application__")
        .select_related("reviewer")
        .prefetch_related("scores", "application__call__criteria"),
        _("No such review."),
        pk=pk,
    )


# --- awards, payments, reports ----------------------------------------------------------


def award_detail(pk: int) -> Award:
    """An award with its application's parties, its payments and its reports, or a 404."""
    return _one(
        _application_related(Award.objects, "application__").prefetch_related(
            "payments", "reports"
        ),
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
        _application_related(Payment.objects, "award__application__"),
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


def award_years() -> list[int]:
    """The years in which grants were awarded, newest first."""
    return [moment.year for moment in Award.objects.datetimes("decided_at", "year", "DESC")]


AWARD_SORTS = {"date": ("-decided_at", "-id"), "amount": ("-amount_minor", "-id")}


def awards_filtered(
    *, programme: Programme | None = None, year: int | None = None, city: str = "", sort="date"
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


def reports_visible_to(user, *, overdue_only: bool = False, today: date | None = None):
    """Reports the user owes (as grantee) or follows (as funder officer or secretariat)."""
    today = today or timezone.localdate()
    queryset = _application_related(GrantReport.objects, "award__application__")
    if not is_secretariat(user):
        queryset = queryset.filter(
            Q(award__application__call__programme__funder_id__in=funder_organisation_ids(user))
            | Q(award__application__lead_municipality_id__in=coordinated_municipality_ids(user))
            | Q(award__application__lead_organisation_id__in=contact_organisation_ids(user))
        )
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


# --- what a submission needs ----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One thing a submission needs: `text` as the checklist says it, `done` whether the
    application has it, and the refusal (`error` with `message`, on `field`) when it has not."""

    field: str
    text: str
    done: bool
    message: str
    error: type[DomainError] = Ineligible

    def refusal(self) -> DomainError:
        return self.error(self.message, field=self.field)


def has_partnership(application: Application) -> bool:
    """An active member municipality and a civil-society organisation, as lead or partner."""
    partners = list(application.partners.all())
    municipality_ids = {p.municipality_id for p in partners if p.municipality_id}
    organisation_ids = {p.organisation_id for p in partners if p.organisation_id}
    if application.lead_municipality_id:
        municipality_ids.add(application.lead_municipality_id)
    if application.lead_organisation_id:
        organisation_ids.add(application.lead_organisation_id)
    has_member_city = Membership.objects.filter(
        status=Membership.Status.ACTIVE, municipality_id__in=municipality_ids
    ).exists()
    has_cso = Organisation.objects.filter(
        pk__in=organisation_ids, type=OrganisationType.CSO
    ).exists()
    return has_member_city and has_cso


def submission_checklist(application: Application) -> list[Check]:
    """Everything a submission at the application's stage needs, in the order it is checked:
    the submit page lists it, and `services.submit_application` refuses with the first item
    not done, so the page and the service never disagree."""
    call = application.call
    currency = call.programme.currency
    requested = application.requested_minor
    checks = [
        Check(
            "title",
            _("The project has a title."),
            bool(application.title),
            _("Give the project a title."),
        ),
        Check(
            "summary",
            _("The project is summarised."),
            bool(application.summary),
            _("Summarise the project."),
        ),
        Check(
            "requested",
            _("The amount requested is from %(min)s to %(max)s.")
            % {"min": call.min_amount, "max": call.max_amount},
            call.min_amount_minor <= requested <= call.max_amount_minor,
            _("This call grants from %(min)s to %(max)s.")
            % {"min": call.min_amount, "max": call.max_amount},
            RequestOutOfRange,
        ),
    ]
    if application.stage == Stage.FULL:
        total = budget_lines_minor(application)
        checks += [
            Check(
                "budget_lines",
                _("The budget lines add up to the amount requested."),
                total == requested,
                _(
                    "The budget lines add up to %(total)s, but the application asks for %(requested)s."
                )
                % {
                    "total": Money.from_minor(total, currency),
                    "requested": Money.from_minor(requested, currency),
                },
                BudgetLinesMismatch,
            ),
            Check(
                "starts_on",
                _("The project has a start and an end date."),
                bool(application.starts_on and application.ends_on),
                _("Give the project's start and end dates."),
            ),
        ]
        if call.goals.all():
            checks.append(
                Check(
                    "goals",
                    _("The project names the charter goals it works towards."),
                    bool(application.goals.all()),
                    _("Name the charter goals the project works towards."),
                )
            )
    if call.requires_partnership:
        checks.append(
            Check(
                "partners",
                _(
                    "A member municipality and a civil-society organisation take part, as lead "
                    "or partner."
                ),
                has_partnership(application),
                _(
                    "This call funds partnerships: the application needs a member municipality "
                    "and a civil-society organisation, as lead or partner."
                ),
                PartnershipRequired,
            )
        )
    answered = {a.question_id for a in application.answers.all() if a.value or a.file}
    for question in questions_asked(application):
        if question.required:
            checks.append(
                Check(
                    f"answer_{question.pk}",
                    _("Answered: “%(question)s”") % {"question": question.display_label},
                    question.pk in answered,
                    _("Answer the question “%(question)s”.") % {"question": question.display_label},
                )
            )
    return checks


def submission_problems(application: Application) -> list[Check]:
    """The checklist's items not done: what stands between the draft and its submission."""
    return [check for check in submission_checklist(application) if not check.done]
