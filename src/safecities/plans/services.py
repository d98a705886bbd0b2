"""Every write to action plans: one function per business action, atomic and audited.

Each service checks the actor's permission, then every input, and only then writes: a refusal
raises a `DomainError` naming the field at fault and leaves the data (and stored files) as they
were. Measures can be added and changed while their plan is a draft or adopted (cities revise
their measures within an adopted plan); an archived plan is closed.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import audit
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.i18n import clean_translations
from safecities.core.money import Money
from safecities.core.permissions import ensure
from safecities.grants.models import Award
from safecities.indicators.models import Indicator
from safecities.network.documents import check_pdf
from safecities.network.models import Municipality, Organisation

from . import states
from .models import (
    ActionPlan,
    Measure,
    MeasureIndicator,
    PlanSection,
    PlanTemplate,
    ProgressUpdate,
    TemplateSection,
)

TEMPLATE_SECTION_FIELDS = ["goal", "heading", "guidance", "position"]
PLAN_FIELDS = ["municipality", "title", "starts_on", "ends_on", "status"]
PLAN_EDIT_FIELDS = ["title", "starts_on", "ends_on"]
ADOPTION_FIELDS = ["status", "adopted_by_body", "adopted_on", "case_number", "document"]
MEASURE_FIELDS = [
    "title",
    "description",
    "owner_department",
    "budget_minor",
    "currency",
    "starts_on",
    "ends_on",
    "status",
    "grant",
]


class NotEditable(DomainError):
    status = 409
    field = "status"


class AlreadyAdopted(DomainError):
    """The city already has an adopted plan: archive it before adopting another."""

    status = 409
    field = "status"


class GoalOutsidePlan(DomainError):
    field = "goals"


class GrantOfAnotherCity(DomainError):
    field = "grant"


class WrongIndicatorKind(DomainError):
    """An output count named as an outcome the measure aims to move, or the reverse."""

    field = "role"


class AlreadyLinked(DomainError):
    status = 409
    field = "indicator"


class NotLinked(DomainError):
    status = 404
    field = "indicator"


_UNCHANGED = object()


def _text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def _check_period(starts_on, ends_on, *, required: bool) -> None:
    if required:
        if starts_on is None:
            raise InvalidInput(_("Give the date the period starts."), field="starts_on")
        if ends_on is None:
            raise InvalidInput(_("Give the date the period ends."), field="ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(_("The end must be on or after the start."), field="ends_on")


def _not_future(day, field: str) -> date:
    if not isinstance(day, date):
        raise InvalidInput(_("Give a date."), field=field)
    if day > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field=field)
    return day


# --- the network template -----------------------------------------------------------------


def _template() -> PlanTemplate:
    template, _created = PlanTemplate.objects.get_or_create(key=PlanTemplate.NETWORK)
    return template


@transaction.atomic
def save_template_section(
    *,
    actor,
    goal: Goal,
    heading: Mapping[str, str],
    guidance: Mapping[str, str] | None = None,
    position: int | None = None,
) -> TemplateSection:
    """Write the network template's section for a charter goal (created on first save)."""
    ensure(actor, "plans.edit_template", field="goal")
    if not isinstance(goal, Goal):
        raise InvalidInput(_("Choose a charter goal."), field="goal")
    heading = clean_translations(heading, "heading", required=True)
    guidance = clean_translations(guidance, "guidance", required=False)
    if position is not None and (not isinstance(position, int) or position < 0):
        raise InvalidInput(_("The position is a whole number from 0."), field="position")
    template = _template()
    section = (
        TemplateSection.objects.select_for_update().filter(template=template, goal=goal).first()
    )
    before = audit.snapshot(section, TEMPLATE_SECTION_FIELDS) if section else {}
    if section is None:
        section = TemplateSection(template=template, goal=goal, position=goal.position)
    section.heading, section.guidance = heading, guidance
    if position is not None:
        section.position = position
    section.save()
    changes = audit.changes_between(before, audit.snapshot(section, TEMPLATE_SECTION_FIELDS))
    if changes:
        audit.record(
            actor=actor, action="plans.template.save_section", target=section, changes=changes
        )
    return section


# --- plans --------------------------------------------------------------------------------


def _section_rows() -> list[PlanSection]:
    """A new plan's sections: the template's, or one per charter goal while it has none."""
    sections = list(
        TemplateSection.objects.filter(template__key=PlanTemplate.NETWORK).select_related("goal")
    )
    if sections:
        return [
            PlanSection(goal=s.goal, heading=dict(s.heading), position=s.position) for s in sections
        ]
    return [
        PlanSection(goal=g, heading=dict(g.name), position=g.position) for g in Goal.objects.all()
    ]


