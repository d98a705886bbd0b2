"""Every write to indicators: one function per business action, atomic and audited.

One value per indicator, place and period: recording or importing a second value for the same
cell updates the observation and writes an `ObservationRevision` holding what it replaced.

Imports are all-or-nothing: `commit_import` checks every row first (place, period, numbers,
the actor's right to write each city), before any transaction opens, and writes only when none
is at fault. The writes go in batches, each its own short transaction of one `executemany` per
table (insert new observations, update changed ones, insert their revisions), so SQLite's write
lock is never held for long and per row only a tuple is built, no model instance; a batch that
fails has the earlier ones taken back (docs/imports.md). `undo_import` deletes what an import
created and restores what it updated from the revisions it wrote, refusing when a later change
would be lost.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.i18n import clean_translations
from safecities.core.permissions import ensure, has_perm
from safecities.network.models import Municipality

from . import computed, periods
from .models import (
    Baseline,
    Import,
    Indicator,
    Observation,
    ObservationRevision,
    ObservationStatus,
    Target,
)
from .rows import ImportRejected, Row, RowError, rows_from_csv, rows_from_jsonstat

__all__ = [
    "ImportRejected",
    "rows_from_csv",
    "rows_from_jsonstat",
]

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
# The observation's content, compared to tell an update from an unchanged row.
VALUE_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "sample_size",
    "ci_low",
    "ci_high",
    "status",
    "note",
]
MAX_ABS_VALUE = Decimal(10) ** 12  # max_digits 18, decimal_places 6
SIX_PLACES = Decimal("0.000001")
MAX_NOTE_LENGTH = 2000  # an observation's note: a remark on the figure, not a document


class DuplicateCode(DomainError):
    status = 409


class PeriodTypeLocked(DomainError):
    """An indicator's period type cannot change once it has observations."""

    status = 409


class ImportAlreadyUndone(DomainError):
    status = 409


class ImportNotCommitted(DomainError):
    """Undo, or a result, asked of an import that has not been committed."""


class ImportNotDraft(DomainError):
    """The import has left the draft stage: it can no longer be mapped or committed."""


class UndoConflict(DomainError):
    """A later change touched what the import wrote; undoing it would lose that change."""

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


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}, field=field
        )
    return value


# --- definitions ----------------------------------------------------------------------------


