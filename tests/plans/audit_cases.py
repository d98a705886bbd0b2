"""Audit cases for the plans services, merged into the table of tests/core/test_audit.py.

Each case works on the demo's draft plan of Kristiansand (made in `demo/plans_data.py`) or on a
plan of its own, through the real services, acting as the secretariat: (prepare(demo) -> object
or None, act(demo, prepared), expected audit action, names of the fields the action changes).
"""

from datetime import date

from safecities.charter.models import Goal
from safecities.indicators.models import Indicator
from safecities.network.models import Municipality
from safecities.plans import services
from safecities.plans.models import ActionPlan, Measure
from tests.plans.factories import adopt

PLANS_SERVICES_MODULE = services
PLANS_READS: set[str] = set()


def _secretariat(demo):
    return demo.users["secretariat"]


def _draft(demo) -> ActionPlan:
    return ActionPlan.objects.get(municipality__slug="kristiansand", status="draft")


def _measure(demo) -> Measure:
    plan = _draft(demo)
    return services.add_measure(
        actor=_secretariat(demo), plan=plan, title="Audited measure", goals=[Goal.objects.first()]
    )


def _linked(demo) -> Measure:
    measure = _measure(demo)
    services.link_indicator(
        actor=_secretariat(demo),
        measure=measure,
        indicator=_outcome(),
        role="outcome",
        direction="increase",
    )
    return measure


def _outcome() -> Indicator:
    return Indicator.objects.filter(kind="outcome").order_by("code").first()


def _new_plan(demo):
    return services.create_plan(
        actor=_secretariat(demo),
        municipality=Municipality.objects.get(slug="drammen"),
        title="Audited plan",
        starts_on=date(2026, 1, 1),
        ends_on=date(2029, 12, 31),
    )


PLANS_CASES = {
    "safecities.plans.services.save_template_section": (
        None,
        lambda d, _: services.save_template_section(
            actor=_secretariat(d),
            goal=Goal.objects.order_by("position").first(),
            heading={"en": "Audited heading"},
            guidance={"en": "Audited guidance."},
        ),
        "plans.template.save_section",
        {"heading"},
    ),
    "safecities.plans.services.create_plan": (
        None,
        lambda d, _: _new_plan(d),
        "plans.plan.create",
        {"municipality", "title", "starts_on", "ends_on", "status"},
    ),
    "safecities.plans.services.update_plan": (
        _draft,
        lambda d, plan: services.update_plan(
            actor=_secretariat(d), plan=plan, title="Kristiansand: audited title"
        ),
        "plans.plan.update",
        {"title"},
    ),
    "safecities.plans.services.adopt_plan": (
        _new_plan,
        lambda d, plan: adopt(actor=_secretariat(d), plan=plan),
        "plans.plan.adopt",
        {"status", "adopted_by_body", "adopted_on", "case_number", "document"},
    ),
    "safecities.plans.services.archive_plan": (
        _draft,
        lambda d, plan: services.archive_plan(actor=_secretariat(d), plan=plan),
        "plans.plan.archive",
        {"status"},
    ),
    "safecities.plans.services.add_measure": (
        None,
        lambda d, _: _measure(d),
        "plans.measure.add",
        {"title", "plan"},
    ),
    "safecities.plans.services.update_measure": (
        _measure,
        lambda d, m: services.update_measure(actor=_secretariat(d), measure=m, title="Renamed"),
        "plans.measure.update",
        {"title"},
    ),
    "safecities.plans.services.post_progress": (
        _measure,
        lambda d, m: services.post_progress(
            actor=_secretariat(d),
            measure=m,
            reported_on=date(2026, 3, 1),
            text="Started in two schools.",
            status="ongoing",
        ),
        "plans.measure.progress",
        {"reported_on", "text", "status"},
    ),
    "safecities.plans.services.link_indicator": (
        _measure,
        lambda d, m: services.link_indicator(
            actor=_secretariat(d),
            measure=m,
            indicator=_outcome(),
            role="outcome",
            direction="increase",
        ),
        "plans.measure.link_indicator",
        {"indicator", "role", "direction"},
    ),
    "safecities.plans.services.unlink_indicator": (
        _linked,
        lambda d, m: services.unlink_indicator(
            actor=_secretariat(d), measure=m, indicator=_outcome()
        ),
        "plans.measure.unlink_indicator",
        {"indicator", "role"},
    ),
}
