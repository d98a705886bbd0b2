"""Reads of action plans. Lists fetch what they show in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.indicators import selectors as indicator_selectors
from safecities.indicators.models import Indicator
from safecities.indicators.selectors import ChangeSinceBaseline
from safecities.network.models import Municipality
from safecities.network.permissions import coordinated_municipality_ids, is_secretariat

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safecities.core.models import User
    from safecities.grants.models import Award

    Reader = User | AnonymousUser | None

from .models import (
    ActionPlan,
    Measure,
    MeasureIndicator,
    PlanSection,
    PlanTemplate,
    ProgressUpdate,
    TemplateSection,
)

# Adopted plans, and archived ones that were adopted: what everyone may read.
PUBLIC = Q(status=ActionPlan.Status.ADOPTED) | Q(
    status=ActionPlan.Status.ARCHIVED, adopted_on__isnull=False
)


def template_sections() -> QuerySet[TemplateSection]:
    """The network template's sections with their goals, in order."""
    return TemplateSection.objects.filter(template__key=PlanTemplate.NETWORK).select_related("goal")


def plans_visible_to(user: Reader) -> QuerySet[ActionPlan]:
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


def plans_of(municipality: Municipality, *, user: Reader = None) -> QuerySet[ActionPlan]:
    """A city's plans that `user` may see (no user: the public ones), newest period first."""
    return plans_visible_to(user).filter(municipality=municipality).order_by("-starts_on", "-id")


def adopted_plan(municipality: Municipality) -> ActionPlan | None:
    """The plan in force for the city, if one is adopted."""
    return (
        ActionPlan.objects.filter(municipality=municipality, status=ActionPlan.Status.ADOPTED)
        .select_related("municipality")
        .first()
    )


def plan_in_force(municipality_id: int, *, besides: ActionPlan | None = None) -> ActionPlan | None:
    """The city's adopted plan, other than `besides` (the plan about to be adopted)."""
    queryset = ActionPlan.objects.filter(
        municipality_id=municipality_id, status=ActionPlan.Status.ADOPTED
    )
    if besides is not None:
        queryset = queryset.exclude(pk=besides.pk)
    return queryset.first()


