"""Reads of programmes and calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safecities.charter.models import Goal
from safecities.core.money import Money
from safecities.network.models import (
    Organisation,
    OrganisationType,
)
from safecities.network.permissions import (
    funder_organisation_ids,
    is_secretariat,
)

from ..models import (
    Award,
    AwardedByGoal,
    AwardedByLead,
    Call,
    CallQuerySet,
    Programme,
)
from .ledger import NET_AWARDED, _one

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safecities.core.models import User

# --- programmes and calls ---------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    """Every programme with its funder, its awarded and paid sums (the totals the services keep
    on the row, under the names `ledger_from_columns` reads) and its number of calls."""
    return (
        Programme.objects.select_related("funder")
        .annotate(
            awarded_sum=F("awarded_minor"),
            paid_sum=F("paid_minor"),
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


def funders_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
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


def awards_of(programme: Programme, *, until: date | None = None) -> QuerySet[Award]:
    """The programme's awards; with `until`, those decided before that day.

    Found from the awards' side: the application's call is compared as `call_id + 0`, which
    no index serves, so the database reads the awards (a few of the applications) and each
    one's application by its key, rather than every application of the programme's calls
    by the call's index to keep the few awarded: at bench scale 1 about 2 ms rather than 15
    on SQLite, whose planner has no statistics to choose by.
    """
    awards = Award.objects.annotate(call_ref=F("application__call_id") + Value(0)).filter(
        call_ref__in=Call.objects.filter(programme=programme).values("pk")
    )
    if until is not None:
        # On the column itself (the day's first moment here), not `__date`: the same awards,
        # and no conversion of every row's time.
        awards = awards.filter(decided_at__lt=timezone.make_aware(datetime.combine(until, time())))
    return awards.order_by()


def _city_rows(awards: QuerySet[Award]) -> QuerySet[Any]:
    """`awards` grouped by lead city: dicts of city (id), city_name, n and total (net minor
    units), the largest total first."""
    city = Coalesce(
        "application__lead_municipality_id", "application__lead_organisation__municipality_id"
    )
    name = Coalesce(
        "application__lead_municipality__name",
        "application__lead_organisation__municipality__name",
    )
    return (
        awards.annotate(city=city, city_name=name)
        .values("city", "city_name")
        .annotate(n=Count("pk"), total=Sum(NET_AWARDED))
        .order_by("-total", "city_name", "city")
    )


def city_slice(row: dict, *, currency: str) -> Slice:
    """A row of `programme_cities` as a `Slice`."""
    return Slice(
        row["city_name"] or _("No municipality"),
        row["n"],
        Money.from_minor(row["total"], currency),
    )


def programme_cities(programme: Programme, *, until: date | None = None) -> QuerySet[Any]:
    """The programme's awards summed per lead city, the largest total first, as rows for
    `city_slice`: one grouped query (of the kept sums when they answer), to paginate."""
    kept = _kept(programme, until=until)
    if kept is not None:
        return _kept_city_rows(kept[0])
    return _city_rows(awards_of(programme, until=until))


def _kept(
    programme: Programme, *, until: date | None
) -> tuple[QuerySet[AwardedByLead], QuerySet[AwardedByGoal]] | None:
    """The kept sums (`models.kept`) of the awards decided before `until` (all without), by
    lead and by goal; None when they cannot say it: `until` not the first day of a year, or a
    reader in another time zone than the site's, whose years begin at other moments."""
    if timezone.get_current_timezone_name() != settings.TIME_ZONE:
        return None
    leads = AwardedByLead.objects.filter(programme=programme)
    goals = AwardedByGoal.objects.filter(programme=programme)
    if until is not None:
        if (until.month, until.day) != (1, 1):
            return None
        leads, goals = leads.filter(year__lt=until.year), goals.filter(year__lt=until.year)
    return leads.order_by(), goals.order_by()