@transaction.atomic
def create_plan(
    *,
    actor,
    municipality: Municipality,
    title: str,
    starts_on: date,
    ends_on: date,
) -> ActionPlan:
    """A draft plan for a city and period, with a section per goal of the network template."""
    ensure(actor, "plans.manage", municipality, field="municipality")
    title = _text(title, "title", _("Give the plan a title."))
    _check_period(starts_on, ends_on, required=True)
    plan = ActionPlan.objects.create(
        municipality=municipality,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    rows = _section_rows()
    for row in rows:
        row.plan = plan
    PlanSection.objects.bulk_create(rows)
    changes = audit.created(plan, PLAN_FIELDS)
    changes["sections"] = [None, [row.goal.code for row in rows]]
    audit.record(actor=actor, action="plans.plan.create", target=plan, changes=changes)
    return plan


def _locked_plan(actor, plan: ActionPlan) -> ActionPlan:
    ensure(actor, "plans.manage", plan)
    return ActionPlan.objects.select_for_update().select_related("municipality").get(pk=plan.pk)


def _draft(actor, plan: ActionPlan) -> ActionPlan:
    plan = _locked_plan(actor, plan)
    if not plan.editable:
        raise NotEditable(
            _("The plan is %(status)s: its text can only change while it is a draft.")
            % {"status": plan.get_status_display().lower()}
        )
    return plan


@transaction.atomic
def update_plan(
    *,
    actor,
    plan: ActionPlan,
    title=_UNCHANGED,
    starts_on=_UNCHANGED,
    ends_on=_UNCHANGED,
    sections: Mapping[Goal | int, str] | None = None,
) -> ActionPlan:
    """Change a draft plan. Arguments left out stay; `sections` maps goals (or their ids) to
    the plan's text for that goal."""
    plan = _draft(actor, plan)
    before = audit.snapshot(plan, PLAN_EDIT_FIELDS)
    if title is not _UNCHANGED:
        plan.title = _text(title, "title", _("Give the plan a title."))
    if starts_on is not _UNCHANGED:
        plan.starts_on = starts_on
    if ends_on is not _UNCHANGED:
        plan.ends_on = ends_on
    _check_period(plan.starts_on, plan.ends_on, required=True)
    existing = {s.goal_id: s for s in plan.sections.select_related("goal")}
    section_changes = []
    for key, text in (sections or {}).items():
        goal_id = getattr(key, "pk", key)
        section = existing.get(goal_id)
        if section is None:
            raise GoalOutsidePlan(
                _("The plan has no section for the charter goal %(goal)s.") % {"goal": key},
                field="sections",
            )
        text = (text or "").strip()
        if text != section.text:
            section_changes.append((section, section.text, text))
    plan.save()
    changes = audit.changes_between(before, audit.snapshot(plan, PLAN_EDIT_FIELDS))
    for section, old, new in section_changes:
        section.text = new
        section.save(update_fields=["text"])
        changes[f"section_{section.goal.code}"] = [old, new]
    if changes:
        audit.record(actor=actor, action="plans.plan.update", target=plan, changes=changes)
    return plan


@transaction.atomic
def adopt_plan(
    *,
    actor,
    plan: ActionPlan,
    body: str,
    adopted_on: date,
    case_number: str,
    document,
) -> ActionPlan:
    """Record a draft plan's adoption: by which body, when, under which case, the PDF.

    A city has at most one adopted plan at a time; the one in force is archived first.
    """
    ensure(actor, "plans.manage", plan)
    # Serialise adoptions for one city: the municipality row is the lock (IMMEDIATE on SQLite).
    Municipality.objects.select_for_update().get(pk=plan.municipality_id)
    plan = _locked_plan(actor, plan)
    states.PLAN.check(plan, ActionPlan.Status.ADOPTED)
    body = _text(body, "body", _("Name the body that adopted the plan, e.g. City council."))
    _not_future(adopted_on, "adopted_on")
    case_number = _text(case_number, "case_number", _("Give the case number of the decision."))
    if not document:
        raise InvalidInput(_("Attach the adopted plan as a PDF."), field="document")
    check_pdf(document, field="document")
    in_force = (
        ActionPlan.objects.filter(municipality_id=plan.municipality_id, status="adopted")
        .exclude(pk=plan.pk)
        .first()
    )
    if in_force is not None:
        raise AlreadyAdopted(
            _("%(city)s already has an adopted plan, “%(plan)s”: archive it first.")
            % {"city": plan.municipality, "plan": in_force.title}
        )
    before = audit.snapshot(plan, ADOPTION_FIELDS)
    states.PLAN.move(plan, ActionPlan.Status.ADOPTED)
    plan.adopted_by_body, plan.adopted_on, plan.case_number = body, adopted_on, case_number
    plan.document.save(document.name.rsplit("/", 1)[-1], document, save=False)
    plan.save(update_fields=[*ADOPTION_FIELDS, "updated_at"])
    audit.record(
        actor=actor,
        action="plans.plan.adopt",
        target=plan,
        changes=audit.changes_between(before, audit.snapshot(plan, ADOPTION_FIELDS)),
    )
    return plan


@transaction.atomic
def archive_plan(*, actor, plan: ActionPlan) -> ActionPlan:
    """Close a plan: an adopted one leaves force, a draft is set aside. Nothing changes after."""
    plan = _locked_plan(actor, plan)
    old = plan.status
    states.PLAN.move(plan, ActionPlan.Status.ARCHIVED)
    plan.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.plan.archive",
        target=plan,
        changes={"status": [old, plan.status]},
    )
    return plan


