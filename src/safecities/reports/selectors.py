"""Reads of the reports: a programme's year and a city's profile, gathered from every app.

Reports are public documents: they show what anyone may see (awarded grants, public events,
public practices, adopted plans, indicator figures under the small-number rule), so the same
report is right for every reader and may be cached (`services.request_pdf`). A fixed number of
queries each, whatever the number of grants, events or practices.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.models import AuditEvent
from safecities.core.money import Money
from safecities.events.models import Event, Registration
from safecities.events.selectors import public_events
from safecities.grants import selectors as grants
from safecities.grants.models import Award, GrantReport, Partner, Payment, Programme
from safecities.indicators.models import Baseline, Indicator, Target
from safecities.indicators.selectors import ChangeSinceBaseline, changes_for
from safecities.network.models import Membership, Municipality, Organisation
from safecities.plans.models import ActionPlan, Measure
from safecities.plans.selectors import adopted_plan
from safecities.practices.models import Practice
from safecities.practices.selectors import readable_by_everyone

from .models import ReportFile

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100


def data_version() -> str:
    """What a cached report was built from: the newest entry of the audit trail. Every service
    that changes the network's records writes one, so a new entry means the data may have
    changed and a report built before it is stale. (Not the reports' own entries: asking for a
    PDF changes no data.)"""
    newest = AuditEvent.objects.exclude(target_type__startswith="reports.").aggregate(
        newest=Max("pk")
    )["newest"]
    return str(newest or 0)


# --- the pieces both reports share -----------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A city or an organisation taking part in a grant, labelled lead or partner."""

    name: str
    is_lead: bool
    role: str  # a partner's role in the project, as the application gives it
    city_id: int | None  # the city itself, or the organisation's city
    is_organisation: bool

    @property
    def label(self) -> str:
        return _("lead") if self.is_lead else _("partner")

    @property
    def text(self) -> str:
        """ "lead", "partner" or "partner: Recruits and trains the youth panel"."""
        return f"{self.label}: {self.role}" if self.role else self.label


def _parties_of(application: Any) -> tuple[Party, ...]:
    """The lead, then the partners in the order the application lists them (prefetched)."""
    lead = application.lead_municipality or application.lead_organisation
    rows = [(lead, True, "")] if lead is not None else []
    rows += [(p.party, False, p.role) for p in application.partners.all()]
    return tuple(
        Party(
            name=str(party),
            is_lead=is_lead,
            role=role,
            city_id=party.pk if isinstance(party, Municipality) else party.municipality_id,
            is_organisation=isinstance(party, Organisation),
        )
        for party, is_lead, role in rows
    )


@dataclass(frozen=True)
class Project:
    """An awarded grant as a report shows it: who leads it and who partners in it, its money,
    and its results. In a city's profile, `city_role` says how the city takes part."""

    award: Award
    lead: str
    paid: Money
    results: str  # from the newest accepted or submitted report, empty if none yet
    report_status: str
    parties: tuple[Party, ...] = ()
    city_role: str = ""


def city_role(parties: tuple[Party, ...], *, city_id: int) -> str:
    """How the city takes part: "lead" or "partner" (with the role), itself or through an
    organisation of its own (then named)."""
    texts = []
    for party in parties:
        if party.city_id != city_id:
            continue
        text = party.text
        if party.is_organisation:
            text = _("%(label)s (through %(organisation)s)") % {
                "label": text,
                "organisation": party.name,
            }
        texts.append(text)
    return "; ".join(texts)


def _projects(
    awards: QuerySet[Award], *, until: date | None = None, city: Municipality | None = None
) -> list[Project]:
    # Summed in a subquery per award, not by grouping the joined rows: no GROUP BY over the
    # award's, application's, call's and leads' columns to write and to run.
    paid = Payment.objects.filter(award=OuterRef("pk"), status=Payment.Status.PAID)
    if until is not None:
        paid = paid.filter(paid_on__lt=until)
    paid_sum = paid.order_by().values("award").annotate(total=Sum("amount_minor")).values("total")
    reported = GrantReport.objects.filter(
        status__in=[GrantReport.Status.SUBMITTED, GrantReport.Status.ACCEPTED]
    ).order_by("-submitted_at", "-id")
    rows = (
        Award.objects.filter(pk__in=awards.values("pk"))  # no join of the filter counted twice
        .select_related(
            "application__call__programme",
            "application__lead_municipality",
            "application__lead_organisation",
        )
        .annotate(paid_sum=Subquery(paid_sum))
        .prefetch_related(
            Prefetch("reports", queryset=reported, to_attr="reported"),
            Prefetch(
                "application__partners",
                queryset=Partner.objects.select_related("municipality", "organisation"),
            ),
        )
        .order_by("-decided_at", "-id")
    )
    projects = []
    for award in rows:
        application = award.application
        lead = application.lead_municipality or application.lead_organisation
        newest = award.reported[0] if award.reported else None
        currency = application.call.programme.currency
        parties = _parties_of(application)
        projects.append(
            Project(
                award=award,
                lead=str(lead or ""),
                paid=Money.from_minor(award.paid_sum or 0, currency),
                results=newest.results if newest else "",
                report_status=newest.get_status_display() if newest else "",
                parties=parties,
                city_role=city_role(parties, city_id=city.pk) if city is not None else "",
            )
        )
    return projects


