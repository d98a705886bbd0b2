"""The plan pages for the axe-core sweep (tests/browser/test_every_page.py): per role, lambdas
returning paths of GET pages that role can open (they look the demo records up, so call them
with the demo loaded).

The demo has adopted plans for Oslo and Stockholm and a draft for Kristiansand. The pages that
write a draft are swept with a draft of Oslo (the coordinator's city) made once through the
services; the sweep's database is thrown away after it.
"""

from datetime import date

from django.urls import reverse

from safecities.charter.models import Goal
from safecities.core.models import User
from safecities.network.models import Municipality
from safecities.plans import services
from safecities.plans.models import ActionPlan, Measure

DRAFT_TITLE = "Axe sweep: Oslo's next plan"


def _adopted(city: str) -> int:
    return ActionPlan.objects.get(municipality__slug=city, status="adopted").pk


def _kristiansand_draft() -> int:
    return ActionPlan.objects.get(municipality__slug="kristiansand", status="draft").pk


def _oslo_draft() -> int:
    plan = ActionPlan.objects.filter(title=DRAFT_TITLE).first()
    if plan is None:
        plan = services.create_plan(
            actor=User.objects.get(email="coordinator@example.org"),
            municipality=Municipality.objects.get(slug="oslo"),
            title=DRAFT_TITLE,
            starts_on=date(2027, 1, 1),
            ends_on=date(2030, 12, 31),
        )
    return plan.pk


def _oslo_measure() -> int:
    return (
        Measure.objects.filter(plan_id=_adopted("oslo"), indicators__isnull=False)
        .order_by("position")
        .first()
        .pk
    )


def _goal() -> str:
    return Goal.objects.order_by("position").first().code


_PUBLIC = [
    lambda: reverse("plans:list"),
    lambda: reverse("plans:list") + "?country=NO&status=adopted&sort=-starts",
    lambda: reverse("plans:list") + "?city=drammen",  # the empty state
    lambda: reverse("plans:city", args=["oslo"]),
    lambda: reverse("plans:detail", args=[_adopted("oslo")]),
    lambda: reverse("plans:effect", args=[_adopted("oslo")]),
    lambda: reverse("plans:effect", args=[_adopted("stockholm")]),
    lambda: reverse("plans:measure", args=[_oslo_measure()]),
]

PAGES = {
    "anonymous": _PUBLIC,
    "coordinator": [
        lambda: reverse("plans:list"),  # with "New plan"
        lambda: reverse("plans:city", args=["oslo"]),
        lambda: reverse("plans:create"),
        lambda: reverse("plans:detail", args=[_adopted("oslo")]),  # with "Manage the plan"
        lambda: reverse("plans:detail", args=[_oslo_draft()]),
        lambda: reverse("plans:edit", args=[_oslo_draft()]),
        lambda: reverse("plans:adopt", args=[_oslo_draft()]),
        lambda: reverse("plans:archive", args=[_oslo_draft()]),
        lambda: reverse("plans:measure-add", args=[_adopted("oslo")]),
        lambda: reverse("plans:measure", args=[_oslo_measure()]),  # with its forms
        lambda: reverse("plans:measure-edit", args=[_oslo_measure()]),
        lambda: reverse("plans:measure-progress", args=[_oslo_measure()]),
        lambda: reverse("plans:measure-link", args=[_oslo_measure()]),
    ],
    "reviewer": [lambda: reverse("plans:effect", args=[_adopted("oslo")])],
    "secretariat": [
        lambda: reverse("plans:template"),
        lambda: reverse("plans:template-section", args=[_goal()]),
        lambda: reverse("plans:detail", args=[_kristiansand_draft()]),
        lambda: reverse("plans:edit", args=[_kristiansand_draft()]),
        lambda: reverse("plans:adopt", args=[_kristiansand_draft()]),
    ],
}
