"""The plan pages in the permission walk (see tests/test_url_permissions.py): what a GET answers
each role, and the demo records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The coordinator coordinates Oslo:
the demo's adopted Oslo plan is public and theirs to manage; Kristiansand's draft is found only
by the secretariat (404 for everyone else, drafts are not discoverable). The pages that change a
draft are walked with a draft of Oslo made through the services (`url_rows_api._oslo_draft`).
"""

from safecities.charter.models import Goal
from safecities.plans.models import ActionPlan, Measure
from tests.plans.url_rows_api import _oslo_draft

LOGIN = "302 → login"
MANAGE = (LOGIN, 403, 200, 403, 403, 403, 200)  # Oslo's coordinator and the secretariat
EVERYONE = (200, 200, 200, 200, 200, 200, 200)

# fmt: off
ROWS: dict = {
    #                               anon   member coord contact review funder secretariat
    "plans:list":                   EVERYONE,
    "plans:city":                   EVERYONE,
    "plans:create":                 MANAGE,
    "plans:template":               (LOGIN, 403,  403,  403,    403,   403,   200),
    "plans:template-section":       (LOGIN, 403,  403,  403,    403,   403,   200),
    "plans:detail":                 (404,   404,  404,  404,    404,   404,   200),  # a draft
    "plans:edit":                   MANAGE,
    "plans:adopt":                  MANAGE,
    "plans:archive":                MANAGE,
    "plans:document":               EVERYONE,
    "plans:effect":                 EVERYONE,
    "plans:effect-csv":             EVERYONE,
    "plans:measure-add":            MANAGE,
    "plans:measure":                EVERYONE,
    "plans:measure-edit":           MANAGE,
    "plans:measure-progress":       MANAGE,
    "plans:measure-link":           MANAGE,
    "plans:measure-unlink":         (405,   405,  405,  405,    405,   405,   405),
}
# fmt: on


def _adopted(city: str) -> ActionPlan:
    return ActionPlan.objects.get(municipality__slug=city, status=ActionPlan.Status.ADOPTED)


def _draft(city: str) -> ActionPlan:
    return ActionPlan.objects.get(municipality__slug=city, status=ActionPlan.Status.DRAFT)


def _oslo_measure() -> Measure:
    """A measure of Oslo's adopted plan that names an indicator."""
    return (
        Measure.objects.filter(plan=_adopted("oslo"), indicators__isnull=False)
        .order_by("position")
        .first()
    )


SAMPLE_KWARGS: dict = {
    "plans:city": lambda w: {"slug": "oslo"},
    "plans:template-section": lambda w: {"code": Goal.objects.order_by("position").first().code},
    "plans:detail": lambda w: {"pk": _draft("kristiansand").pk},
    "plans:edit": lambda w: {"pk": _oslo_draft(w).plan_id},
    "plans:adopt": lambda w: {"pk": _oslo_draft(w).plan_id},
    "plans:archive": lambda w: {"pk": _oslo_draft(w).plan_id},
    "plans:document": lambda w: {"pk": _adopted("oslo").pk},
    "plans:effect": lambda w: {"pk": _adopted("oslo").pk},
    "plans:effect-csv": lambda w: {"pk": _adopted("oslo").pk},
    "plans:measure-add": lambda w: {"pk": _adopted("oslo").pk},
    "plans:measure": lambda w: {"pk": _oslo_measure().pk},
    "plans:measure-edit": lambda w: {"pk": _oslo_measure().pk},
    "plans:measure-progress": lambda w: {"pk": _oslo_measure().pk},
    "plans:measure-link": lambda w: {"pk": _oslo_measure().pk},
    "plans:measure-unlink": lambda w: {
        "pk": _oslo_measure().pk,
        "code": _oslo_measure().indicators.first().indicator.code,
    },
}