@dataclass(frozen=True)
class HeldEvent:
    event: Event
    registered: int
    attended: int


def _events(events: QuerySet[Event]) -> list[HeldEvent]:
    registered = Count(
        "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
    )
    attended = Count("registrations", filter=Q(registrations__attended=True))
    rows = (
        Event.objects.filter(pk__in=events.values("pk"))
        .select_related("municipality")
        .annotate(n_registered=registered, n_attended=attended)
        .order_by("starts_at", "id")
    )
    return [HeldEvent(e, e.n_registered, e.n_attended) for e in rows]


def _public_events() -> QuerySet[Event]:
    """Events a report may name: the public ones out of draft, but not the cancelled."""
    return public_events().exclude(status=Event.Status.CANCELLED)


@dataclass(frozen=True)
class CityOutcomes:
    municipality: Municipality
    changes: list[ChangeSinceBaseline]


def _goal_position(indicator: Indicator) -> int:
    """Where the indicator's goal stands among the six (an indicator of no goal comes last)."""
    return indicator.goal.position if indicator.goal else 99


def _outcomes(cities: list[Municipality]) -> list[CityOutcomes]:
    """Each city's outcome indicators with a baseline or a target, against them."""
    if not cities:
        return []
    ids = [c.pk for c in cities]
    outcome = {"indicator__kind": Indicator.Kind.OUTCOME, "municipality_id__in": ids}
    pairs = set(Baseline.objects.filter(**outcome).values_list("indicator_id", "municipality_id"))
    pairs |= set(Target.objects.filter(**outcome).values_list("indicator_id", "municipality_id"))
    indicators = Indicator.objects.select_related("goal").in_bulk({i for i, _m in pairs})
    by_id = {c.pk: c for c in cities}
    ordered = sorted(
        pairs,
        key=lambda p: (
            by_id[p[1]].name,
            _goal_position(indicators[p[0]]),
            indicators[p[0]].code,
        ),
    )
    changes = changes_for((indicators[i], by_id[m]) for i, m in ordered)
    result = []
    for city in sorted(cities, key=lambda c: c.name):
        mine = [changes[(i, m)] for i, m in ordered if m == city.pk]
        if mine:
            result.append(CityOutcomes(city, mine))
    return result


def _parties(award_ids: list[int]) -> tuple[list[Municipality], list[int]]:
    """The cities taking part in these grants (leading, partnering, or the seat of a leading or
    partnering organisation), by name, and the organisations' ids."""
    leads = Award.objects.filter(pk__in=award_ids).values_list(
        "application__lead_municipality", "application__lead_organisation"
    )
    partners = Partner.objects.filter(application__award__in=award_ids).values_list(
        "municipality", "organisation"
    )
    pairs = [*leads, *partners]
    organisation_ids = sorted({o for _m, o in pairs if o})
    city_ids = {m for m, _o in pairs if m}
    city_ids |= set(
        Organisation.objects.filter(pk__in=organisation_ids)
        .exclude(municipality=None)
        .values_list("municipality", flat=True)
    )
    cities = list(Municipality.objects.filter(pk__in=city_ids).order_by("name"))
    return cities, organisation_ids


# --- the programme report --------------------------------------------------------------------


@dataclass
class ProgrammeReport:
    """A programme's year: its money, projects, events, practices and the cities' outcomes."""

    programme: Programme
    year: int
    ledger: dict[str, Money]  # to the end of the year
    lines: dict  # the budget lines' ledgers to the end of the year: `grants.lines_overview`
    awarded_in_year: Money
    paid_in_year: Money
    breakdown: dict[str, list]  # by_city, by_goal: awards decided to the end of the year
    projects: list[Project]
    events: list[HeldEvent]
    practices: list[Practice]
    outcomes: list[CityOutcomes]

    @property
    def has_data(self) -> bool:
        """Anything happened in the programme that year: money moved, a project ran, an event
        was held or a practice was published."""
        return bool(
            self.awarded_in_year.minor_units
            or self.paid_in_year.minor_units
            or self.projects
            or self.events
            or self.practices
        )

    @property
    def money(self) -> dict[str, Money]:
        """The ledger with what was awarded and paid in the year, as the money section shows."""
        return {
            **self.ledger,
            "awarded_in_year": self.awarded_in_year,
            "paid_in_year": self.paid_in_year,
        }

    @property
    def attendance(self) -> int:
        return sum(e.attended for e in self.events)