def awarded_by_year_end(programme: Programme, *, year: int) -> tuple[int, int] | None:
    """What the programme awarded (net, minor units) in the years to the end of `year`, and in
    `year` alone, from the kept sums: one query; None when they cannot say it (`_kept`)."""
    kept = _kept(programme, until=date(year + 1, 1, 1))
    if kept is None:
        return None
    sums = kept[0].aggregate(
        total=Sum("net_minor", default=0),
        in_year=Sum("net_minor", filter=Q(year=year), default=0),
    )
    return sums["total"], sums["in_year"]


def _kept_city_rows(leads: QuerySet[AwardedByLead]) -> QuerySet[Any]:
    """As `_city_rows`, from the kept sums by lead: the lead's city joined as it is now."""
    return (
        leads.annotate(
            city=Coalesce("lead_municipality_id", "lead_organisation__municipality_id"),
            city_name=Coalesce("lead_municipality__name", "lead_organisation__municipality__name"),
        )
        .values("city", "city_name")
        .annotate(n=Sum("awards"), total=Sum("net_minor"))
        .order_by("-total", "city_name", "city")
    )


def _city_list(city_rows: list[dict], *, cities: int | None, currency: str) -> list[Slice]:
    """The largest `cities` of `city_rows` (all without), then one slice for the others."""
    by_city = [city_slice(row, currency=currency) for row in city_rows[:cities]]
    if cities is not None and len(city_rows) > cities:
        others = len(city_rows) - cities
        rest = city_rows[cities:]
        by_city.append(
            Slice(
                ngettext("%(n)s other city", "%(n)s other cities", others) % {"n": others},
                sum(row["n"] for row in rest),
                Money.from_minor(sum(row["total"] for row in rest), currency),
            )
        )
    return by_city


def _goal_list(goal_rows: list[tuple[int, int, int]], *, currency: str) -> list[Slice]:
    """(goal id, awards, net minor units) rows as slices, in the goals' order."""
    goals = Goal.objects.in_bulk([goal for goal, _n, _total in goal_rows])
    ordered = sorted(goal_rows, key=lambda row: goals[row[0]].position)
    return [
        Slice(str(goals[goal]), n, Money.from_minor(total, currency)) for goal, n, total in ordered
    ]


def programme_breakdown(
    programme: Programme,
    *,
    until: date | None = None,
    cities: int | None = None,
    years: bool = True,
) -> dict[str, Any]:
    """Awards by lead city, by charter goal and by year of decision: three grouped queries (with
    the goals' names, four); with `until`, of the awards decided before that
    day. With `cities`, only the largest that many cities, then one slice for all the others:
    `city_count` says how many cities there are in all. Without `years`, no `by_year`.

    A grant led by an organisation counts under the organisation's home municipality, if it
    has one. A grant with several charter goals counts in full under each of them.

    Read from the kept sums (a few rows per lead and year, per goal and year) whenever they
    answer (`_kept`), else from the awards.
    """
    kept = _kept(programme, until=until)
    if kept is None:
        return _breakdown_of_awards(programme, until=until, cities=cities, years=years)
    currency = programme.currency
    leads, goals = kept
    city_rows = list(_kept_city_rows(leads))
    goal_rows = [
        (row["goal"], row["n"], row["total"])
        for row in goals.values("goal").annotate(n=Sum("awards"), total=Sum("net_minor"))
    ]
    year_rows = (
        leads.values("year").annotate(n=Sum("awards"), total=Sum("net_minor")).order_by("year")
        if years
        else []
    )
    return {
        "by_city": _city_list(city_rows, cities=cities, currency=currency),
        "city_count": len(city_rows),
        "by_goal": _goal_list(goal_rows, currency=currency),
        "by_year": [
            Slice(str(r["year"]), r["n"], Money.from_minor(r["total"], currency))
            for r in year_rows
            if r["n"]
        ],
    }