def _clean_definition(values: dict) -> dict:
    cleaned = dict(values)
    for name in TRANSLATED_FIELDS & cleaned.keys():
        cleaned[name] = clean_translations(
            cleaned[name], name, required=name in ("name", "description")
        )
    choices = {
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


@transaction.atomic
def create_indicator(
    *,
    actor,
    code: str,
    name: dict,
    description: dict,
    kind: str,
    unit_type: str,
    better: str,
    source: str,
    period_type: str,
    source_name: str = "",
    numerator_description: dict | None = None,
    denominator_description: dict | None = None,
    goal: Goal | None = None,
    licence: str = "",
    interpretation: dict | None = None,
    comparability_breaks: dict | None = None,
) -> Indicator:
    """A new indicator definition (the secretariat)."""
    ensure(actor, "indicators.manage", field="code")
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
    values = _clean_definition(
        {
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
    )
    indicator = Indicator.objects.create(code=code, **values)
    audit.record(
        actor=actor,
        action="indicators.indicator.create",
        target=indicator,
        changes=audit.created(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def update_indicator(*, actor, indicator: Indicator, **changes) -> Indicator:
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
    values = _clean_definition(changes)
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


# --- values ---------------------------------------------------------------------------------


def _number(value, field: str, errors: list) -> Decimal | None:
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
    return number.quantize(SIX_PLACES) if number.as_tuple().exponent < -6 else number


def _check_values(indicator: Indicator, v: dict) -> list[tuple[str, str]]:
    """Problems with one observation's numbers, as (field, message); cleans `v` in place."""
    errors: list[tuple[str, str]] = []
    for name in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        v[name] = _number(v.get(name), name, errors)
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
    if v.get("status") not in ObservationStatus.values:
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


def _revision_of(observation: Observation, *, actor, import_: Import | None, now: datetime):
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
    actor,
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
    v = {
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
    for name, new in {**v, **provenance}.items():
        setattr(existing, name, new)
    existing.save(update_fields=[*VALUE_FIELDS, *provenance])
    audit.record(
        actor=actor,
        action="indicators.observation.update",
        target=existing,
        changes=audit.changes_between(before, audit.snapshot(existing, VALUE_FIELDS)),
    )
    return existing


def _set_reference(
    model, action: str, *, actor, municipality, indicator, period, value, note, unique
):
    ensure(actor, "indicators.write_city", municipality, field="municipality")
    period, period_start = periods.normalise(period, indicator.period_type)
    errors: list = []
    number = _number(value, "value", errors)
    if errors or number is None:
        raise InvalidInput(errors[0][1] if errors else _("Give the value."), field="value")
    lookup = {"municipality": municipality, "indicator": indicator}
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
    actor,
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
    actor,
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

_EXISTING = [
    "id",
    "municipality_id",
    "district",
    "period",
    *VALUE_FIELDS,
    "source_import_id",
    "source_url",
    "retrieved_at",
    "entered_by_id",
    "updated_at",
]
_E = {name: i for i, name in enumerate(_EXISTING)}


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
    actor, indicator: Indicator, rows: Sequence[Row], progress: Callable[[int], None] | None = None
) -> ImportPlan:
    plan = ImportPlan()
    if not rows:
        plan.errors.append(RowError(_("file"), None, _("The file holds no rows to import.")))
        return plan
    allowed: dict[int, bool] = {}
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
        try:
            period, start = periods.normalise(row.period, indicator.period_type)
        except periods.InvalidPeriod as exc:
            plan.errors.append(RowError(row.ref, "period", exc.message))
            continue
        v = {
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
    actor,
    *,
    indicator: Indicator,
    rows: Sequence[Row],
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """What committing `rows` would do, row by row (new, updated, unchanged), and every error;
    writes nothing. `progress(rows_checked)` is called every PROGRESS_EVERY rows."""
    ensure(actor, "indicators.write_city", field="file")
    return _plan(actor, indicator, rows, progress)


def _executemany(sql: str, params: list[tuple]) -> None:
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _insert_sql(model, columns: Iterable[str]) -> str:
    q = connection.ops.quote_name
    columns = list(columns)
    return "INSERT INTO {} ({}) VALUES ({})".format(
        q(model._meta.db_table), ", ".join(q(c) for c in columns), ", ".join(["%s"] * len(columns))
    )


def _update_sql(model, columns: Iterable[str]) -> str:
    q = connection.ops.quote_name
    return "UPDATE {} SET {} WHERE {} = %s".format(
        q(model._meta.db_table), ", ".join(f"{q(c)} = %s" for c in columns), q("id")
    )


def _db_datetime(value: datetime | None):
    return connection.ops.adapt_datetimefield_value(value)


def _db_date(value: date):
    return connection.ops.adapt_datefield_value(value)


def _db_decimal(value: Decimal | None):
    return connection.ops.adapt_decimalfield_value(value, 18, 6)


_OBS_VALUE_COLUMNS = ["value", "numerator", "denominator", "sample_size", "ci_low", "ci_high"]
_OBS_INSERT = [
    "indicator_id",
    "municipality_id",
    "district",
    "period",
    "period_start",
    *_OBS_VALUE_COLUMNS,
    "status",
    "note",
    "source_import_id",
    "created_by_import_id",
    "source_url",
    "retrieved_at",
    "entered_by_id",
    "updated_at",
]
_OBS_UPDATE = [
    *_OBS_VALUE_COLUMNS,
    "status",
    "note",
    "source_import_id",
    "source_url",
    "retrieved_at",
    "entered_by_id",
    "updated_at",
]
_REVISION_INSERT = [
    "observation_id",
    *_OBS_VALUE_COLUMNS,
    "status",
    "note",
    "source_url",
    "retrieved_at",
    "previous_import_id",
    "previous_entered_by_id",
    "previous_updated_at",
    "made_by_import_id",
    "changed_by_id",
    "changed_at",
]


def _values(v: dict) -> tuple:
    return (
        _db_decimal(v["value"]),
        _db_decimal(v["numerator"]),
        _db_decimal(v["denominator"]),
        v["sample_size"],
        _db_decimal(v["ci_low"]),
        _db_decimal(v["ci_high"]),
        v["status"],
        v["note"],
    )


def _old_values(old: tuple) -> tuple:
    return (
        _db_decimal(old[_E["value"]]),
        _db_decimal(old[_E["numerator"]]),
        _db_decimal(old[_E["denominator"]]),
        old[_E["sample_size"]],
        _db_decimal(old[_E["ci_low"]]),
        _db_decimal(old[_E["ci_high"]]),
        old[_E["status"]],
        old[_E["note"]],
    )


WRITE_BATCH = 2000  # rows per write transaction; progress is reported between batches

Progress = Callable[[str, int, int], None]  # (phase, done, total)


class ImportConflict(DomainError):
    """Figures the import was about to write changed while it ran; it wrote nothing."""

    status = 409


def _batches(items: list):
    size = WRITE_BATCH
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _new_params(indicator, import_, stamp, user_id, new) -> list[tuple]:
    return [
        (
            indicator.pk,
            key[0],
            key[1],
            key[2],
            _db_date(start),
            *_values(v),
            import_.pk,
            import_.pk,
            row.source_url,
            None,
            user_id,
            stamp,
        )
        for row, key, start, v in new
    ]


def _write_updates(import_, stamp, user_id, updated) -> None:
    """Revisions of, then the new values for, a batch of updated observations; refused when any
    of them changed since the import's check read it."""
    now = {
        old[0]: old
        for old in Observation.objects.filter(pk__in=[old[0] for _r, old, _v in updated])
        .select_for_update()
        .values_list(*_EXISTING)
    }
    if any(now.get(old[0]) != old for _r, old, _v in updated):
        raise ImportConflict(
            _(
                "Figures this import would update were changed while it ran; nothing was "
                "imported. Start the import again."
            )
        )
    _executemany(
        _insert_sql(ObservationRevision, _REVISION_INSERT),
        [
            (
                old[0],
                *_old_values(old),
                old[_E["source_url"]],
                _db_datetime(old[_E["retrieved_at"]]),
                old[_E["source_import_id"]],
                old[_E["entered_by_id"]],
                _db_datetime(old[_E["updated_at"]]),
                import_.pk,
                user_id,
                stamp,
            )
            for _row, old, _v in updated
        ],
    )
    _executemany(
        _update_sql(Observation, _OBS_UPDATE),
        [
            (*_values(v), import_.pk, row.source_url, None, user_id, stamp, old[0])
            for row, old, v in updated
        ],
    )


def _write_new(indicator, import_, stamp, user_id, new) -> None:
    try:
        with transaction.atomic():
            _executemany(
                _insert_sql(Observation, _OBS_INSERT),
                _new_params(indicator, import_, stamp, user_id, new),
            )
    except IntegrityError as exc:
        raise ImportConflict(
            _(
                "Figures this import would create were entered while it ran; nothing was "
                "imported. Start the import again."
            )
        ) from exc


def commit_import(
    actor,
    *,
    indicator: Indicator,
    rows: Sequence[Row],
    format: str,
    filename: str = "",
    mapping: dict | None = None,
    import_: Import | None = None,
    progress: Progress | None = None,
    plan: ImportPlan | None = None,
) -> Import:
    """Write `rows` as observations of `indicator`, all or nothing.

    Raises ImportRejected listing every row at fault (nothing is written). Rows for a city the
    actor may not write are faults: a coordinator imports only their own cities. `import_`, when
    given, is the draft or running import (`run_import`) that becomes the committed one; else a
    new one is made. `plan`: the rows' check, when the caller has just made it
    (`preview_import`). `progress("write", done, total)` is called between batches.

    The rows are checked before any transaction opens, then written in batches of WRITE_BATCH
    rows, each its own short transaction (so other requests and the worker never wait long for
    SQLite's write lock), then marked committed. Each batch checks that what it overwrites is
    what the check read. When a batch fails, what the earlier batches wrote is taken back
    (`_take_back`) and the error raised: nothing is imported. See docs/imports.md.
    """
    ensure(actor, "indicators.write_city", field="file")
    _not_computed(indicator, "file")
    _choice(format, Import.Format, "format")
    if plan is None:
        plan = _plan(actor, indicator, rows)
    if plan.errors:
        raise ImportRejected(plan.errors)
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    counts = {
        "created_count": len(plan._new),
        "updated_count": len(plan._updated),
        "unchanged_count": plan.count("unchanged"),
        "row_count": len(rows),
    }
    created = import_ is None
    with transaction.atomic():
        if import_ is None:
            import_ = Import.objects.create(
                indicator=indicator,
                format=format,
                filename=(filename or "")[:255],
                mapping=mapping or {},
                created_by=user,
                status=Import.Status.RUNNING,
                **counts,
            )
        else:
            # not over a failure: an import given up as stalled meanwhile writes nothing
            if (
                not Import.objects.filter(pk=import_.pk)
                .exclude(status=Import.Status.FAILED)
                .update(**counts, status=Import.Status.RUNNING)
            ):
                raise ImportGivenUp(_stalled_message())
            for name, value in counts.items():
                setattr(import_, name, value)
            import_.status = Import.Status.RUNNING
        import_.municipalities.set(sorted({c.municipality_id for c in plan.changes}))
    writes = len(plan._new) + len(plan._updated)
    stamp, user_id = _db_datetime(now), getattr(user, "pk", None)
    done = 0
    try:
        for batch in _batches(plan._new):
            _retrying(lambda b=batch: _write_new(indicator, import_, stamp, user_id, b))
            done += len(batch)
            if progress is not None:
                progress(Import.Phase.WRITE, done, writes)
        for batch in _batches(plan._updated):
            _retrying(lambda b=batch: _atomic(lambda: _write_updates(import_, stamp, user_id, b)))
            done += len(batch)
            if progress is not None:
                progress(Import.Phase.WRITE, done, writes)

        def finish() -> None:
            with transaction.atomic():
                # not over a failure: an import given up as stalled meanwhile stays failed, and
                # what its batches wrote is taken back below
                if (
                    not Import.objects.filter(pk=import_.pk)
                    .exclude(status=Import.Status.FAILED)
                    .update(status=Import.Status.COMMITTED, finished_at=now, error="")
                ):
                    raise ImportGivenUp(_stalled_message())
                audit.record(
                    actor=actor,
                    action="indicators.import.commit",
                    target=import_,
                    changes={
                        "indicator": [None, indicator.code],
                        "format": [None, format],
                        "filename": [None, import_.filename],
                        "created": [None, import_.created_count],
                        "updated": [None, import_.updated_count],
                        "unchanged": [None, import_.unchanged_count],
                    },
                )

        _retrying(finish)
    except BaseException:
        _retrying(lambda: _take_back(import_))
        if created:
            Import.objects.filter(pk=import_.pk).delete()
        raise
    import_.status, import_.finished_at, import_.error = Import.Status.COMMITTED, now, ""
    return import_


def _atomic(write: Callable[[], None]) -> None:
    with transaction.atomic():
        write()


LOCK_RETRIES = 5  # further tries of a write refused because the database stayed locked


def _retrying(write: Callable[[], None]) -> None:
    """Run `write` (its own transaction), again when SQLite's write lock stayed taken past the
    busy timeout (another process writing long); other errors are raised at once."""
    from django.db import OperationalError

    from safecities.core.errors import is_database_locked

    for attempt in range(LOCK_RETRIES + 1):
        try:
            return write()
        except OperationalError as exc:
            nested = transaction.get_connection().in_atomic_block
            if attempt == LOCK_RETRIES or nested or not is_database_locked(exc):
                raise


_RESTORED = ["status", "note", "source_url", "retrieved_at"]


def _restore(revisions: Iterable[ObservationRevision]) -> None:
    """Give each revision's observation back the figures and provenance the revision kept."""
    restored = []
    for r in revisions:
        o = r.observation
        for name in _OBS_VALUE_COLUMNS + _RESTORED:
            setattr(o, name, getattr(r, name))
        o.source_import_id = r.previous_import_id
        o.entered_by_id = r.previous_entered_by_id
        o.updated_at = r.previous_updated_at
        restored.append(o)
    Observation.objects.bulk_update(
        restored,
        [*_OBS_VALUE_COLUMNS, *_RESTORED, "source_import", "entered_by", "updated_at"],
        batch_size=500,
    )


def _take_back(import_: Import) -> None:
    """Undo what a failed import's batches wrote, in batches: its revisions give back the
    values it overwrote (and are deleted, as is the import's place list: nothing happened),
    the observations it created are deleted. Observations changed by someone else since are
    left as they are."""
    while True:
        with transaction.atomic():
            revisions = list(
                ObservationRevision.objects.filter(made_by_import=import_)
                .select_related("observation")
                .order_by("id")[:WRITE_BATCH]
            )
            if not revisions:
                break
            _restore(r for r in revisions if r.observation.source_import_id == import_.pk)
            ObservationRevision.objects.filter(pk__in=[r.pk for r in revisions]).delete()
    while True:
        with transaction.atomic():
            ids = list(
                Observation.objects.filter(
                    created_by_import=import_, source_import=import_
                ).values_list("pk", flat=True)[:WRITE_BATCH]
            )
            if not ids:
                break
            Observation.objects.filter(pk__in=ids).delete()
    with transaction.atomic():
        import_.municipalities.clear()
        Import.objects.filter(pk=import_.pk).update(
            created_count=0, updated_count=0, unchanged_count=0
        )


@transaction.atomic
def undo_import(actor, import_: Import) -> Import:
    """Undo an import as a whole: delete the observations it created and restore those it
    updated to what its revisions hold. Refused if anything it wrote has changed since."""
    ensure(actor, "indicators.undo_import", import_)
    import_ = Import.objects.select_for_update().get(pk=import_.pk)
    if import_.status == Import.Status.UNDONE:
        raise ImportAlreadyUndone(_("This import has already been undone."))
    if import_.status != Import.Status.COMMITTED:
        raise ImportNotCommitted(_("Only a committed import can be undone."))
    created = Observation.objects.filter(created_by_import=import_)
    revisions = list(
        ObservationRevision.objects.filter(made_by_import=import_)
        .select_related("observation")
        .order_by("id")
    )
    changed_since = created.exclude(source_import=import_).count() + sum(
        1 for r in revisions if r.observation.source_import_id != import_.pk
    )
    if changed_since:
        raise UndoConflict(
            _(
                "%(n)s of the import's observations have changed since; undoing it would lose "
                "those changes."
            )
            % {"n": changed_since}
        )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    deleted = created.count()
    created.delete()
    # Undoing is itself a change: each restored observation gets a revision holding the
    # value the import had written, so the history reads value → import → undo.
    ObservationRevision.objects.bulk_create(
        [_revision_of(r.observation, actor=user, import_=None, now=now) for r in revisions],
        batch_size=500,
    )
    _restore(revisions)
    import_.status = Import.Status.UNDONE
    import_.undone_at = now
    import_.undone_by = user
    import_.save(update_fields=["status", "undone_at", "undone_by"])
    audit.record(
        actor=actor,
        action="indicators.import.undo",
        target=import_,
        changes={"deleted": [None, deleted], "restored": [None, len(revisions)]},
    )
    return import_


# --- the import wizard: a stored file, its mapping, committing now or in the background ----
#
# Upload: the file is read and checked (CSV: every row, against the user's cities; JSON-stat:
# that it is JSON-stat), and only then stored with a `draft` import; a bad file stores nothing.
# A JSON-stat draft is then mapped (dataset, place and time dimensions, content code). Committing
# runs `run_import` at once for up to INDICATOR_IMPORT_IN_REQUEST_ROWS rows, or queues it for the
# worker (`tasks.run_import`).
#
# Progress while running, readable by any other request: the check phase writes it to the
# import's row (`phase`, `progress_done`, `progress_total`), each report its own short
# transaction. The write phase reports between its batches to the "progress" cache (files under
# SAFECITIES_VAR, shared by the worker and the server processes); `selectors.import_progress`
# reads the cache first and the row after.


class UnreadableFile(DomainError):
    """The upload is not a CSV or JSON-stat file we can read."""

    field = "file"


def progress_key(import_id: int) -> str:
    return f"indicators:import:{import_id}:progress"


def _progress_cache():
    from django.core.cache import caches

    return caches["progress"]


def _detect_format(name: str, data: bytes) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == "json" or (suffix not in ("csv", "txt") and head[:1] == b"{"):
        return Import.Format.JSONSTAT
    if suffix in ("csv", "txt"):
        return Import.Format.CSV
    raise UnreadableFile(
        _(
            "The file %(name)s is neither CSV (.csv) nor JSON-stat (.json): upload the table as "
            "one of those."
        )
        % {"name": name}
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("The file is not text: upload a CSV or JSON-stat file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("The file is not UTF-8 text (byte %(n)s): save it as UTF-8 and upload it again.")
            % {"n": exc.start + 1}
        ) from exc


def _read_file(import_: Import) -> str:
    with import_.file.open("rb") as handle:
        return _decode(handle.read())


def import_datasets(import_: Import) -> list:
    """The JSON-stat datasets of a stored import's file."""
    from . import jsonstat

    return jsonstat.loads(_read_file(import_))


def import_rows(import_: Import) -> list[Row]:
    """The rows of a stored import's file as mapped. Raises ImportRejected or JsonStatError."""
    mapping = import_.mapping or {}
    country = mapping.get("country") or None
    if import_.format == Import.Format.CSV:
        return rows_from_csv(_read_file(import_), country=country)
    datasets = import_datasets(import_)
    dataset = mapping.get("dataset")
    if dataset is None or "geo_dimension" not in mapping:
        raise ImportRejected(
            [RowError(_("mapping"), None, _("Map the file's dimensions first."))],
            field="mapping",
        )
    if not 0 <= dataset < len(datasets):
        raise ImportRejected([RowError(_("mapping"), "dataset", _("No such dataset."))])
    return rows_from_jsonstat(
        datasets[dataset],
        geo_dimension=mapping["geo_dimension"],
        time_dimension=mapping["time_dimension"],
        content_dimension=mapping.get("content_dimension") or None,
        content_code=mapping.get("content_code") or None,
        country=country or "",
        fixed=mapping.get("fixed") or {},
    )


def _ensure_draft(import_: Import) -> None:
    if import_.status != Import.Status.DRAFT:
        raise ImportNotDraft(
            _("This import is %(status)s: it can no longer be changed or committed.")
            % {"status": import_.get_status_display().lower()}
        )


def upload_import(actor, *, indicator: Indicator, upload, country=None) -> Import:
    """Check an uploaded file and keep it as a draft import of `indicator`.

    A CSV file is checked whole (every row, against the cities the actor may write); a JSON-stat
    file is checked to be JSON-stat, its rows once mapped (`map_import`). Raises UnreadableFile,
    JsonStatError or ImportRejected naming the line or cell; then nothing is stored. The file is
    read and checked before any transaction opens (a large one takes seconds, and SQLite's write
    lock must not be held meanwhile); the draft is then saved in one short transaction.
    """
    from django.conf import settings
    from django.core.files.base import ContentFile

    from . import jsonstat

    ensure(actor, "indicators.write_city", field="file")
    _not_computed(indicator, "file")
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    data = upload.read(settings.INDICATOR_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.INDICATOR_IMPORT_MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.INDICATOR_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    format = _detect_format(name, data)
    text = _decode(data)
    code = getattr(country, "code", country) or ""
    mapping: dict = {"country": code}
    row_count = None
    if format == Import.Format.CSV:
        rows = rows_from_csv(text, country=code or None)
        plan = preview_import(actor, indicator=indicator, rows=rows)
        if plan.errors:
            raise ImportRejected(plan.errors)
        row_count = len(rows)
    else:
        datasets = jsonstat.loads(text)
        mapping["dataset"] = 0 if len(datasets) == 1 else None
    import_ = Import(
        indicator=indicator,
        format=format,
        filename=name,
        mapping=mapping,
        status=Import.Status.DRAFT,
        row_count=row_count,
        created_by=actor,
    )
    import_.file.save(name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            import_.save()
            audit.record(
                actor=actor,
                action="indicators.import.upload",
                target=import_,
                changes={
                    "indicator": [None, indicator.code],
                    "format": [None, format],
                    "filename": [None, name],
                },
            )
    except BaseException:
        import_.file.storage.delete(import_.file.name)
        raise
    return import_


def map_import(
    actor,
    import_: Import,
    *,
    dataset: int,
    geo_dimension: str,
    time_dimension: str,
    fixed: dict[str, str],
    country,
) -> ImportPlan:
    """Map a JSON-stat draft: which dimension holds the municipalities (official codes of
    `country`), which the periods, and the category chosen of every other dimension (the
    content code among them). Checks every cell; raises ImportRejected naming each cell at fault
    (the mapping is then not saved). Returns the preview."""
    ensure(actor, "indicators.continue_import", import_)
    import_ = Import.objects.get(pk=import_.pk)
    _ensure_draft(import_)
    datasets = import_datasets(import_)
    if not 0 <= dataset < len(datasets):
        raise InvalidInput(_("Choose one of the file's datasets."), field="dataset")
    metric = [d for d in datasets[dataset].role_of("metric") if d in fixed]
    fixed = dict(fixed)
    content_dimension = metric[0] if metric else ""
    content_code = fixed.pop(content_dimension, "") if content_dimension else ""
    code = getattr(country, "code", country) or ""
    mapping = {
        "country": code,
        "dataset": dataset,
        "geo_dimension": geo_dimension,
        "time_dimension": time_dimension,
        "content_dimension": content_dimension,
        "content_code": content_code,
        "fixed": fixed,
    }
    import_.mapping = mapping
    rows = import_rows(import_)
    plan = preview_import(actor, indicator=import_.indicator, rows=rows)
    if plan.errors:
        raise ImportRejected(plan.errors)
    # The file was read and checked above, outside any transaction; only the mapping is saved
    # under the write lock, if the import is still a draft.
    with transaction.atomic():
        import_ = Import.objects.select_for_update().get(pk=import_.pk)
        _ensure_draft(import_)
        import_.mapping = mapping
        import_.row_count = len(rows)
        import_.save(update_fields=["mapping", "row_count"])
        audit.record(
            actor=actor,
            action="indicators.import.map",
            target=import_,
            changes={"mapping": [None, mapping]},
        )
    return plan


def preview_stored_import(actor, import_: Import) -> ImportPlan:
    """What committing a draft would do now, and every error (each naming its row or cell)."""
    from .jsonstat import JsonStatError

    ensure(actor, "indicators.continue_import", import_)
    try:
        rows = import_rows(import_)
    except ImportRejected as exc:
        return ImportPlan(errors=exc.errors)
    except JsonStatError as exc:
        return ImportPlan(errors=[RowError(_("file"), None, exc.message)])
    return preview_import(actor, indicator=import_.indicator, rows=rows)


def runs_in_background(import_: Import) -> bool:
    from django.conf import settings

    return (import_.row_count or 0) > settings.INDICATOR_IMPORT_IN_REQUEST_ROWS


def commit_stored_import(actor, import_: Import) -> Import:
    """Commit a draft: at once when small, else queued for the worker (see `run_import`).
    All or nothing either way; a failure leaves the import `failed` with the reason."""
    ensure(actor, "indicators.continue_import", import_)
    with transaction.atomic():
        import_ = Import.objects.select_for_update().get(pk=import_.pk)
        _ensure_draft(import_)
        import_.status = Import.Status.QUEUED
        import_.phase, import_.progress_done = "", 0
        import_.progress_total = import_.row_count or 0
        fields = ["status", "phase", "progress_done", "progress_total"]
        background = runs_in_background(import_)
        if background:
            from .tasks import run_import as task

            import_.task_id = str(task.enqueue(import_.pk).id)[:64]
            fields.append("task_id")
        import_.save(update_fields=fields)
    if not background:
        run_import(import_.pk)
    import_.refresh_from_db()
    return import_


def _report_check(import_id: int, done: int, total: int) -> None:
    """Progress of the check on the import's row, with when it was made (see `fail_if_stalled`);
    a report the database's lock refuses is left out (the next one, or the end, says more). An
    import given up as stalled meanwhile stops here and writes nothing."""
    from django.db import OperationalError

    from safecities.core.errors import is_database_locked

    try:
        moved = Import.objects.filter(pk=import_id, status=Import.Status.RUNNING).update(
            phase=Import.Phase.CHECK,
            progress_done=done,
            progress_total=total,
            progressed_at=timezone.now(),
        )
    except OperationalError as exc:
        if not is_database_locked(exc) or transaction.get_connection().in_atomic_block:
            raise
        return
    if not moved:  # given up as stalled meanwhile (`fail_if_stalled`): stop, write nothing
        raise ImportGivenUp(_stalled_message())


def _report_write(key: str, phase: str, done: int, total: int) -> None:
    """The write phase's progress, with when it was made (see `fail_if_stalled`)."""
    _progress_cache().set(key, (phase, done, total, timezone.now().isoformat()))


def run_import(import_id: int) -> str:
    """Run a queued import: check every row (progress on the import's row), then commit all or
    nothing (progress in the "progress" cache, see above). On a refusal the import is `failed`
    and `error` names the rows or cells at fault; nothing is written. Returns the new status."""
    claimed = 0

    def claim() -> None:
        nonlocal claimed
        claimed = Import.objects.filter(pk=import_id, status=Import.Status.QUEUED).update(
            status=Import.Status.RUNNING,
            phase=Import.Phase.CHECK,
            progress_done=0,
            progressed_at=timezone.now(),
        )

    _retrying(claim)
    if not claimed:
        return Import.objects.filter(pk=import_id).values_list("status", flat=True).first() or ""
    import_ = Import.objects.select_related("indicator", "created_by").get(pk=import_id)
    actor = import_.created_by
    cache = _progress_cache()
    key = progress_key(import_id)
    try:
        if actor is None or not actor.is_active:
            raise NotAllowedToRun(_("The person who started this import can no longer import."))
        rows = import_rows(import_)
        total = len(rows)
        _report_check(import_id, 0, total)
        plan = preview_import(
            actor,
            indicator=import_.indicator,
            rows=rows,
            progress=lambda done: _report_check(import_id, done, total),
        )
        if plan.errors:
            raise ImportRejected(plan.errors)
        _report_check(import_id, total, total)
        _report_write(key, Import.Phase.WRITE, 0, 1)
        commit_import(
            actor,
            indicator=import_.indicator,
            rows=rows,
            plan=plan,
            format=import_.format,
            filename=import_.filename,
            mapping=import_.mapping,
            import_=import_,
            progress=lambda phase, done, all_: _report_write(key, phase, done, all_),
        )
    except ImportGivenUp:
        return Import.Status.FAILED  # failed already, saying why
    except DomainError as exc:
        _fail(import_id, exc.message)
        return Import.Status.FAILED
    except Exception:
        _fail(import_id, _("The import stopped on an unexpected error; nothing was imported."))
        raise
    finally:
        cache.delete(key)
    _retrying(lambda: Import.objects.filter(pk=import_id).update(phase="", progress_done=total))
    return Import.Status.COMMITTED


class NotAllowedToRun(DomainError):
    field = "file"


def _fail(import_id: int, message: str) -> None:
    _retrying(
        lambda: Import.objects.filter(pk=import_id).update(
            status=Import.Status.FAILED, error=message, phase="", finished_at=timezone.now()
        )
    )


class ImportGivenUp(DomainError):
    """A running import was taken for stalled and failed meanwhile: its worker stops."""

    field = "file"


def _stalled_message() -> str:
    from django.conf import settings

    return _(
        "The import stopped without finishing: nothing has moved on for more than %(minutes)d "
        "minutes (its background worker stopped). Nothing was imported; upload the file again."
    ) % {"minutes": settings.STALLED_TASK_MINUTES}


def _last_progress(import_: Import) -> datetime | None:
    """When a running import last reported: the write phase's report in the cache, else the
    check phase's on the row (else when it was made)."""
    cached = _progress_cache().get(progress_key(import_.pk))
    if cached and len(cached) > 3:
        return datetime.fromisoformat(cached[3])
    return import_.progressed_at or import_.created_at


def fail_if_stalled(import_: Import, *, now: datetime | None = None) -> Import:
    """An import `running` without progress for STALLED_TASK_MINUTES has lost its worker (the
    process died): it ends `failed`, saying so, and what its batches wrote before the worker
    stopped is taken back. Asked when its page is read; returns the import as it now is."""
    from django.conf import settings

    if import_.status != Import.Status.RUNNING:
        return import_
    now = now or timezone.now()
    last = _last_progress(import_)
    if last is not None and last >= now - timedelta(minutes=settings.STALLED_TASK_MINUTES):
        return import_
    failed = Import.objects.filter(
        pk=import_.pk, status=Import.Status.RUNNING, progressed_at=import_.progressed_at
    ).update(status=Import.Status.FAILED, error=_stalled_message(), phase="", finished_at=now)
    if failed:
        _progress_cache().delete(progress_key(import_.pk))
        # the batches a dead worker wrote before it stopped are taken back: nothing imported
        _retrying(lambda: _take_back(import_))
        _retrying(
            lambda: audit.record(
                actor=None,
                action="indicators.import.stalled",
                target=import_,
                changes={"status": [Import.Status.RUNNING, Import.Status.FAILED]},
            )
        )
    import_.refresh_from_db()
    return import_


@transaction.atomic
def discard_import(actor, import_: Import) -> None:
    """Throw away a draft import and its stored file; nothing else was written."""
    ensure(actor, "indicators.continue_import", import_)
    import_ = Import.objects.select_for_update().get(pk=import_.pk)
    _ensure_draft(import_)
    audit.record(
        actor=actor,
        action="indicators.import.discard",
        target=import_,
        changes={"filename": [import_.filename, None]},
    )
    name = import_.file.name
    storage = import_.file.storage
    import_.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- computed indicators -------------------------------------------------------------------


def _computed_indicator(entry: computed.Computed) -> Indicator:
    """The computed indicator's row, defined from its registration the first time it is
    counted (by the platform: no actor)."""
    indicator = Indicator.objects.select_for_update().filter(code=entry.code).first()
    if indicator is not None:
        return indicator
    values = _clean_definition(
        {**entry.definition, "source": Indicator.Source.COMPUTED, "period_type": "year"}
    )
    values.pop("code", None)
    indicator = Indicator.objects.create(code=entry.code, **values)
    audit.record(
        actor=None,
        action="indicators.indicator.create",
        target=indicator,
        changes=audit.created(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def refresh_computed(code: str, *, years: Iterable[int] | None = None, actor=None) -> Indicator:
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
    existing = Observation.objects.select_for_update().filter(indicator=indicator, district="")
    if years is not None:
        existing = existing.filter(period__in=[str(y) for y in years])
    existing = {(o.period, o.municipality_id): o for o in existing.select_related("municipality")}
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
        observation = existing.get(key)
        if observation is None:
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
        elif observation.value != value or observation.status != status:
            _revision_of(observation, actor=actor, import_=None, now=now).save()
            observation.value, observation.status, observation.updated_at = value, status, now
            observation.entered_by = None
            observation.source_import = None
            observation.save(
                update_fields=["value", "status", "updated_at", "entered_by", "source_import"]
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