def programme_for_report(slug: str) -> Programme:
    """A programme by its slug, or a 404."""
    try:
        return Programme.objects.select_related("funder").get(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404(_("No such programme.")) from exc


def programme_report(programme: Programme, *, year: int) -> ProgrammeReport:
    """The programme's report for `year`. Projects are the grants decided by the end of the
    year whose project period touches it; the cities are those leading or partnering in them;
    events and practices are the public ones of the year from those cities and organisations
    (practices also by the grant that funded them)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    start_at, end_at = (timezone.make_aware(datetime(y, 1, 1)) for y in (year, year + 1))
    currency = programme.currency
    ledger = grants.programme_ledger(programme, until=end)
    before = grants.programme_ledger(programme, until=start)
    awards = Award.objects.filter(
        application__call__programme=programme, decided_at__date__lt=end
    ).filter(
        Q(decided_at__date__gte=start)  # decided in the year, or running in it
        | Q(application__starts_on__lt=end)
        & (Q(application__ends_on__gte=start) | Q(application__ends_on__isnull=True))
    )
    projects = _projects(awards, until=end)
    award_ids = [p.award.pk for p in projects]
    cities, organisation_ids = _parties(award_ids)
    city_ids = [c.pk for c in cities]
    year_events = _public_events().filter(starts_at__gte=start_at, starts_at__lt=end_at)
    events = year_events.filter(
        Q(municipality__in=city_ids)
        | Q(organising_municipalities__in=city_ids)
        | Q(attending_municipalities__in=city_ids)
        | Q(organising_organisations__in=organisation_ids)
    ).distinct()
    practices = (
        readable_by_everyone()
        .filter(published_at__gte=start_at, published_at__lt=end_at)
        .filter(
            Q(municipalities__in=city_ids)
            | Q(organisations__in=organisation_ids)
            | Q(grant__in=award_ids)
        )
        .distinct()
        .order_by("title")
    )
    return ProgrammeReport(
        programme=programme,
        year=year,
        ledger=ledger,
        lines=grants.lines_overview(programme, until=end),
        awarded_in_year=Money.from_minor(
            ledger["awarded"].minor_units - before["awarded"].minor_units, currency
        ),
        paid_in_year=Money.from_minor(
            ledger["paid"].minor_units - before["paid"].minor_units, currency
        ),
        breakdown=grants.programme_breakdown(programme, until=end),
        projects=projects,
        events=_events(events),
        practices=list(practices),
        outcomes=_outcomes(cities),
    )


# --- the city profile ------------------------------------------------------------------------


@dataclass
class CityProfile:
    municipality: Municipality
    memberships: list[Membership]
    plan: ActionPlan | None
    measures: list[Measure]
    outcomes: list[ChangeSinceBaseline]
    projects: list[Project]
    practices: list[Practice]
    events: list[HeldEvent]

    @property
    def membership(self) -> Membership | None:
        """The membership in force, else the latest."""
        active = [m for m in self.memberships if m.status == Membership.Status.ACTIVE]
        chosen = active or self.memberships
        return chosen[0] if chosen else None


def municipality_for_report(slug: str) -> Municipality:
    try:
        return Municipality.objects.select_related("country").get(slug=slug)
    except Municipality.DoesNotExist as exc:
        raise Http404(_("No such municipality.")) from exc


def member_cities() -> QuerySet[Municipality]:
    """Cities with a membership, for the reports' index."""
    return (
        Municipality.objects.filter(memberships__isnull=False)
        .select_related("country")
        .distinct()
        .order_by("country__code", "name")
    )


def city_profile(municipality: Municipality, *, lists: bool = True) -> CityProfile:
    """The city's profile; without `lists`, its grants, practices and events are left empty
    (the web page reads them a page at a time: `sections.city_summary`)."""
    plan = adopted_plan(municipality)
    measures = (
        list(Measure.objects.filter(plan=plan).prefetch_related("goals").order_by("position", "id"))
        if plan
        else []
    )
    outcomes = _outcomes([municipality])
    profile = CityProfile(
        municipality=municipality,
        memberships=list(municipality.memberships.order_by("-started_on", "-id")),
        plan=plan,
        measures=measures,
        outcomes=outcomes[0].changes if outcomes else [],
        projects=[],
        practices=[],
        events=[],
    )
    if not lists:
        return profile
    awards = Award.objects.filter(
        Q(application__lead_municipality=municipality)
        | Q(application__lead_organisation__municipality=municipality)
        | Q(application__partners__municipality=municipality)
        | Q(application__partners__organisation__municipality=municipality)
    ).distinct()
    profile.projects = _projects(awards, city=municipality)
    profile.practices = list(
        readable_by_everyone()
        .filter(Q(municipalities=municipality) | Q(organisations__municipality=municipality))
        .distinct()
        .order_by("-published_at", "title")
    )
    profile.events = _events(
        _public_events()
        .filter(
            Q(municipality=municipality)
            | Q(organising_municipalities=municipality)
            | Q(organising_organisations__municipality=municipality)
        )
        .distinct()
    )
    return profile


# --- built PDFs ------------------------------------------------------------------------------


def current_file(kind: str, *, subject: str, year: int, language: str) -> ReportFile | None:
    """The built or building PDF of a report at today's data, if there is one."""
    return (
        ReportFile.objects.filter(
            kind=kind, subject=subject, year=year, language=language, version=data_version()
        )
        .order_by("-id")
        .first()
    )


def report_file(pk: int) -> ReportFile:
    try:
        return ReportFile.objects.get(pk=pk)
    except ReportFile.DoesNotExist as exc:
        raise Http404(_("No such report file.")) from exc