# --- measures -----------------------------------------------------------------------------


def _open_plan(actor, plan: ActionPlan) -> ActionPlan:
    plan = _locked_plan(actor, plan)
    if plan.status == ActionPlan.Status.ARCHIVED:
        raise NotEditable(_("The plan is archived: its measures can no longer change."))
    return plan


def _check_goals(plan: ActionPlan, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(goals)
    if not goals:
        raise InvalidInput(_("Name at least one charter goal the measure serves."), field="goals")
    in_plan = set(plan.sections.values_list("goal_id", flat=True))
    for goal in goals:
        if not isinstance(goal, Goal) or goal.pk not in in_plan:
            raise GoalOutsidePlan(
                _("The plan has no section for %(goal)s: a measure serves the plan's goals.")
                % {"goal": goal}
            )
    return goals


def _check_terms(terms: Iterable[Term], vocabulary: str, field: str) -> list[Term]:
    terms = list(terms)
    for term in terms:
        if not isinstance(term, Term) or term.vocabulary != vocabulary:
            label = _("target group") if vocabulary == Vocabulary.TARGET_GROUP else _("phenomenon")
            raise InvalidInput(
                _("%(term)s is not a %(kind)s.") % {"term": term, "kind": label}, field=field
            )
    return terms


def _check_partners(partners: Iterable[Organisation]) -> list[Organisation]:
    partners = list(partners)
    seen = set()
    for partner in partners:
        if not isinstance(partner, Organisation):
            raise InvalidInput(_("A partner is an organisation."), field="partners")
        if partner.pk in seen:
            raise InvalidInput(
                _("%(partner)s is listed twice.") % {"partner": partner}, field="partners"
            )
        seen.add(partner.pk)
    return partners


def _check_budget(budget) -> tuple[int | None, str]:
    if budget is None:
        return None, ""
    if not isinstance(budget, Money):
        raise InvalidInput(_("Give the budget with its currency."), field="budget")
    if budget.minor_units < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="budget")
    return budget.minor_units, budget.currency


def _check_grant(plan: ActionPlan, grant: Award | None) -> Award | None:
    """The award must fund the plan's city: as lead applicant or as partner."""
    if grant is None:
        return None
    if not isinstance(grant, Award):
        raise InvalidInput(_("Choose a grant that was awarded."), field="grant")
    application = grant.application
    city = plan.municipality_id
    if (
        application.lead_municipality_id != city
        and not application.partners.filter(municipality_id=city).exists()
    ):
        raise GrantOfAnotherCity(
            _("“%(grant)s” was not awarded to %(city)s or a project it is a partner in.")
            % {"grant": grant, "city": plan.municipality}
        )
    return grant


def _set_links(measure: Measure, values: dict[str, list | None], changes: dict) -> None:
    for name, items in values.items():
        if items is None:
            continue
        manager = getattr(measure, name)
        old = sorted(str(v) for v in manager.all())
        manager.set(items)
        new = sorted(str(v) for v in items)
        if old != new:
            changes[name] = [old or None, new]


