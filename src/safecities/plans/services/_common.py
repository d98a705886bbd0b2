"""What the plans' services share: field lists for the audit trail, checks of text, periods and
dates, and the locked rows every write starts from."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.errors import InvalidInput
from safecities.core.inputs import UNCHANGED, Maybe
from safecities.core.permissions import ensure

from ..errors import NotEditable
from ..models import ActionPlan, Measure
from ..predicates import measures_open

__all__ = ["UNCHANGED", "Maybe"]

if TYPE_CHECKING:
    from safecities.core.models import User

PLAN_FIELDS = ["municipality", "title", "starts_on", "ends_on", "status"]
PLAN_EDIT_FIELDS = ["title", "starts_on", "ends_on"]
ADOPTION_FIELDS = ["status", "adopted_by_body", "adopted_on", "case_number", "document"]
TEMPLATE_SECTION_FIELDS = ["goal", "heading", "guidance", "position"]
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


def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def _check_period(starts_on: date | None, ends_on: date | None, *, required: bool) -> None:
    if required:
        if starts_on is None:
            raise InvalidInput(_("Give the date the period starts."), field="starts_on")
        if ends_on is None:
            raise InvalidInput(_("Give the date the period ends."), field="ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(_("The end must be on or after the start."), field="ends_on")


def _not_future(day: object, field: str) -> date:
    if not isinstance(day, date):
        raise InvalidInput(_("Give a date."), field=field)
    if day > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field=field)
    return day


def _locked_plan(actor: User, plan: ActionPlan) -> ActionPlan:
    ensure(actor, "plans.manage", plan)
    return ActionPlan.objects.select_for_update().select_related("municipality").get(pk=plan.pk)


def _open_plan(actor: User, plan: ActionPlan) -> ActionPlan:
    """The plan, locked, if its measures may still change (`predicates.measures_open`)."""
    plan = _locked_plan(actor, plan)
    if not measures_open(plan):
        raise NotEditable(_("The plan is archived: its measures can no longer change."))
    return plan


def _locked_measure(actor: User, measure: Measure) -> Measure:
    ensure(actor, "plans.manage", measure)
    return Measure.objects.select_for_update().select_related("plan").get(pk=measure.pk)