def new_plan_sections() -> list[PlanSection]:
    """A new plan's sections (unsaved): the template's, or one per charter goal while the
    template has none."""
    sections = list(template_sections())
    if sections:
        return [
            PlanSection(goal=s.goal, heading=dict(s.heading), position=s.position) for s in sections
        ]
    return [
        PlanSection(goal=g, heading=dict(g.name), position=g.position) for g in Goal.objects.all()
    ]


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
    the number of measures and indicators; three for a plan read with its sections."""
    if "sections" in getattr(plan, "_prefetched_objects_cache", {}):
        sections = list(plan.sections.all())  # read with the plan (`plan_detail`): no query
    else:
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


# --- effect: does the work change anything -------------------------------------------------


@dataclass
class OutcomeEffect:
    """An outcome indicator a measure aims to move, and how the city moved on it.

    `as_expected` says whether the change since baseline goes the way the measure expects
    (None when there is no change to read: no baseline, no observation, a suppressed value, or
    no change at all).
    """

    link: MeasureIndicator
    change: ChangeSinceBaseline

    @property
    def indicator(self) -> Indicator:
        return self.link.indicator

    @property
    def as_expected(self) -> bool | None:
        if self.change.change is None or self.change.change == 0:
            return None
        increase = self.link.direction == MeasureIndicator.Direction.INCREASE
        return (self.change.change > 0) == increase

    @property
    def without_baseline(self) -> bool:
        return not self.change.has_baseline

    @property
    def without_target(self) -> bool:
        return not self.change.has_target


@dataclass
class MeasureEffect:
    """A measure with the change on each outcome it aims to move."""

    measure: Measure
    outcomes: list[OutcomeEffect] = field(default_factory=list)
    outputs: list[MeasureIndicator] = field(default_factory=list)

    @property
    def without_outcome(self) -> bool:
        return not self.outcomes

    @property
    def without_outcome_note(self) -> str:
        """What the effect page says where a measure names no outcome indicator."""
        if not self.without_outcome:
            return ""
        return _("This measure names no outcome indicator: nothing shows whether it works.")


@dataclass
class GoalEffect:
    goal: Goal
    section: PlanSection | None
    measures: list[MeasureEffect] = field(default_factory=list)


@dataclass
class PlanEffect:
    """A plan's effect page: per charter goal (in section order) each measure and its outcomes,
    and what the plan lacks to show an effect at all."""

    plan: ActionPlan
    goals: list[GoalEffect]
    measures_without_outcome: list[Measure]
    indicators_without_baseline: list[Indicator]
    indicators_without_target: list[Indicator]


def effect(plan: ActionPlan) -> PlanEffect:
    """Per charter goal of the plan, each measure with, for each outcome indicator it names,
    the city's change since baseline against its target and whether the change goes the way
    the measure expects; with the measures that name no outcome indicator and the outcome
    indicators that lack a baseline or a target. A fixed number of queries (the logic model's
    and three), whatever the number of measures and indicators."""
    municipality = plan.municipality
    model = logic_model(plan)
    logics = list({id(m): m for block in model for m in block.measures}.values())
    outcome_indicators = sorted(
        {link.indicator_id: link.indicator for m in logics for link in m.outcomes}.values(),
        key=lambda i: i.code,
    )
    changes = indicator_selectors.changes_for((i, municipality) for i in outcome_indicators)
    effects: dict[int, MeasureEffect] = {}
    for logic in logics:
        effects[id(logic)] = MeasureEffect(
            measure=logic.measure,
            outcomes=[
                OutcomeEffect(link=link, change=changes[(link.indicator_id, municipality.pk)])
                for link in logic.outcomes
            ],
            outputs=list(logic.outputs),
        )
    goals = [
        GoalEffect(
            goal=block.goal,
            section=block.section,
            measures=[effects[id(m)] for m in block.measures],
        )
        for block in model
    ]
    ordered = sorted(effects.values(), key=lambda e: (e.measure.position, e.measure.pk))
    return PlanEffect(
        plan=plan,
        goals=goals,
        measures_without_outcome=[e.measure for e in ordered if e.without_outcome],
        indicators_without_baseline=[
            i for i in outcome_indicators if not changes[(i.pk, municipality.pk)].has_baseline
        ],
        indicators_without_target=[
            i for i in outcome_indicators if not changes[(i.pk, municipality.pk)].has_target
        ],
    )


# --- for the API ------------------------------------------------------------------------


def plan_with_measures(pk: int) -> ActionPlan:
    """A plan with its city, its sections (with their goals) and its measures with everything
    the API shows of them, in a fixed number of queries; or a 404."""
    measures = (
        Measure.objects.select_related("plan")
        .prefetch_related(
            "goals",
            "target_groups",
            "phenomena",
            "partners",
            Prefetch(
                "indicators",
                queryset=MeasureIndicator.objects.select_related("indicator").order_by(
                    "indicator__code"
                ),
            ),
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("-reported_on")),
        )
        .order_by("position", "id")
    )
    try:
        return (
            ActionPlan.objects.select_related("municipality")
            .prefetch_related(
                Prefetch("sections", queryset=PlanSection.objects.select_related("goal")),
                Prefetch("measures", queryset=measures),
            )
            .get(pk=pk)
        )
    except ActionPlan.DoesNotExist as exc:
        raise Http404(_("No such action plan.")) from exc


def measure_with_plan(pk: int) -> Measure:
    try:
        return Measure.objects.select_related("plan__municipality").get(pk=pk)
    except Measure.DoesNotExist as exc:
        raise Http404(_("No such measure.")) from exc


# --- for the pages ------------------------------------------------------------------------

PLAN_SORTS = {
    "city": ("municipality__name", "-starts_on", "-id"),
    "-starts": ("-starts_on", "municipality__name", "-id"),
    "starts": ("starts_on", "municipality__name", "id"),
    "title": ("title", "id"),
}


def plans_filtered(
    user: Reader, *, country: str = "", city: str = "", status: str = "", sort: str = "city"
) -> QuerySet[ActionPlan]:
    """The plans `user` may see, narrowed by country code, city slug and status, in the order
    `sort` names (one of `PLAN_SORTS`)."""
    queryset = plans_visible_to(user).select_related("municipality__country")
    if country:
        queryset = queryset.filter(municipality__country__code=country)
    if city:
        queryset = queryset.filter(municipality__slug=city)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(*PLAN_SORTS.get(sort, PLAN_SORTS["city"]))


def managed_municipalities(user: Reader) -> QuerySet[Municipality]:
    """The cities whose plans `user` manages (`plans.manage`): all for the secretariat."""
    if getattr(user, "is_authenticated", False) and is_secretariat(user):
        return Municipality.objects.select_related("country").order_by("name")
    cities = coordinated_municipality_ids(user) if user is not None else set()
    return Municipality.objects.filter(pk__in=cities).select_related("country").order_by("name")


def grant_choices(plan: ActionPlan) -> QuerySet[Award]:
    """The awards that may fund a measure of the plan: awarded to its city as lead applicant
    or as a partner (the rule `services.add_measure` checks)."""
    from safecities.grants.models import Award

    city = plan.municipality_id
    return (
        Award.objects.filter(
            Q(application__lead_municipality_id=city)
            | Q(application__partners__municipality_id=city)
        )
        .select_related("application")
        .distinct()
        .order_by("-id")
    )


def measure_detail(pk: int) -> Measure:
    """A measure with its plan, city, grant and links, or a 404. Callers check the plan's
    visibility."""
    try:
        return (
            Measure.objects.select_related(
                "plan__municipality", "grant__application__call__programme"
            )
            .prefetch_related(
                "goals",
                "target_groups",
                "phenomena",
                "partners",
                Prefetch(
                    "indicators",
                    queryset=MeasureIndicator.objects.select_related("indicator").order_by(
                        "role", "indicator__code"
                    ),
                ),
                Prefetch(
                    "progress_updates",
                    queryset=ProgressUpdate.objects.select_related("author").order_by(
                        "-reported_on", "-id"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except Measure.DoesNotExist as exc:
        raise Http404(_("No such measure.")) from exc


def plan_measures_with_progress(plan: ActionPlan) -> QuerySet[Measure]:
    """The plan's measures with what the plan page shows of each, progress included (and the
    grant's programme, which the grants rules ask about)."""
    # Only what the page reads: not the target groups, phenomena and indicators the lists
    # show (a query each).
    return (
        Measure.objects.filter(plan=plan)
        .select_related("grant__application__call__programme")
        .prefetch_related(
            "goals",
            "partners",
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.order_by("-reported_on", "-id"),
            ),
        )
        .order_by("position", "id")
    )


