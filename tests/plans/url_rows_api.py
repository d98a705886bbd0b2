"""The plans API in the permission walk: what a GET answers each role, and the records the URLs
are walked with. Signed-in roles send their personal API token; anonymous sends none.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The demo network has no action
plans yet, so the sample is a draft plan of Oslo with one measure, made by Oslo's coordinator
through the services when the URL is walked (inside the walk's transaction, rolled back after
each case): a draft is found only by those who manage Oslo's plans (its coordinator, the
secretariat) and is 404 for everyone else. Once the demo holds plans, name one of them instead.
"""

from datetime import date

from safecities.charter.models import Goal
from safecities.network.models import Municipality
from safecities.plans import services
from safecities.plans.models import ActionPlan, Measure

# fmt: off
ROWS = {
    #                                          anon member coord contact review funder secretariat
    "api-1.0.0:plans":                        (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:plan":                         (404,  404,   200,  404,    404,   404,   200),
    "api-1.0.0:plans-measure-progress":       (405,  405,   405,  405,    405,   405,   405),
}
# fmt: on

WALK_PLAN = "Oslo action plan (walk draft)"


def _oslo_draft(w) -> Measure:
    plan = ActionPlan.objects.filter(title=WALK_PLAN).first()
    if plan is None:
        plan = services.create_plan(
            actor=w.users["coordinator"],
            municipality=Municipality.objects.get(slug="oslo"),
            title=WALK_PLAN,
            starts_on=date(2025, 1, 1),
            ends_on=date(2028, 12, 31),
        )
        services.add_measure(
            actor=w.users["coordinator"],
            plan=plan,
            title="Night walkers",
            goals=[Goal.objects.order_by("position").first()],
        )
    return plan.measures.get()


SAMPLE_KWARGS = {
    "api-1.0.0:plan": lambda w: {"pk": _oslo_draft(w).plan_id},
    "api-1.0.0:plans-measure-progress": lambda w: {"pk": _oslo_draft(w).pk},
}
