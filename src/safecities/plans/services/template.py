"""The network's plan template: one section per charter goal, with guidance, that every new
plan starts from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.i18n import clean_translations
from safecities.core.permissions import ensure

from ..models import PlanTemplate, TemplateSection
from ._common import TEMPLATE_SECTION_FIELDS

if TYPE_CHECKING:
    from safecities.core.models import User


@transaction.atomic
def save_template_section(
    *,
    actor: User,
    goal: Goal,
    heading: Mapping[str, str],
    guidance: Mapping[str, str] | None = None,
    position: int | None = None,
) -> TemplateSection:
    """Write the network template's section for a charter goal (created on first save)."""
    ensure(actor, "plans.edit_template", field="goal")
    if not isinstance(goal, Goal):
        raise InvalidInput(_("Choose a charter goal."), field="goal")
    heading = clean_translations(dict(heading), "heading", required=True)
    guidance = clean_translations(dict(guidance or {}), "guidance", required=False)
    if position is not None and (not isinstance(position, int) or position < 0):
        raise InvalidInput(_("The position is a whole number from 0."), field="position")
    template, _created = PlanTemplate.objects.get_or_create(key=PlanTemplate.NETWORK)
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