def plans_for_adopting_practice(user: Reader) -> QuerySet[ActionPlan]:
    """The draft and adopted plans `user` may add a measure to from the knowledge bank."""
    return (
        ActionPlan.objects.filter(
            municipality__in=managed_municipalities(user),
            status__in=[ActionPlan.Status.DRAFT, ActionPlan.Status.ADOPTED],
        )
        .select_related("municipality")
        .order_by("municipality__name", "-starts_on")
    )


def plan_goals(plan: ActionPlan) -> QuerySet[Goal]:
    """The charter goals the plan has a section for, in the charter's order."""
    return Goal.objects.filter(pk__in=plan.sections.values("goal_id")).order_by("position")


def cities_with_plans_visible_to(user: Reader) -> QuerySet[Municipality]:
    return (
        Municipality.objects.filter(action_plans__in=plans_visible_to(user))
        .distinct()
        .order_by("name")
    )


def measures_without_progress(user: User, *, year: int, limit: int = 20) -> list[Measure]:
    """Planned or ongoing measures of the adopted plans of the cities the user coordinates that
    have no progress update dated in `year`, in plan order (no query for a non-coordinator)."""
    cities = coordinated_municipality_ids(user)
    if not cities:
        return []
    updated = ProgressUpdate.objects.filter(measure=OuterRef("pk"), reported_on__year=year)
    queryset = (
        Measure.objects.filter(
            plan__municipality_id__in=cities,
            plan__status=ActionPlan.Status.ADOPTED,
            status__in=(Measure.Status.PLANNED, Measure.Status.ONGOING),
        )
        .exclude(Exists(updated))
        .select_related("plan__municipality")
        .order_by("plan__municipality_id", "plan_id", "position", "id")
    )
    return list(queryset[:limit])
