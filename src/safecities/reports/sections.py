"""Reads of the report pages: a summary of each report with its totals counted by the database,
and its long sections (projects, events, practices, the cities' outcomes) a page at a time.

The PDF keeps the whole document (`selectors.programme_report`, `selectors.city_profile`); the
web pages ask only for the rows they show, so their cost and their number of queries stay the
same whatever the size of the network. They select the same rows as the PDF's reads, found
the way a large network needs (see `id_set`, `programme_events`), in the same order.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from safecities.core.money import Money
from safecities.events.models import Event, Registration
from safecities.grants import selectors as grants
from safecities.grants.models import Application, Award, Partner, Payment, Programme
from safecities.indicators.models import Baseline, Indicator, Target
from safecities.network.models import Municipality, Organisation
from safecities.practices.models import Practice
from safecities.practices.selectors import readable_by_everyone

from . import selectors

# How many rows of a section the report page shows (then "Show all N"), and how many a page
# of the section's own view shows; outcome tables are per city, so fewer cities a page.
PREVIEW = 5
PER_PAGE = 25
CITIES_PREVIEW = 2
CITIES_PER_PAGE = 10
# The programme page charts this many cities, then the others as one slice.
CHART_CITIES = 10


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year's first and the next year's first moment, in the site's time zone (so a
    comparison on the column itself, which an index serves, says what `__date` would)."""
    return (
        timezone.make_aware(datetime(year, 1, 1)),
        timezone.make_aware(datetime(year + 1, 1, 1)),
    )


def id_set(ids: list[int]) -> RawSQL:
    """`ids` as a subquery for `__in`, passed as one parameter: a large programme's cities
    and organisations are thousands, which Django would otherwise prepare one by one in every
    query that names them (tens of milliseconds each)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


# --- the sections ------------------------------------------------------------------------


def programme_awards(programme: Programme, *, year: int) -> QuerySet[Award]:
    """The report's projects: the grants decided by the end of the year whose project period
    touches it (or decided in it)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    start_at, _end_at = _year_bounds(year)
    return grants.awards_of(programme, until=end).filter(
        Q(decided_at__gte=start_at)
        | Q(application__starts_on__lt=end)
        & (Q(application__ends_on__gte=start) | Q(application__ends_on__isnull=True))
    )


def project_rows(awards: QuerySet[Award]) -> QuerySet[Award]:
    """`awards` in the report's order (newest decision first), to slice and pass to
    `projects`."""
    return awards.order_by("-decided_at", "-id")


def projects(
    rows, *, until: date | None = None, city: Municipality | None = None
) -> list[selectors.Project]:
    """The awards `rows` (a slice of `project_rows`, or their ids) as the report shows them,
    each party labelled lead or partner (and, given a `city`, how that city takes part): four
    queries (three given the ids; the slice's ids first, so the summing query does not repeat
    the section's conditions)."""
    ids = rows if isinstance(rows, list) else list(rows.values_list("pk", flat=True))
    if not ids:
        return []
    return selectors._projects(Award.objects.filter(pk__in=ids), until=until, city=city)


def _events_of(events: QuerySet[Event]) -> QuerySet[Event]:
    return Event.objects.filter(pk__in=events.values("pk")).order_by("starts_at", "id")


def held_events(rows: QuerySet[Event]) -> list[selectors.HeldEvent]:
    """A slice of events with their registrations and attendance: two queries (the slice's
    ids first, so the counting query does not repeat the section's conditions)."""
    ids = list(rows.values_list("pk", flat=True))
    return selectors._events(Event.objects.filter(pk__in=ids)) if ids else []


