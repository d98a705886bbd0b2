"""Computed indicators: their figures recounted from the platform's own records."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.network.models import Municipality

from .. import computed, periods, states, summary
from ..models import (
    Indicator,
    Observation,
    ObservationStatus,
)
from .definitions import _define
from .observations import _revision_of

if TYPE_CHECKING:
    from safecities.core.models import User


def _computed_indicator(entry: computed.Computed) -> Indicator:
    """The computed indicator's row, defined from its registration the first time it is
    counted (by the platform: no actor)."""
    indicator = Indicator.objects.select_for_update().filter(code=entry.code).first()
    if indicator is not None:
        return indicator
    return _define(
        entry.code,
        {**entry.definition, "source": Indicator.Source.COMPUTED, "period_type": "year"},
        actor=None,
    )


@transaction.atomic
def refresh_computed(
    code: str, *, years: Iterable[int] | None = None, actor: User | None = None
) -> Indicator:
    """Replace the observations of the computed indicator `code` for `years` (None: every year
    its provider counts) with what its registered provider yields now: new figures are created,
    changed ones updated (keeping a revision), and a city the provider no longer counts in a
    year loses that year's figure. One audit record per refresh that changed something, naming
    each year's figures per city before and after. `actor`: who caused the recount (the
    organiser who marked attendance), else the platform."""
    entry = computed.get(code)
    if entry is None:
        raise InvalidInput(
            _('No computed indicator is registered as "%(code)s".') % {"code": code}, field="code"
        )
    years = None if years is None else sorted({int(y) for y in years})
    indicator = _computed_indicator(entry)
    counted: dict[tuple[str, int], tuple[Municipality, Decimal]] = {}
    for municipality, year, count in entry.provider(years):
        if years is not None and year not in years:
            continue
        period, _start = periods.normalise(str(year), indicator.period_type)
        counted[(period, municipality.pk)] = (municipality, Decimal(count))
    stored = Observation.objects.select_for_update().filter(indicator=indicator, district="")
    if years is not None:
        stored = stored.filter(period__in=[str(y) for y in years])
    existing = {(o.period, o.municipality_id): o for o in stored.select_related("municipality")}
    now = timezone.now()
    this_year = timezone.localdate(now).year
    before: dict[str, dict] = {}
    after: dict[str, dict] = {}
    for key, observation in existing.items():
        before.setdefault(key[0], {})[observation.municipality.name] = _plain_count(
            observation.value
        )
        if key not in counted:
            observation.delete()
    for key, (municipality, value) in counted.items():
        period = key[0]
        after.setdefault(period, {})[municipality.name] = _plain_count(value)
        status = (
            ObservationStatus.PROVISIONAL if int(period) >= this_year else ObservationStatus.FINAL
        )
        stored_one = existing.get(key)
        if stored_one is None:
            Observation.objects.create(
                indicator=indicator,
                municipality=municipality,
                district="",
                period=period,
                period_start=periods.normalise(period, indicator.period_type)[1],
                value=value,
                status=status,
                note=COMPUTED_NOTE,
                updated_at=now,
            )
        elif stored_one.value != value or stored_one.status != status:
            _revision_of(stored_one, actor=actor, import_=None, now=now).save()
            states.set_observation_status(stored_one, status)
            stored_one.value, stored_one.updated_at = value, now
            stored_one.entered_by = None
            stored_one.source_import = None
            stored_one.save(
                update_fields=["value", "status", "updated_at", "entered_by", "source_import"]
            )
    touched = existing.keys() | counted.keys()
    summary.refresh(
        indicator.pk,
        municipalities={city for _period, city in touched},
        period_starts={periods.normalise(p, indicator.period_type)[1] for p, _city in touched},
    )
    changes = {
        period: [before.get(period, {}), after.get(period, {})]
        for period in sorted(before.keys() | after.keys())
        if before.get(period, {}) != after.get(period, {})
    }
    if changes:
        audit.record(
            actor=actor, action="indicators.computed.refresh", target=indicator, changes=changes
        )
    return indicator


COMPUTED_NOTE = "Counted by the platform."


def _plain_count(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)
