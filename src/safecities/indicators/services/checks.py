"""Checking an import's rows: every row once, before anything is written, into the plan of
what committing would change (new, updated, unchanged) or the list of every problem, each
naming its row or cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from safecities.core.permissions import ensure, has_perm

from .. import periods
from ..bulk import _E, _EXISTING
from ..models import (
    VALUE_FIELDS,
    Indicator,
    Observation,
)
from ..rows import Row, RowError
from .observations import _check_values

if TYPE_CHECKING:
    from safecities.core.models import User


@dataclass
class RowChange:
    """What importing one row would do: "new", "updated" or "unchanged"."""

    ref: str
    action: str
    municipality_id: int
    place: str
    district: str
    period: str
    value: Decimal
    previous: Decimal | None = None
    numerator: Decimal | None = None
    previous_numerator: Decimal | None = None


@dataclass
class ImportPlan:
    """What an import will change; `errors` empty means it can be committed."""

    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # internal: what to write
    _new: list = field(default_factory=list, repr=False)
    _updated: list = field(default_factory=list, repr=False)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


PROGRESS_EVERY = 1000  # rows between two progress reports while checking


def _plan(
    actor: User,
    indicator: Indicator,
    rows: Sequence[Row],
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    plan = ImportPlan()
    if not rows:
        plan.errors.append(RowError(_("file"), None, _("The file holds no rows to import.")))
        return plan
    allowed: dict[int, bool] = {}
    # each period's text read once: a file has a few distinct periods over many rows
    normalised: dict[str, tuple[str, date] | periods.InvalidPeriod] = {}
    seen: dict[tuple, str] = {}
    checked = []
    for n, row in enumerate(rows):
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
        if row.municipality_id not in allowed:
            allowed[row.municipality_id] = has_perm(
                actor, "indicators.write_city", row.municipality_id
            )
        if not allowed[row.municipality_id]:
            plan.errors.append(
                RowError(
                    row.ref,
                    "municipality_code",
                    _("You may not import figures for %(place)s.") % {"place": row.place},
                )
            )
            continue
        period_start = normalised.get(row.period)
        if period_start is None:
            try:
                period_start = periods.normalise(row.period, indicator.period_type)
            except periods.InvalidPeriod as exc:
                period_start = exc
            normalised[row.period] = period_start
        if isinstance(period_start, periods.InvalidPeriod):  # the period's error, read once
            plan.errors.append(RowError(row.ref, "period", period_start.message))
            continue
        period, start = period_start
        v: dict[str, Any] = {
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "sample_size": row.sample_size,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "status": row.status,
            "note": row.note,
            "district": row.district,
        }
        problems = _check_values(indicator, v)
        if problems:
            plan.errors.extend(RowError(row.ref, f, m) for f, m in problems)
            continue
        key = (row.municipality_id, v["district"], period)
        if key in seen:
            plan.errors.append(
                RowError(
                    row.ref,
                    "period",
                    _("%(place)s %(period)s is given twice (also in %(other)s).")
                    % {"place": row.place, "period": period, "other": seen[key]},
                )
            )
            continue
        seen[key] = row.ref
        checked.append((row, key, start, v))
    if plan.errors:
        return plan

    existing = _existing(indicator, checked)
    for row, key, start, v in checked:
        old = existing.get(key)
        change = RowChange(
            ref=row.ref,
            action="new",
            municipality_id=row.municipality_id,
            place=row.place,
            district=key[1],
            period=key[2],
            value=v["value"],
            numerator=v["numerator"],
        )
        if old is None:
            plan._new.append((row, key, start, v))
        else:
            change.previous = old[_E["value"]]
            change.previous_numerator = old[_E["numerator"]]
            if all(old[_E[k]] == v[k] for k in VALUE_FIELDS):
                change.action = "unchanged"
            else:
                change.action = "updated"
                plan._updated.append((row, old, v))
        plan.changes.append(change)
    return plan


def _existing(indicator: Indicator, checked: list) -> dict[tuple, tuple]:
    """The indicator's observations for the places and period span of the rows, by key."""
    if not checked:
        return {}
    city_ids = sorted({key[0] for _r, key, _s, _v in checked})
    first = min(start for _r, _k, start, _v in checked)
    last = max(start for _r, _k, start, _v in checked)
    found: dict[tuple, tuple] = {}
    for i in range(0, len(city_ids), 500):
        qs = Observation.objects.filter(
            indicator=indicator,
            municipality_id__in=city_ids[i : i + 500],
            period_start__gte=first,
            period_start__lte=last,
        ).values_list(*_EXISTING)
        for old in qs:
            found[(old[1], old[2], old[3])] = old
    return found


def preview_import(
    actor: User,
    *,
    indicator: Indicator,
    rows: Sequence[Row],
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """What committing `rows` would do, row by row (new, updated, unchanged), and every error;
    writes nothing. `progress(rows_checked)` is called every PROGRESS_EVERY rows."""
    ensure(actor, "indicators.write_city", field="file")
    return _plan(actor, indicator, rows, progress)