def _breakdown_of_awards(
    programme: Programme, *, until: date | None, cities: int | None, years: bool
) -> dict[str, Any]:
    """`programme_breakdown` grouped from the awards themselves."""
    currency = programme.currency
    awards = awards_of(programme, until=until)
    net = Sum(NET_AWARDED)

    # Every city's row (a few numbers each, at most one per municipality, with its first and
    # last decision, which bound the years), cut here: cheaper than asking the database to
    # count the groups again or to sum them all.
    city_rows = list(_city_rows(awards).annotate(first=Min("decided_at"), last=Max("decided_at")))

    # Grouped from the awards' side, the awards without a goal dropped here: a condition on
    # the goal would lead the database through every application's goals instead.
    goal_rows = [
        (row["application__goals"], row["n"], row["total"])
        for row in awards.values("application__goals").annotate(n=Count("pk"), total=net)
        if row["application__goals"] is not None
    ]

    year_rows = (
        _year_rows(
            awards,
            min((row["first"] for row in city_rows), default=None),
            max((row["last"] for row in city_rows), default=None),
        )
        if years
        else []
    )
    # One year only: the database groups by nothing, and without awards gives one empty row.
    by_year = [
        Slice(str(r["year"]), r["n"], Money.from_minor(r["total"], currency))
        for r in year_rows
        if r["n"]
    ]
    return {
        "by_city": _city_list(city_rows, cities=cities, currency=currency),
        "city_count": len(city_rows),
        "by_goal": _goal_list(goal_rows, currency=currency),
        "by_year": by_year,
    }


def _year_rows(awards: QuerySet[Award], first: datetime | None, last: datetime | None) -> Any:
    """`awards` grouped by the year of decision, in the current time zone: each award's time is
    compared with the years' first moments (from `first`'s year to `last`'s) in the query,
    rather than converted row by row (which SQLite does in Python)."""
    zone = timezone.get_current_timezone()
    if first is None or last is None:  # no awards: asked all the same, so the queries stay
        low = high = timezone.localdate().year
    else:
        low, high = timezone.localtime(first, zone).year, timezone.localtime(last, zone).year
    year = Case(
        *(
            When(decided_at__lt=timezone.make_aware(datetime(y + 1, 1, 1), zone), then=Value(y))
            for y in range(low, high)
        ),
        default=Value(high),
        output_field=IntegerField(),
    )
    return (
        awards.annotate(year=year)
        .values("year")
        .annotate(n=Count("pk"), total=Sum(NET_AWARDED))
        .order_by("year")
    )


def calls(*, programme: Programme | None = None, status: str = "") -> CallQuerySet:
    """Calls with their programme and number of applications (drafts not counted: the kept
    `Call.received_count`), newest first; of one programme, in one status, if given."""
    queryset = Call.objects.select_related("programme__funder").annotate(
        application_count=F("received_count")
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
    user: User | AnonymousUser,
    *,
    programme: Programme | None = None,
    status: str = "",
    with_goals: bool = False,
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


def calls_run_by(user: User | AnonymousUser) -> CallQuerySet:
    """The calls whose programme `user` runs (`grants.runs`, in the query): every call for the
    secretariat, their funder's for a funder officer, none for anyone else; newest first."""
    queryset = calls()
    if getattr(user, "is_authenticated", False) and is_secretariat(user):
        return queryset
    return queryset.filter(programme__funder_id__in=funder_organisation_ids(user))


def call_with_programme(pk: int) -> Call:
    """A call with its programme and funder (what the permission rules read), or a 404."""
    return _one(Call.objects.select_related("programme__funder"), _("No such call."), pk=pk)


def call_detail(pk: int) -> Call:
    """A call with its programme, funder, goals, criteria and questions, or a 404."""
    return _one(
        Call.objects.select_related(
            "programme__funder", "line", "national_programme"
        ).prefetch_related("goals", "criteria", "questions", "countries"),
        _("No such call."),
        pk=pk,
    )