def count_and_attendance(events: QuerySet[Event]) -> tuple[int, int]:
    """How many `events` there are, and how many attended them in all: one query."""
    attended = (
        Registration.objects.filter(event=OuterRef("pk"), attended=True)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    totals = events.order_by().aggregate(n=Count("pk"), attended=Sum(Subquery(attended), default=0))
    return totals["n"], totals["attended"]


def programme_events(year: int, *, city_ids: list[int], organisation_ids: list[int]):
    """The public events of the year held in, organised by or attended by the cities taking
    part, or organised by their organisations. The year's events first, then each checked
    (`Exists`): the cities of a large programme are most of the network, so the other way
    round would read most of the events of every year."""
    start_at, end_at = _year_bounds(year)
    organising = Event.organising_municipalities.through
    attending = Event.attending_municipalities.through
    organisers = Event.organising_organisations.through
    mine = {"event": OuterRef("pk")}
    cities, organisations = id_set(city_ids), id_set(organisation_ids)
    events = selectors._public_events().filter(starts_at__gte=start_at, starts_at__lt=end_at)
    return events.filter(
        Q(municipality_id__in=cities)
        | Exists(organising.objects.filter(**mine, municipality_id__in=cities))
        | Exists(attending.objects.filter(**mine, municipality_id__in=cities))
        | Exists(organisers.objects.filter(**mine, organisation_id__in=organisations))
    ).order_by("starts_at", "id")


def programme_practices(
    year: int, *, city_ids: list[int], organisation_ids: list[int], award_ids: list[int]
) -> QuerySet[Practice]:
    """The public practices published in the year by the cities or organisations taking part,
    or funded by the projects: the year's first (index `practice_published`), then each
    checked."""
    start_at, end_at = _year_bounds(year)
    cities = Practice.municipalities.through
    organisations = Practice.organisations.through
    mine = {"practice": OuterRef("pk")}
    return (
        readable_by_everyone()
        .filter(published_at__gte=start_at, published_at__lt=end_at)
        .filter(
            Exists(cities.objects.filter(**mine, municipality_id__in=id_set(city_ids)))
            | Exists(
                organisations.objects.filter(**mine, organisation_id__in=id_set(organisation_ids))
            )
            | Q(grant_id__in=id_set(award_ids))
        )
        .only("id", "title", "language", "published_at")
        .order_by("title", "id")
    )


def cities_with_outcomes(city_ids) -> QuerySet[Municipality]:
    """Of `city_ids`, the cities with an outcome indicator that has a baseline or a target,
    by name."""
    outcome = {"indicator__kind": Indicator.Kind.OUTCOME}
    return (
        Municipality.objects.filter(pk__in=id_set(city_ids))
        .filter(
            Q(pk__in=Baseline.objects.filter(**outcome).values("municipality"))
            | Q(pk__in=Target.objects.filter(**outcome).values("municipality"))
        )
        .order_by("name", "id")
    )


def outcomes(cities) -> list[selectors.CityOutcomes]:
    """A page of cities' outcome tables."""
    return selectors._outcomes(list(cities))


# --- the programme report's summary ------------------------------------------------------


@dataclass
class ProgrammeScope:
    """What a programme's year covers: its projects' ids newest first, the cities taking part,
    and the events, practices and outcome cities as querysets to count or page through."""

    programme: Programme
    year: int
    award_ids: list[int]
    city_ids: list[int]
    events: QuerySet[Event]
    practices: QuerySet[Practice]
    outcome_cities: QuerySet[Municipality]

    @property
    def until(self) -> date:
        return date(self.year + 1, 1, 1)


def _parties(awards: QuerySet[Award]) -> tuple[list[int], list[int], list[int]]:
    """The awards' ids (newest decision first), and the cities and organisations taking part
    in them (as `selectors._parties` finds them): two queries of ids."""
    leads = list(
        awards.order_by("-decided_at", "-id").values_list(
            "pk",
            "application__lead_municipality",
            "application__lead_organisation",
            "application__lead_organisation__municipality",
        )
    )
    award_ids = [row[0] for row in leads]
    partners = Partner.objects.filter(application__award__in=id_set(award_ids)).values_list(
        "municipality", "organisation", "organisation__municipality"
    )
    rows = [row[1:] for row in leads] + list(partners)
    cities = sorted({c for c, _o, _s in rows if c} | {s for _c, _o, s in rows if s})
    organisations = sorted({o for _c, o, _s in rows if o})
    return award_ids, cities, organisations


def programme_scope(programme: Programme, *, year: int) -> ProgrammeScope:
    """The sections of the programme's year: the projects and the parties to them (two
    queries), then the events, practices and outcome cities of those (querysets not yet
    asked)."""
    award_ids, city_ids, organisation_ids = _parties(programme_awards(programme, year=year))
    return ProgrammeScope(
        programme=programme,
        year=year,
        award_ids=award_ids,
        city_ids=city_ids,
        events=programme_events(year, city_ids=city_ids, organisation_ids=organisation_ids),
        practices=programme_practices(
            year, city_ids=city_ids, organisation_ids=organisation_ids, award_ids=award_ids
        ),
        outcome_cities=cities_with_outcomes(city_ids),
    )


def year_money(programme: Programme, *, year: int) -> dict[str, Money]:
    """The programme's ledger to the end of `year` and what was awarded and paid in it: two
    aggregate queries (the kept sums of the awards, else the awards; the payments), each
    summing both at once."""
    start_at, _end_at = _year_bounds(year)
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    currency = programme.currency
    kept = grants.awarded_by_year_end(programme, year=year)
    if kept is not None:
        awards = {"total": kept[0], "in_year": kept[1]}
    else:
        awards = grants.awards_of(programme, until=end).aggregate(
            total=Sum(grants.NET_AWARDED, default=0),
            in_year=Sum(grants.NET_AWARDED, filter=Q(decided_at__gte=start_at), default=0),
        )
    # From the awards' side too (see `grants.awards_of`), to each one's payments by its key
    # (of the awards decided by the end of the year: no grant is paid before it is awarded).
    paid_by_then = Q(payments__status=Payment.Status.PAID, payments__paid_on__lt=end)
    paid = grants.awards_of(programme, until=end).aggregate(
        total=Sum("payments__amount_minor", filter=paid_by_then, default=0),
        in_year=Sum(
            "payments__amount_minor",
            filter=paid_by_then & Q(payments__paid_on__gte=start),
            default=0,
        ),
    )
    return {
        "budget": Money.from_minor(programme.budget_minor, currency),
        "awarded": Money.from_minor(awards["total"], currency),
        "paid": Money.from_minor(paid["total"], currency),
        "remaining": Money.from_minor(programme.budget_minor - awards["total"], currency),
        "awarded_in_year": Money.from_minor(awards["in_year"], currency),
        "paid_in_year": Money.from_minor(paid["in_year"], currency),
    }


@dataclass
class ProgrammeSummary:
    """The programme report's page: its money, its charts' figures, each section's count and
    its first rows."""

    scope: ProgrammeScope
    money: dict[str, Money]
    lines: dict  # the budget lines' ledgers to the end of the year: `grants.lines_overview`
    breakdown: dict
    project_count: int
    projects: list[selectors.Project]
    event_count: int
    attendance: int
    events: list[selectors.HeldEvent]
    practice_count: int
    practices: list[Practice]
    city_count: int
    outcome_city_count: int
    outcomes: list[selectors.CityOutcomes]

    @property
    def has_data(self) -> bool:
        """As `ProgrammeReport.has_data`."""
        return bool(
            self.money["awarded_in_year"].minor_units
            or self.money["paid_in_year"].minor_units
            or self.project_count
            or self.event_count
            or self.practice_count
        )


def programme_summary(programme: Programme, *, year: int) -> ProgrammeSummary:
    scope = programme_scope(programme, year=year)
    project_count = len(scope.award_ids)
    event_count, attended = count_and_attendance(scope.events)
    practice_count = scope.practices.count()
    outcome_city_count = scope.outcome_cities.count()
    return ProgrammeSummary(
        scope=scope,
        money=year_money(programme, year=year),
        lines=grants.lines_overview(programme, until=scope.until),
        breakdown=grants.programme_breakdown(
            programme, until=scope.until, cities=CHART_CITIES, years=False
        ),
        project_count=project_count,
        projects=projects(scope.award_ids[:PREVIEW], until=scope.until) if project_count else [],
        event_count=event_count,
        attendance=attended,
        events=held_events(scope.events[:PREVIEW]) if event_count else [],
        practice_count=practice_count,
        practices=list(scope.practices[:PREVIEW]) if practice_count else [],
        city_count=len(scope.city_ids),
        outcome_city_count=outcome_city_count,
        outcomes=outcomes(scope.outcome_cities[:CITIES_PREVIEW]) if outcome_city_count else [],
    )


# --- the city profile's summary ----------------------------------------------------------


def city_awards(municipality: Municipality) -> QuerySet[Award]:
    """The grants the city takes part in: leading or partnering, itself or through an
    organisation of its own (each once). The applications are found first, each condition
    along its own index (SQLite joins the four as a multi-index OR), then their awards by the
    award's application: the other way round, the database reads every application of every
    call to keep the city's few (at bench scale 1, 27 ms rather than under 1)."""
    organisations = Organisation.objects.filter(municipality=municipality).values("pk")
    applications = Application.objects.filter(
        Q(lead_municipality=municipality)
        | Q(lead_organisation__in=organisations)
        | Q(pk__in=Partner.objects.filter(municipality=municipality).values("application"))
        | Q(pk__in=Partner.objects.filter(organisation__in=organisations).values("application"))
    )
    return Award.objects.filter(application_id__in=applications.values("pk"))


def city_practices(municipality: Municipality) -> QuerySet[Practice]:
    cities = Practice.municipalities.through
    organisations = Practice.organisations.through
    return (
        readable_by_everyone()
        .filter(
            Q(pk__in=cities.objects.filter(municipality=municipality).values("practice"))
            | Q(
                pk__in=organisations.objects.filter(organisation__municipality=municipality).values(
                    "practice"
                )
            )
        )
        .only("id", "title", "language", "published_at")
        .order_by("-published_at", "title", "id")
    )


def city_events(municipality: Municipality) -> QuerySet[Event]:
    through = Event.organising_municipalities.through
    organisers = Event.organising_organisations.through
    return _events_of(
        selectors._public_events().filter(
            Q(municipality=municipality)
            | Q(pk__in=through.objects.filter(municipality=municipality).values("event"))
            | Q(
                pk__in=organisers.objects.filter(organisation__municipality=municipality).values(
                    "event"
                )
            )
        )
    )


@dataclass
class CitySummary:
    """The city profile's page: the PDF's short sections whole, the long ones counted and
    begun."""

    profile: selectors.CityProfile  # membership, plan, measures and outcomes; no lists
    project_count: int
    awarded: dict[str, int]  # minor units by currency
    practice_count: int
    event_count: int
    attendance: int


def city_summary(municipality: Municipality) -> CitySummary:
    rows = project_rows(city_awards(municipality))
    practices = city_practices(municipality)
    events = city_events(municipality)
    by_currency = (
        rows.values("application__call__programme__currency")
        .annotate(n=Count("pk"), total=Sum(grants.NET_AWARDED))
        .order_by("application__call__programme__currency")
    )
    awarded = {r["application__call__programme__currency"]: r["total"] for r in by_currency}
    project_count = sum(r["n"] for r in by_currency)
    practice_count = practices.count()
    event_count, attended = count_and_attendance(events)
    profile = selectors.city_profile(municipality, lists=False)
    profile.projects = projects(rows[:PREVIEW], city=municipality) if project_count else []
    profile.practices = list(practices[:PREVIEW]) if practice_count else []
    profile.events = held_events(events[:PREVIEW]) if event_count else []
    return CitySummary(
        profile=profile,
        project_count=project_count,
        awarded=awarded,
        practice_count=practice_count,
        event_count=event_count,
        attendance=attended,
    )


def currency_totals(awarded: dict[str, int]) -> list[Money]:
    return [Money.from_minor(total, currency) for currency, total in awarded.items()]
