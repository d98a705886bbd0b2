"""Adopting a practice from the knowledge bank: it enters a plan as a measure naming it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure

from ..errors import GoalOutsidePlan, PracticeNotAvailable
from ..models import ActionPlan, Measure
from ._common import MEASURE_FIELDS, _open_plan
from .measures import _set_links

if TYPE_CHECKING:
    from safecities.core.models import User
    from safecities.practices.models import Practice


@transaction.atomic
def adopt_practice(
    *, actor: User, plan: ActionPlan, practice: Practice | None, title: str = ""
) -> Measure:
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