@transaction.atomic
def add_measure(
    *,
    actor,
    plan: ActionPlan,
    title: str,
    goals: Iterable[Goal],
    description: str = "",
    target_groups: Iterable[Term] = (),
    phenomena: Iterable[Term] = (),
    owner_department: str = "",
    partners: Iterable[Organisation] = (),
    budget: Money | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    grant: Award | None = None,
) -> Measure:
    """A planned measure under the plan's charter goals."""
    plan = _open_plan(actor, plan)
    title = _text(title, "title", _("Give the measure a title."))
    goal_list = _check_goals(plan, goals)
    groups = _check_terms(target_groups, Vocabulary.TARGET_GROUP, "target_groups")
    terms = _check_terms(phenomena, Vocabulary.PHENOMENON, "phenomena")
    partner_list = _check_partners(partners)
    budget_minor, currency = _check_budget(budget)
    _check_period(starts_on, ends_on, required=False)
    grant = _check_grant(plan, grant)
    position = plan.measures.count()
    measure = Measure.objects.create(
        plan=plan,
        position=position,
        title=title,
        description=(description or "").strip(),
        owner_department=(owner_department or "").strip(),
        budget_minor=budget_minor,
        currency=currency,
        starts_on=starts_on,
        ends_on=ends_on,
        grant=grant,
        created_by=actor,
    )
    changes = audit.created(measure, MEASURE_FIELDS)
    changes["plan"] = [None, str(plan)]
    _set_links(
        measure,
        {"goals": goal_list, "target_groups": groups, "phenomena": terms, "partners": partner_list},
        changes,
    )
    audit.record(actor=actor, action="plans.measure.add", target=measure, changes=changes)
    return measure


def _locked_measure(actor, measure: Measure) -> Measure:
    ensure(actor, "plans.manage", measure)
    return Measure.objects.select_for_update().select_related("plan").get(pk=measure.pk)


@transaction.atomic
def update_measure(
    *,
    actor,
    measure: Measure,
    title=_UNCHANGED,
    goals=_UNCHANGED,
    description=_UNCHANGED,
    target_groups=_UNCHANGED,
    phenomena=_UNCHANGED,
    owner_department=_UNCHANGED,
    partners=_UNCHANGED,
    budget=_UNCHANGED,
    starts_on=_UNCHANGED,
    ends_on=_UNCHANGED,
    grant=_UNCHANGED,
) -> Measure:
    """Change a measure; arguments left out stay as they were. Its status moves only through
    progress updates (`post_progress`)."""
    measure = _locked_measure(actor, measure)
    plan = _open_plan(actor, measure.plan)
    before = audit.snapshot(measure, MEASURE_FIELDS)
    if title is not _UNCHANGED:
        measure.title = _text(title, "title", _("Give the measure a title."))
    if description is not _UNCHANGED:
        measure.description = (description or "").strip()
    if owner_department is not _UNCHANGED:
        measure.owner_department = (owner_department or "").strip()
    if budget is not _UNCHANGED:
        measure.budget_minor, measure.currency = _check_budget(budget)
    if starts_on is not _UNCHANGED:
        measure.starts_on = starts_on
    if ends_on is not _UNCHANGED:
        measure.ends_on = ends_on
    _check_period(measure.starts_on, measure.ends_on, required=False)
    if grant is not _UNCHANGED:
        measure.grant = _check_grant(plan, grant)
    links = {
        "goals": None if goals is _UNCHANGED else _check_goals(plan, goals),
        "target_groups": None
        if target_groups is _UNCHANGED
        else _check_terms(target_groups, Vocabulary.TARGET_GROUP, "target_groups"),
        "phenomena": None
        if phenomena is _UNCHANGED
        else _check_terms(phenomena, Vocabulary.PHENOMENON, "phenomena"),
        "partners": None if partners is _UNCHANGED else _check_partners(partners),
    }
    measure.save()
    changes = audit.changes_between(before, audit.snapshot(measure, MEASURE_FIELDS))
    _set_links(measure, links, changes)
    if changes:
        audit.record(actor=actor, action="plans.measure.update", target=measure, changes=changes)
    return measure


@transaction.atomic
def post_progress(
    *,
    actor,
    measure: Measure,
    reported_on: date,
    text: str,
    status: str,
) -> ProgressUpdate:
    """Report on a measure; `status` is its status now, moved along the measure workflow
    (the same status is fine: an update without a move)."""
    measure = _locked_measure(actor, measure)
    _open_plan(actor, measure.plan)
    _not_future(reported_on, "reported_on")
    text = _text(text, "text", _("Say what happened."))
    if status not in Measure.Status.values:
        raise InvalidInput(_("Choose one of the measure's statuses."), field="status")
    old = measure.status
    if status != old:
        states.MEASURE.move(measure, status)
    update = ProgressUpdate.objects.create(
        measure=measure, reported_on=reported_on, text=text, status=status, author=actor
    )
    changes = {"reported_on": [None, reported_on], "text": [None, text]}
    if status != old:
        measure.save(update_fields=["status", "updated_at"])
        changes["status"] = [old, status]
    audit.record(actor=actor, action="plans.measure.progress", target=measure, changes=changes)
    return update


# --- the logic model ----------------------------------------------------------------------


