"""Indicator definitions: creating one (by the secretariat, or by the platform for a computed
indicator) and changing it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models, transaction
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.i18n import clean_translations
from safecities.core.permissions import ensure

from ..models import (
    Indicator,
)

if TYPE_CHECKING:
    from safecities.core.models import User

# Codes that would be hidden behind the fixed pages under /indicators/ (see indicators/urls.py).
RESERVED_CODES = frozenset({"new", "network", "cities", "imports"})

INDICATOR_FIELDS = [
    "code",
    "name",
    "description",
    "kind",
    "unit_type",
    "better",
    "numerator_description",
    "denominator_description",
    "source",
    "source_name",
    "period_type",
    "goal",
    "licence",
    "interpretation",
    "comparability_breaks",
]
TRANSLATED_FIELDS = {
    "name",
    "description",
    "numerator_description",
    "denominator_description",
    "interpretation",
    "comparability_breaks",
}


class DuplicateCode(DomainError):
    status = 409


class PeriodTypeLocked(DomainError):
    """An indicator's period type cannot change once it has observations."""

    status = 409


class ComputedIndicator(DomainError):
    """Figures of a computed indicator come from the platform's own counts, not by hand or file."""

    status = 409


def _not_computed(indicator: Indicator, field: str) -> None:
    if indicator.source == Indicator.Source.COMPUTED:
        raise ComputedIndicator(
            _("%(name)s is counted by the platform: its figures cannot be entered or imported.")
            % {"name": indicator.display_name},
            field=field,
        )


def _choice(value: Any, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}, field=field
        )
    return value


# --- definitions ----------------------------------------------------------------------------


def _clean_definition(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in TRANSLATED_FIELDS & cleaned.keys():
        cleaned[name] = clean_translations(
            cleaned[name], name, required=name in ("name", "description")
        )
    choices: dict[str, type[models.TextChoices]] = {
        "kind": Indicator.Kind,
        "unit_type": Indicator.UnitType,
        "better": Indicator.Better,
        "source": Indicator.Source,
        "period_type": Indicator.PeriodType,
    }
    for name, enum in choices.items():
        if name in cleaned:
            cleaned[name] = _choice(cleaned[name], enum, name)
    if "goal" in cleaned and cleaned["goal"] is not None and not isinstance(cleaned["goal"], Goal):
        raise InvalidInput(_("Choose a charter goal."), field="goal")
    for name in ("source_name", "licence"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


class IndicatorDefinition(TypedDict, total=False):
    """An indicator's definition as a service takes it: every field, or (to change one) some."""

    code: str
    name: dict[str, str]
    description: dict[str, str]
    kind: str
    unit_type: str
    better: str
    source: str
    source_name: str
    period_type: str
    numerator_description: dict[str, str] | None
    denominator_description: dict[str, str] | None
    goal: Goal | None
    licence: str
    interpretation: dict[str, str] | None
    comparability_breaks: dict[str, str] | None


def _define(code: str, values: Mapping[str, Any], *, actor: User | None) -> Indicator:
    """The one way an indicator comes to be, with its checks: by the secretariat
    (`create_indicator`) or by the platform the first time it counts a computed one
    (`recount`). The code is refused when malformed, naming a page, or taken."""
    code = (code or "").strip().lower()
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(
            _("Give a code of letters, digits, hyphens and underscores."), field="code"
        )
    if code in RESERVED_CODES:
        raise InvalidInput(
            _('"%(code)s" names a page of the indicators; choose another code.') % {"code": code},
            field="code",
        )
    if Indicator.objects.filter(code=code).exists():
        raise DuplicateCode(
            _('An indicator with the code "%(code)s" exists.') % {"code": code}, field="code"
        )
    cleaned = _clean_definition({k: v for k, v in values.items() if k != "code"})
    indicator = Indicator.objects.create(code=code, **cleaned)
    audit.record(
        actor=actor,
        action="indicators.indicator.create",
        target=indicator,
        changes=audit.created(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def create_indicator(
    *,
    actor: User,
    code: str,
    name: dict[str, str],
    description: dict[str, str],
    kind: str,
    unit_type: str,
    better: str,
    source: str,
    period_type: str,
    source_name: str = "",
    numerator_description: dict[str, str] | None = None,
    denominator_description: dict[str, str] | None = None,
    goal: Goal | None = None,
    licence: str = "",
    interpretation: dict[str, str] | None = None,
    comparability_breaks: dict[str, str] | None = None,
) -> Indicator:
    """A new indicator definition (the secretariat)."""
    ensure(actor, "indicators.manage", field="code")
    definition: IndicatorDefinition = {
        "name": name,
        "description": description,
        "kind": kind,
        "unit_type": unit_type,
        "better": better,
        "source": source,
        "period_type": period_type,
        "source_name": source_name,
        "numerator_description": numerator_description,
        "denominator_description": denominator_description,
        "goal": goal,
        "licence": licence,
        "interpretation": interpretation,
        "comparability_breaks": comparability_breaks,
    }
    return _define(code, definition, actor=actor)


@transaction.atomic
def update_indicator(
    indicator: Indicator, *, actor: User, changes: IndicatorDefinition
) -> Indicator:
    """Change an indicator's definition. Its code stays; its period type only while it has no
    observations (they are spelt in it)."""
    ensure(actor, "indicators.manage", indicator)
    unknown = set(changes) - (set(INDICATOR_FIELDS) - {"code"})
    if unknown:
        raise InvalidInput(
            _("These cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    values = _clean_definition(dict(changes))
    if (
        values.get("period_type", indicator.period_type) != indicator.period_type
        and indicator.observations.exists()
    ):
        raise PeriodTypeLocked(
            _("The indicator has observations; its period type cannot change."),
            field="period_type",
        )
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    for name, value in values.items():
        setattr(indicator, name, value)
    indicator.save(update_fields=list(values))
    audit.record(
        actor=actor,
        action="indicators.indicator.update",
        target=indicator,
        changes=audit.changes_between(before, audit.snapshot(indicator, INDICATOR_FIELDS)),
    )
    return indicator
