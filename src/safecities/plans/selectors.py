"""Reads of action plans. Lists fetch what they show in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.network.models import Municipality
from safecities.network.permissions import coordinated_municipality_ids, is_secretariat

from .models import (
    ActionPlan,
    Measure,
    MeasureIndicator,
    PlanSection,
    PlanTemplate,
    TemplateSection,
)

# Adopted plans, and archived ones that were adopted: what everyone may read.
PUBLIC = Q(status=ActionPlan.Status.ADOPTED) | Q(
    status=ActionPlan.Status.ARCHIVED, adopted_on__isnull=False
)


def template_sections() -> QuerySet[TemplateSection]:
    """The network template's sections with their goals, in order."""
    return TemplateSection.objects.filter(template__key=PlanTemplate.NETWORK).select_related("goal")


def plans_visible_to(user) -> QuerySet[ActionPlan]:
    """Public plans for everyone; drafts too for those who manage them (the decision of
    `plans.view`, taken in the query)."""
    queryset = ActionPlan.objects.select_related("municipality")
    if getattr(user, "is_authenticated", False) and is_secretariat(user):
        return queryset
    visible = PUBLIC
    cities = coordinated_municipality_ids(user) if user is not None else set()
    if cities:
        visible |= Q(municipality_id__in=cities)
    return queryset.filter(visible)


def plans_of(municipality: Municipality, *, user=None) -> QuerySet[ActionPlan]:
    """A city's plans that `user` may see (no user: the public ones), newest period first."""
    return plans_visible_to(user).filter(municipality=municipality).order_by("-starts_on", "-id")


def adopted_plan(municipality: Municipality) -> ActionPlan | None:
    """The plan in force for the city, if one is adopted."""
    return (
        ActionPlan.objects.filter(municipality=municipality, status=ActionPlan.Status.ADOPTED)
        .select_related("municipality")
        .first()
    )


def plan_detail(pk: int) -> ActionPlan:
    """A plan with its city and sections (with their goals), or a 404. Callers check
    `plans.view` (or `permissions.can_view`) before showing it."""
    try:
        return (
            ActionPlan.objects.select_related("municipality", "created_by")
            .prefetch_related(
                Prefetch("sections", queryset=PlanSection.objects.select_related("goal"))
            )
            .get(pk=pk)
        )
    except ActionPlan.DoesNotExist as exc:
        raise Http404(_("No such action plan.")) from exc


def measures(plan: ActionPlan, *, goal: Goal | None = None, status: str = "") -> QuerySet[Measure]:
    """The plan's measures with everything a list shows; for one goal or status, if given."""
    queryset = (
        Measure.objects.filter(plan=plan)
        .select_related("grant__application")
        .prefetch_related(
            "goals",
            "target_groups",
            "phenomena",
            "partners",
            Prefetch("indicators", queryset=MeasureIndicator.objects.select_related("indicator")),
        )
    )
    if goal is not None:
        queryset = queryset.filter(goals=goal)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("position", "id")


@dataclass
class MeasureLogic:
    """A measure and the indicators it names, split by role."""

    measure: Measure
    outcomes: list[MeasureIndicator] = field(default_factory=list)
    outputs: list[MeasureIndicator] = field(default_factory=list)

    @property
    def without_outcome(self) -> bool:
        """The measure names no outcome indicator: nothing says whether it changes anything."""
        return not self.outcomes


@dataclass
class GoalLogic:
    """One charter goal of a plan: the plan's section and the measures that serve it."""

    goal: Goal
    section: PlanSection | None
    measures: list[MeasureLogic] = field(default_factory=list)

    @property
    def without_outcome(self) -> list[MeasureLogic]:
        return [m for m in self.measures if m.without_outcome]


def logic_model(plan: ActionPlan) -> list[GoalLogic]:
    """Per charter goal of the plan (in section order), each measure with its outcome and output
    indicators. A measure serving several goals is listed under each. Four queries, whatever
    the number of measures and indicators."""
    sections = list(PlanSection.objects.filter(plan=plan).select_related("goal"))
    blocks = {s.goal_id: GoalLogic(goal=s.goal, section=s) for s in sections}
    for measure in (
        measures(plan)
        .prefetch_related(None)
        .prefetch_related(
            "goals",
            Prefetch(
                "indicators",
                queryset=MeasureIndicator.objects.select_related("indicator").order_by(
                    "indicator__code"
                ),
            ),
        )
    ):
        logic = MeasureLogic(measure=measure)
        for link in measure.indicators.all():
            if link.role == MeasureIndicator.Role.OUTCOME:
                logic.outcomes.append(link)
            else:
                logic.outputs.append(link)
        for goal in measure.goals.all():
            block = blocks.get(goal.pk)
            if block is None:  # a goal outside the plan's sections: services refuse it
                block = blocks[goal.pk] = GoalLogic(goal=goal, section=None)
            block.measures.append(logic)
    return list(blocks.values())


def measures_without_outcome(plan: ActionPlan) -> QuerySet[Measure]:
    """The plan's measures that name no outcome indicator."""
    return (
        Measure.objects.filter(plan=plan)
        .exclude(indicators__role=MeasureIndicator.Role.OUTCOME)
        .order_by("position", "id")
    )