@transaction.atomic
def link_indicator(
    *,
    actor,
    measure: Measure,
    indicator: Indicator,
    role: str,
    direction: str,
) -> MeasureIndicator:
    """Name an output indicator the measure produces or an outcome it aims to move, and the
    direction the measure is expected to move it."""
    measure = _locked_measure(actor, measure)
    _open_plan(actor, measure.plan)
    if not isinstance(indicator, Indicator):
        raise InvalidInput(_("Choose an indicator."), field="indicator")
    if role not in MeasureIndicator.Role.values:
        raise InvalidInput(_("Choose output or outcome."), field="role")
    if direction not in MeasureIndicator.Direction.values:
        raise InvalidInput(_("Choose increase or decrease."), field="direction")
    if indicator.kind != role:
        raise WrongIndicatorKind(
            _("%(indicator)s is an %(kind)s indicator, not an %(role)s one.")
            % {
                "indicator": indicator,
                "kind": indicator.get_kind_display().lower(),
                "role": Indicator.Kind(role).label.lower(),
            }
        )
    if MeasureIndicator.objects.filter(measure=measure, indicator=indicator).exists():
        raise AlreadyLinked(
            _("The measure already names %(indicator)s.") % {"indicator": indicator}
        )
    link = MeasureIndicator.objects.create(
        measure=measure, indicator=indicator, role=role, direction=direction
    )
    audit.record(
        actor=actor,
        action="plans.measure.link_indicator",
        target=measure,
        changes={
            "indicator": [None, indicator.code],
            "role": [None, role],
            "direction": [None, direction],
        },
    )
    return link


@transaction.atomic
def unlink_indicator(*, actor, measure: Measure, indicator: Indicator) -> None:
    """The measure no longer names the indicator."""
    measure = _locked_measure(actor, measure)
    _open_plan(actor, measure.plan)
    link = MeasureIndicator.objects.filter(measure=measure, indicator=indicator).first()
    if link is None:
        raise NotLinked(_("The measure does not name %(indicator)s.") % {"indicator": indicator})
    link.delete()
    audit.record(
        actor=actor,
        action="plans.measure.unlink_indicator",
        target=measure,
        changes={"indicator": [indicator.code, None], "role": [link.role, None]},
    )


# --- adopting a practice from the knowledge bank -----------------------------------------------


class PracticeNotAvailable(DomainError):
    field = "practice"


@transaction.atomic
def adopt_practice(*, actor, plan: ActionPlan, practice, title: str = "") -> Measure:
    """Put a published practice into a draft or adopted plan as a planned measure naming it.

    The measure takes the practice's title (or `title`), its summary as description, the
    charter goals it shares with the plan, and its target groups and phenomena. A plan's
    measures are public, so of a practice that not everyone may read (members only) nothing of
    its text is copied: the measure needs a `title` of its own and starts without a description;
    it still names the practice, whose page only its readers open.
    """
    from safecities.practices import permissions as practice_permissions
    from safecities.practices.models import Practice

    ensure(actor, "plans.manage", plan, field="plan")
    if not isinstance(practice, Practice):
        raise PracticeNotAvailable(_("Choose a practice from the knowledge bank."))
    plan = _open_plan(actor, plan)
    if not practice.published or not practice_permissions.can_view(actor, practice):
        raise PracticeNotAvailable(_("Only a published practice can be adopted."))
    in_plan = set(plan.sections.values_list("goal_id", flat=True))
    goals = [g for g in practice.goals.all() if g.pk in in_plan]
    if not goals:
        raise GoalOutsidePlan(
            _("The plan has no section for the practice's charter goals."), field="plan"
        )
    public = practice_permissions.can_view(None, practice)
    title = (title or "").strip() or (practice.title if public else "")
    if not title:
        raise InvalidInput(
            _(
                "The practice is for members only and the plan is public: give the measure a "
                "title of your own."
            ),
            field="title",
        )
    if len(title) > 300:
        raise InvalidInput(_("At most 300 characters, please."), field="title")
    measure = Measure.objects.create(
        plan=plan,
        position=plan.measures.count(),
        title=title,
        description=practice.summary if public else "",
        practice=practice,
        created_by=actor,
    )
    changes = audit.created(measure, [*MEASURE_FIELDS, "practice"])
    changes["plan"] = [None, str(plan)]
    _set_links(
        measure,
        {
            "goals": goals,
            "target_groups": list(practice.target_groups.all()),
            "phenomena": list(practice.phenomena.all()),
        },
        changes,
    )
    audit.record(
        actor=actor, action="plans.measure.adopt_practice", target=measure, changes=changes
    )
    return measure
