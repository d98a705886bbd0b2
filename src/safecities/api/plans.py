"""Action plans in the API: a city's plans, each with its sections and measures, and progress
reports on a measure.

Adopted plans, and archived ones that were adopted, are public; a draft is listed and found
only with the token of someone who manages it (the city's coordinators, the secretariat), as
`plans.permissions.can_view` decides for the pages. Budgets travel as decimal strings in their
currency ("150000.00"), never as JSON numbers. Who wrote a progress report is not given.
"""

from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from safecities.network import selectors as network_selectors
from safecities.network.models import Municipality
from safecities.plans import permissions, selectors, services
from safecities.plans.models import (
    ActionPlan,
    Measure,
    MeasureIndicator,
    PlanSection,
    ProgressUpdate,
)

from .auth import TokenAuth
from .paging import Pagination

router = Router(tags=["plans"])


def anyone(request):
    """Public reads that show more to a token's owner: no token (or a bad one) is anonymous."""
    return AnonymousUser()


OPTIONAL_TOKEN = [TokenAuth(), anyone]


# --- schemas -----------------------------------------------------------------------------------


class PlanCityOut(Schema):
    slug: str
    name: str


class PlanOut(Schema):
    id: int
    city: PlanCityOut
    title: str
    status: str
    starts_on: date
    ends_on: date
    adopted_on: date | None
    adopted_by_body: str
    case_number: str
    updated_at: datetime

    @staticmethod
    def resolve_city(obj: ActionPlan) -> Municipality:
        return obj.municipality


class SectionOut(Schema):
    goal: str
    heading: str
    headings: dict
    text: str
    position: int

    @staticmethod
    def resolve_goal(obj: PlanSection) -> str:
        return obj.goal.code

    @staticmethod
    def resolve_heading(obj: PlanSection) -> str:
        return obj.display_heading

    @staticmethod
    def resolve_headings(obj: PlanSection) -> dict:
        return obj.heading


class LinkedIndicatorOut(Schema):
    indicator: str
    direction: str

    @staticmethod
    def resolve_indicator(obj: MeasureIndicator) -> str:
        return obj.indicator.code


class ProgressOut(Schema):
    id: int
    measure: int
    reported_on: date
    text: str
    status: str

    @staticmethod
    def resolve_measure(obj: ProgressUpdate) -> int:
        return obj.measure_id


class MeasureOut(Schema):
    id: int
    position: int
    title: str
    description: str
    goals: list[str]
    target_groups: list[str]
    phenomena: list[str]
    partners: list[str]
    owner_department: str
    status: str
    starts_on: date | None
    ends_on: date | None
    budget: str | None
    currency: str | None
    grant: int | None
    outcome_indicators: list[LinkedIndicatorOut]
    output_indicators: list[LinkedIndicatorOut]
    progress: list[ProgressOut]

    @staticmethod
    def resolve_goals(obj: Measure) -> list[str]:
        return [goal.code for goal in obj.goals.all()]

    @staticmethod
    def resolve_target_groups(obj: Measure) -> list[str]:
        return [term.code for term in obj.target_groups.all()]

    @staticmethod
    def resolve_phenomena(obj: Measure) -> list[str]:
        return [term.code for term in obj.phenomena.all()]

    @staticmethod
    def resolve_partners(obj: Measure) -> list[str]:
        return [organisation.slug for organisation in obj.partners.all()]

    @staticmethod
    def resolve_budget(obj: Measure) -> str | None:
        return None if obj.budget is None else f"{obj.budget.amount:f}"

    @staticmethod
    def resolve_currency(obj: Measure) -> str | None:
        return obj.currency or None

    @staticmethod
    def resolve_grant(obj: Measure) -> int | None:
        return obj.grant_id

    @staticmethod
    def resolve_outcome_indicators(obj: Measure) -> list[MeasureIndicator]:
        return [i for i in obj.indicators.all() if i.role == MeasureIndicator.Role.OUTCOME]

    @staticmethod
    def resolve_output_indicators(obj: Measure) -> list[MeasureIndicator]:
        return [i for i in obj.indicators.all() if i.role == MeasureIndicator.Role.OUTPUT]

    @staticmethod
    def resolve_progress(obj: Measure) -> list[ProgressUpdate]:
        return list(obj.progress_updates.all())


class PlanDetailOut(PlanOut):
    sections: list[SectionOut]
    measures: list[MeasureOut]

    @staticmethod
    def resolve_sections(obj: ActionPlan) -> list[PlanSection]:
        return list(obj.sections.all())

    @staticmethod
    def resolve_measures(obj: ActionPlan) -> list[Measure]:
        return list(obj.measures.all())


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reported_on: date
    text: str
    status: str


class ProgressPostedOut(ProgressOut):
    measure_status: str

    @staticmethod
    def resolve_measure_status(obj: ProgressUpdate) -> str:
        return obj.measure.status


# --- plans -------------------------------------------------------------------------------------


def _user(request):
    return request.auth if getattr(request.auth, "is_authenticated", False) else None


@router.get("", response=list[PlanOut], auth=OPTIONAL_TOKEN, url_name="plans")
@paginate(Pagination, page_size=50)
def plans(request, city: str | None = None) -> QuerySet[ActionPlan]:
    """Action plans (`?city=<slug>`), by city and newest period first: adopted ones and archived
    ones that were adopted. With the token of someone who manages a city's plans, its drafts
    too."""
    visible = selectors.plans_visible_to(_user(request))
    if city:
        visible = visible.filter(municipality=network_selectors.municipality_by_slug(city))
    return visible.order_by("municipality__name", "-starts_on", "-id")


@router.get("/{int:pk}", response=PlanDetailOut, auth=OPTIONAL_TOKEN, url_name="plan")
def plan(request, pk: int):
    """A plan with its sections (one per charter goal) and its measures: goals, status, dates,
    budget, the indicators each produces (outputs) or aims to move (outcomes) with the expected
    direction, and its progress reports. A draft is found only with the token of someone who
    manages it."""
    obj = selectors.plan_with_measures(pk)
    if not permissions.can_view(_user(request), obj):
        raise Http404
    return obj


# --- measures ----------------------------------------------------------------------------------


@router.post(
    "/measures/{int:pk}/progress",
    response={201: ProgressPostedOut},
    auth=TokenAuth(),
    url_name="plans-measure-progress",
)
def post_progress(request, pk: int, payload: ProgressIn):
    """Report on a measure of your city's plan: what happened by `reported_on`, and the
    measure's `status` now (planned → ongoing → done, or stopped). 201 with the report and the
    measure's status."""
    measure = selectors.measure_with_plan(pk)
    if not permissions.can_view(_user(request), measure.plan):
        raise Http404
    update = services.post_progress(
        actor=request.auth,
        measure=measure,
        reported_on=payload.reported_on,
        text=payload.text,
        status=payload.status,
    )
    return Status(201, update)
