"""Figures by hand: an observation of a city and period (its revision when it replaces one), a
city's baseline and targets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure
from safecities.network.models import Municipality

from .. import periods, states, summary
from ..models import (
    VALUE_FIELDS,
    Baseline,
    Import,
    Indicator,
    Observation,
    ObservationRevision,
    ObservationStatus,
    Target,
)
from .definitions import _not_computed

Reference = TypeVar("Reference", Baseline, Target)

MAX_ABS_VALUE = Decimal(10) ** 12  # max_digits 18, decimal_places 6
SIX_PLACES = Decimal("0.000001")
MAX_NOTE_LENGTH = 2000  # an observation's note: a remark on the figure, not a document
# read once: an import checks each of a million rows with them
STATUSES = frozenset(ObservationStatus.values)
NUMBERS = ("value", "numerator", "denominator", "ci_low", "ci_high")

if TYPE_CHECKING:
    from safecities.core.models import User


def _number(value: object, field: str, errors: list[tuple[str, str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        errors.append((field, _('"%(text)s" is not a number.') % {"text": value}))
        return None
    if not number.is_finite() or abs(number) >= MAX_ABS_VALUE:
        errors.append((field, _("The number is out of range.")))
        return None
    exponent = number.as_tuple().exponent
    return number.quantize(SIX_PLACES) if isinstance(exponent, int) and exponent < -6 else number


def _check_values(indicator: Indicator, v: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems with one observation's numbers, as (field, message); cleans `v` in place."""
    errors: list[tuple[str, str]] = []
    for name in NUMBERS:
        given = v.get(name)
        v[name] = None if given is None else _number(given, name, errors)
    if v["value"] is None and not any(f == "value" for f, _m in errors):
        errors.append(("value", _("The value is missing.")))
    if v["numerator"] is not None and v["numerator"] < 0:
        errors.append(("numerator", _("The numerator cannot be negative.")))
    if v["denominator"] is not None and v["denominator"] <= 0:
        errors.append(("denominator", _("The denominator must be more than zero.")))
    if v["ci_low"] is not None and v["ci_high"] is not None and v["ci_high"] < v["ci_low"]:
        errors.append(("ci_high", _("The interval's high end is below its low end.")))
    value = v["value"]
    if value is not None:
        unit = indicator.unit_type
        if unit == Indicator.UnitType.PERCENTAGE and not 0 <= value <= 100:
            errors.append(("value", _("A percentage lies between 0 and 100.")))
        elif unit in (Indicator.UnitType.COUNT, Indicator.UnitType.RATE_100K) and value < 0:
            errors.append(("value", _("The value cannot be negative.")))
    size = v.get("sample_size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        errors.append(("sample_size", _("Give the sample size as a whole number.")))
    if v.get("status") not in STATUSES:
        errors.append(
            (
                "status",
                _('The status is provisional or final, not "%(s)s".') % {"s": v.get("status")},
            )
        )
    v["note"] = (v.get("note") or "").strip()
    if len(v["note"]) > MAX_NOTE_LENGTH:
        errors.append(
            ("note", _("The note is longer than %(n)s characters.") % {"n": MAX_NOTE_LENGTH})
        )
    v["district"] = (v.get("district") or "").strip()
    if len(v["district"]) > 120:
        errors.append(("district", _("The district's name is too long.")))
    return errors


def _revision_of(
    observation: Observation, *, actor: User | None, import_: Import | None, now: datetime
) -> ObservationRevision:
    return ObservationRevision(
        observation=observation,
        value=observation.value,
        numerator=observation.numerator,
        denominator=observation.denominator,
        sample_size=observation.sample_size,
        ci_low=observation.ci_low,
        ci_high=observation.ci_high,
        status=observation.status,
        note=observation.note,
        source_url=observation.source_url,
        retrieved_at=observation.retrieved_at,
        previous_import_id=observation.source_import_id,
        previous_entered_by_id=observation.entered_by_id,
        previous_updated_at=observation.updated_at,
        made_by_import=import_,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        changed_at=now,
    )


@transaction.atomic
def record_observation(
    *,
    actor: User,
    indicator: Indicator,
    municipality: Municipality,
    period: str,
    value: Decimal,
    district: str = "",
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    sample_size: int | None = None,
    ci_low: Decimal | None = None,
    ci_high: Decimal | None = None,
    status: str = ObservationStatus.PROVISIONAL,
    note: str = "",
    source_url: str = "",
    retrieved_at: datetime | None = None,
) -> Observation:
    """The value of `indicator` for a city (or district) in `period`, entered by hand.

    A second value for the same indicator, place and period updates the observation and keeps
    what it replaced as a revision; the same value again changes nothing.
    """
    ensure(actor, "indicators.write_city", municipality, field="municipality")
    _not_computed(indicator, "indicator")
    period, period_start = periods.normalise(period, indicator.period_type)
    v: dict[str, Any] = {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "sample_size": sample_size,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "status": status,
        "note": note,
        "district": district,
    }
    errors = _check_values(indicator, v)
    if errors:
        raise InvalidInput(errors[0][1], field=errors[0][0])
    district = v.pop("district")
    now = timezone.now()
    provenance = {
        "source_url": (source_url or "").strip(),
        "retrieved_at": retrieved_at,
        "source_import": None,
        "entered_by": actor,
        "updated_at": now,
    }
    existing = (
        Observation.objects.select_for_update()
        .filter(indicator=indicator, municipality=municipality, district=district, period=period)
        .first()
    )
    if existing is None:
        observation = Observation.objects.create(
            indicator=indicator,
            municipality=municipality,
            district=district,
            period=period,
            period_start=period_start,
            **v,
            **provenance,
        )
        if not district:
            summary.refresh(
                indicator.pk, municipalities={municipality.pk}, period_starts={period_start}
            )
        audit.record(
            actor=actor,
            action="indicators.observation.create",
            target=observation,
            changes=audit.created(observation, ["period", "district", *VALUE_FIELDS]),
        )
        return observation
    before = audit.snapshot(existing, VALUE_FIELDS)
    if all(getattr(existing, k) == v[k] for k in VALUE_FIELDS):
        return existing
    _revision_of(existing, actor=actor, import_=None, now=now).save()
    states.set_observation_status(existing, v.pop("status"))
    for name, new in {**v, **provenance}.items():
        setattr(existing, name, new)
    existing.save(update_fields=[*VALUE_FIELDS, *provenance])
    if not district:
        summary.refresh(indicator.pk, municipalities={municipality.pk}, period_starts=())
    audit.record(
        actor=actor,
        action="indicators.observation.update",
        target=existing,
        changes=audit.changes_between(before, audit.snapshot(existing, VALUE_FIELDS)),
    )
    return existing


def _set_reference(
    model: type[Reference],
    action: str,
    *,
    actor: User,
    municipality: Municipality,
    indicator: Indicator,
    period: str,
    value: Decimal | str,
    note: str,
    unique: str,
) -> Reference:
    ensure(actor, "indicators.write_city", municipality, field="municipality")
    period, period_start = periods.normalise(period, indicator.period_type)
    errors: list[tuple[str, str]] = []
    number = _number(value, "value", errors)
    if errors or number is None:
        raise InvalidInput(errors[0][1] if errors else _("Give the value."), field="value")
    lookup: dict[str, Any] = {"municipality": municipality, "indicator": indicator}
    if unique == "period":
        lookup["period"] = period
    row = model.objects.select_for_update().filter(**lookup).first()
    fields = ["period", "value", "note"]
    before = audit.snapshot(row, fields) if row else {}
    if row is None:
        row = model(**lookup)
    row.period, row.period_start, row.value = period, period_start, number
    row.note = (note or "").strip()
    row.set_by = actor
    row.save()
    audit.record(
        actor=actor,
        action=action,
        target=row,
        changes=audit.changes_between(before, audit.snapshot(row, fields)),
    )
    return row


@transaction.atomic
def set_baseline(
    *,
    actor: User,
    municipality: Municipality,
    indicator: Indicator,
    period: str,
    value: Decimal,
    note: str = "",
) -> Baseline:
    """A city's baseline on an indicator (one per city and indicator; setting it again moves it)."""
    return _set_reference(
        Baseline,
        "indicators.baseline.set",
        actor=actor,
        municipality=municipality,
        indicator=indicator,
        period=period,
        value=value,
        note=note,
        unique="indicator",
    )


@transaction.atomic
def set_target(
    *,
    actor: User,
    municipality: Municipality,
    indicator: Indicator,
    period: str,
    value: Decimal,
    note: str = "",
) -> Target:
    """A city's target on an indicator for a period (one per period)."""
    return _set_reference(
        Target,
        "indicators.target.set",
        actor=actor,
        municipality=municipality,
        indicator=indicator,
        period=period,
        value=value,
        note=note,
        unique="period",
    )


# --- imports --------------------------------------------------------------------------------
