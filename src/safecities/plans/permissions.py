"""Who may do what with action plans. Pages and the API ask these same rules.

A city's coordinators and the secretariat manage the city's plans and measures; the secretariat
edits the network's template. Adopted plans (and archived ones that were adopted) are public;
drafts are seen only by those who manage them.
"""

from safecities.core.permissions import has_perm, rule
from safecities.network.models import Municipality
from safecities.network.permissions import coordinated_municipality_ids, coordinates, is_secretariat

from .models import ActionPlan, Measure


def _municipality_id(obj) -> int | None:
    """The municipality behind a municipality, plan, measure (or what hangs from a measure)."""
    if obj is None:
        return None
    if isinstance(obj, Municipality):
        return obj.pk
    if isinstance(obj, ActionPlan):
        return obj.municipality_id
    if isinstance(obj, Measure):
        return obj.plan.municipality_id
    measure = getattr(obj, "measure", None)
    if measure is not None:
        return _municipality_id(measure)
    plan = getattr(obj, "plan", None)
    return _municipality_id(plan) if plan is not None else None


@rule("plans.manage")
def manage(user, obj=None) -> bool:
    """`obj`: a municipality, or a plan, measure or what hangs from them.

    With no object: may the user manage any city's plans at all?
    """
    if is_secretariat(user):
        return True
    if obj is None:
        return bool(coordinated_municipality_ids(user))
    return coordinates(user, _municipality_id(obj))


@rule("plans.edit_template")
def edit_template(user, obj=None) -> bool:
    return is_secretariat(user)


@rule("plans.view")
def view(user, plan: ActionPlan) -> bool:
    """Signed-in users; `can_view` also answers for visitors."""
    return plan.public or manage(user, plan)


def can_view(user, plan: ActionPlan) -> bool:
    """Anyone, visitors included, sees a public plan; a draft only those who manage it.

    `has_perm` refuses every anonymous user before a rule is asked, so public pages ask this.
    """
    if plan.public:
        return True
    return bool(getattr(user, "is_authenticated", False)) and manage(user, plan)


def findable_statuses(user) -> list[tuple[str, str]]:
    """The statuses a user can find plans in: drafts only for those who manage some."""
    if has_perm(user, "plans.manage"):
        return list(ActionPlan.Status.choices)
    return [(v, label) for v, label in ActionPlan.Status.choices if v != ActionPlan.Status.DRAFT]
