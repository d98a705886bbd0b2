"""Programmes and their calls: writing, criteria, questions, opening and closing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.charter.models import Goal
from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.i18n import clean_translations
from safecities.core.money import Money, validate_currency
from safecities.core.permissions import ensure
from safecities.core.states import move_recorded
from safecities.core.text import unique_slug
from safecities.network.models import (
    Country,
    NationalProgramme,
    Organisation,
    OrganisationType,
)

from .. import selectors, states
from ..errors import (
    BudgetExceeded,
    NotEditable,
)
from ..models import (
    Call,
    Criterion,
    Programme,
    ProgrammeLine,
    Question,
    Stage,
)
from ._shared import CALL_FIELDS, PROGRAMME_FIELDS, _money
from .lines import draw_call_on

# --- programmes and calls ----------------------------------------------------------------

if TYPE_CHECKING:
    from safecities.core.models import User


@transaction.atomic
def create_programme(
    *,
    actor: User,
    funder: Organisation,
    name: str,
    budget: Money,
    starts_on: date,
    ends_on: date,
    description: dict | None = None,
) -> Programme:
    """A funder's programme; its currency is the budget's."""
    ensure(actor, "grants.manage_programme", funder, field="funder")
    if not (name or "").strip():
        raise InvalidInput(_("Name the programme."), field="name")
    if not isinstance(budget, Money):
        raise InvalidInput(_("Give the budget with its currency."), field="budget")
    try:
        validate_currency(budget.currency)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="currency") from exc
    if budget.minor_units <= 0:
        raise InvalidInput(_("The budget must be more than zero."), field="budget")
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise InvalidInput(_("The programme must end on or after its start."), field="ends_on")
    programme = Programme.objects.create(
        funder=funder,
        name=name.strip(),
        slug=unique_slug(Programme, name, fallback="programme"),
        currency=budget.currency,
        budget_minor=budget.minor_units,
        starts_on=starts_on,
        ends_on=ends_on,
        description=clean_translations(description, "description", required=False),
    )
    audit.record(
        actor=actor,
        action="grants.programme.create",
        target=programme,
        changes=audit.created(programme, PROGRAMME_FIELDS),
    )
    return programme


PROGRAMME_EDIT_FIELDS = [*PROGRAMME_FIELDS, "description"]


@transaction.atomic
def update_programme(
    *,
    actor: User,
    programme: Programme,
    name: str,
    budget: Money,
    starts_on: date,
    ends_on: date,
    description: dict | None = None,
) -> Programme:
    """Change a programme's name, period, currency, budget and purpose after it is created.

    The budget never drops below what is already awarded, read under the programme's row lock
    that awards take too; the currency changes only while the programme has no call, whose
    amounts are in the programme's currency. The funder does not change."""
    ensure(actor, "grants.manage_programme", programme, field="name")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = audit.snapshot(programme, PROGRAMME_EDIT_FIELDS)
    if not (name or "").strip():
        raise InvalidInput(_("Name the programme."), field="name")
    if not isinstance(budget, Money):
        raise InvalidInput(_("Give the budget with its currency."), field="budget")
    try:
        validate_currency(budget.currency)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="currency") from exc
    if budget.currency != programme.currency and programme.calls.exists():
        raise InvalidInput(
            _(
                "The currency cannot change once the programme has calls: their amounts are "
                "in %(currency)s."
            )
            % {"currency": programme.currency},
            field="currency",
        )
    if budget.minor_units <= 0:
        raise InvalidInput(_("The budget must be more than zero."), field="budget")
    awarded = Money.from_minor(programme.awarded_minor, programme.currency)
    if budget.currency == programme.currency and budget.minor_units < programme.awarded_minor:
        raise BudgetExceeded(
            _("The budget cannot be less than the %(awarded)s already awarded.")
            % {"awarded": awarded},
            field="budget",
        )
    held = programme.budget_minor - selectors.unallocated_minor(programme)
    if budget.currency == programme.currency and budget.minor_units < held:
        raise BudgetExceeded(
            _("The budget cannot be less than the %(held)s its budget lines hold.")
            % {"held": Money.from_minor(held, programme.currency)},
            field="budget",
        )
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise InvalidInput(_("The programme must end on or after its start."), field="ends_on")
    programme.name = name.strip()
    programme.currency = budget.currency
    programme.budget_minor = budget.minor_units
    programme.starts_on, programme.ends_on = starts_on, ends_on
    programme.description = clean_translations(description, "description", required=False)
    programme.save(
        update_fields=["name", "currency", "budget_minor", "starts_on", "ends_on", "description"]
    )
    audit.record(
        actor=actor,
        action="grants.programme.update",
        target=programme,
        changes=audit.changes_between(before, audit.snapshot(programme, PROGRAMME_EDIT_FIELDS)),
    )
    return programme


@transaction.atomic
def create_call(
    *,
    actor: User,
    programme: Programme,
    title: dict,
    opens_at: datetime,
    closes_at: datetime,
    max_amount: Money,
    min_amount: Money | None = None,
    text: dict | None = None,
    goals: Iterable[Goal] = (),
    requires_partnership: bool = False,
    eligibility: dict | None = None,
    stages: int = 1,
    concept_closes_at: datetime | None = None,
    blind_review: bool = False,
    time_zone: str = "Europe/Oslo",
    national_programme: NationalProgramme | None = None,
    countries: Iterable[Country] = (),
    organisation_types: Iterable[str] = (),
    line: ProgrammeLine | None = None,
) -> Call:
    """A call for applications, in draft until opened; `national_programme`, `countries` and
    `organisation_types` limit who may apply (every party, checked at submission); `line` is
    the pot it grants from (`draw_call_on`), None: the whole budget."""
    ensure(actor, "grants.manage_programme", programme, field="programme")
    call = Call(programme=programme)
    _fill_call(
        call,
        title=title,
        text=text,
        eligibility=eligibility,
        opens_at=opens_at,
        closes_at=closes_at,
        min_amount=min_amount,
        max_amount=max_amount,
        requires_partnership=requires_partnership,
        stages=stages,
        concept_closes_at=concept_closes_at,
        blind_review=blind_review,
        time_zone=time_zone,
        national_programme=national_programme,
        organisation_types=organisation_types,
    )
    call.save()
    call.goals.set(goals)
    call.countries.set(countries)
    changes = audit.created(call, CALL_FIELDS)
    changes["goals"] = [None, sorted(g.code for g in call.goals.all())]
    changes["countries"] = [None, sorted(c.code for c in call.countries.all())]
    audit.record(actor=actor, action="grants.call.create", target=call, changes=changes)
    if line is not None:
        call = draw_call_on(actor=actor, call=call, line=line)
    return call


def _fill_call(
    call: Call,
    *,
    title: dict,
    text: dict | None,
    eligibility: dict | None,
    opens_at: datetime,
    closes_at: datetime,
    min_amount: Money | None,
    max_amount: Money,
    requires_partnership: bool,
    stages: int,
    concept_closes_at: datetime | None,
    blind_review: bool,
    time_zone: str,
    national_programme: NationalProgramme | None,
    organisation_types: Iterable[str],
) -> None:
    """Check a call's fields and set them on `call` (not saved)."""
    currency = call.programme.currency
    title = clean_translations(title, "title", required=True)
    for field, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is None or timezone.is_naive(value):
            raise InvalidInput(_("Give a date and time with its time zone."), field=field)
    if closes_at <= opens_at:
        raise InvalidInput(_("The call must close after it opens."), field="closes_at")
    try:
        ZoneInfo(time_zone or "")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(_("Give a time zone such as Europe/Oslo."), field="time_zone") from exc
    if stages not in (1, 2):
        raise InvalidInput(_("A call has one stage or two."), field="stages")
    if stages == 2:
        if concept_closes_at is None or timezone.is_naive(concept_closes_at):
            raise InvalidInput(
                _("A two-stage call needs a deadline for concept notes, with its time zone."),
                field="concept_closes_at",
            )
        if not opens_at < concept_closes_at < closes_at:
            raise InvalidInput(
                _("Concept notes must close after the call opens and before it closes."),
                field="concept_closes_at",
            )
    else:
        concept_closes_at = None
    max_amount = _money(max_amount, currency, "max_amount")
    min_amount = _money(min_amount or Money.zero(currency), currency, "min_amount")
    if min_amount.minor_units < 0:
        raise InvalidInput(_("The smallest grant cannot be negative."), field="min_amount")
    if max_amount.minor_units <= 0 or max_amount < min_amount:
        raise InvalidInput(
            _("The largest grant must be more than zero and at least the smallest."),
            field="max_amount",
        )
    call.title = title
    call.text = clean_translations(text, "text", required=False)
    call.eligibility = clean_translations(eligibility, "eligibility", required=False)
    call.opens_at = opens_at
    call.closes_at = closes_at
    call.min_amount_minor = min_amount.minor_units
    call.max_amount_minor = max_amount.minor_units
    call.requires_partnership = bool(requires_partnership)
    call.stages = stages
    call.concept_closes_at = concept_closes_at
    call.blind_review = bool(blind_review)
    call.time_zone = time_zone
    call.national_programme = national_programme
    call.organisation_types = _organisation_types(organisation_types)


def _organisation_types(types: Iterable[str]) -> list[str]:
    """The organisation types a call is open to, each once, in the order of their choices."""
    types = set(types or ())
    unknown = types - set(OrganisationType.values)
    if unknown:
        raise InvalidInput(
            _("Choose organisation types from the list; unknown: %(types)s.")
            % {"types": ", ".join(sorted(unknown))},
            field="organisation_types",
        )
    return [t for t in OrganisationType.values if t in types]


def call_terms_locked(call: Call) -> str | None:
    """Why the call's terms, criteria and questions can no longer change, or None (a draft)."""
    if call.is_draft:
        return None
    return _("The call is %(status)s: its terms can only change while it is a draft.") % {
        "status": call.get_status_display().lower()
    }


# `update_call` leaves the call's budget line as it is unless it is given one (or None).
KEEP_LINE = object()


def _draft_call(actor: User, call: Call) -> Call:
    ensure(actor, "grants.manage_programme", call)
    call = Call.objects.select_for_update().select_related("programme").get(pk=call.pk)
    locked = call_terms_locked(call)
    if locked:
        raise NotEditable(locked, field="status")
    return call


@transaction.atomic
def update_call(
    *,
    actor: User,
    call: Call,
    title: dict,
    text: dict | None,
    eligibility: dict | None,
    opens_at: datetime,
    closes_at: datetime,
    min_amount: Money | None,
    max_amount: Money,
    requires_partnership: bool,
    stages: int,
    concept_closes_at: datetime | None,
    blind_review: bool,
    time_zone: str,
    goals: Iterable[Goal] | None = None,
    national_programme: NationalProgramme | None = None,
    countries: Iterable[Country] = (),
    organisation_types: Iterable[str] = (),
    line: ProgrammeLine | None | object = KEEP_LINE,
) -> Call:
    """Change a draft call's terms, all of them, as `create_call` takes them; its pot too when
    `line` is given (`draw_call_on`)."""
    call = _draft_call(actor, call)
    before = audit.snapshot(call, CALL_FIELDS)
    before_goals = sorted(g.code for g in call.goals.all())
    before_countries = sorted(c.code for c in call.countries.all())
    _fill_call(
        call,
        title=title,
        text=text,
        eligibility=eligibility,
        opens_at=opens_at,
        closes_at=closes_at,
        min_amount=min_amount,
        max_amount=max_amount,
        requires_partnership=requires_partnership,
        stages=stages,
        concept_closes_at=concept_closes_at,
        blind_review=blind_review,
        time_zone=time_zone,
        national_programme=national_programme,
        organisation_types=organisation_types,
    )
    call.save()
    changes = audit.changes_between(before, audit.snapshot(call, CALL_FIELDS))
    call.countries.set(countries)
    after_countries = sorted(c.code for c in call.countries.all())
    if after_countries != before_countries:
        changes["countries"] = [before_countries, after_countries]
    if goals is not None:
        call.goals.set(goals)
        after_goals = sorted(g.code for g in call.goals.all())
        if after_goals != before_goals:
            changes["goals"] = [before_goals, after_goals]
    audit.record(actor=actor, action="grants.call.update", target=call, changes=changes)
    if line is not KEEP_LINE and getattr(line, "pk", None) != call.line_id:
        call = draw_call_on(actor=actor, call=call, line=line)  # type: ignore[arg-type]
    return call


def _clean_translated_rows(rows: Iterable[Mapping], *, field: str, noun: str) -> list[dict]:
    cleaned = []
    for n, row in enumerate(rows, start=1):
        name = clean_translations(row.get("name") or row.get("label"), field, required=False)
        if not name.get("en"):
            raise InvalidInput(
                _("%(noun)s %(n)s needs a text in English at least.") % {"noun": noun, "n": n},
                field=field,
            )
        cleaned.append({**row, "_text": name})
    return cleaned


@transaction.atomic
def set_criteria(*, actor: User, call: Call, criteria: Iterable[Mapping]) -> list[Criterion]:
    """Replace a draft call's scoring criteria: each {name: {lang: text}, description, weight}."""
    call = _draft_call(actor, call)
    rows = []
    for n, row in enumerate(
        _clean_translated_rows(criteria, field="criteria", noun=_("Criterion")), start=1
    ):
        weight = row.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
            raise InvalidInput(
                _("Criterion %(n)s: give a whole-number weight from 1 to 100.") % {"n": n},
                field="criteria",
            )
        rows.append(
            Criterion(
                call=call,
                position=n,
                name=row["_text"],
                description=clean_translations(row.get("description"), "criteria", required=False),
                weight=weight,
            )
        )
    before = [f"{c.display_name} ×{c.weight}" for c in call.criteria.all()]
    call.criteria.all().delete()
    created = Criterion.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="grants.call.criteria",
        target=call,
        changes={"criteria": [before, [f"{c.name['en']} ×{c.weight}" for c in rows]]},
    )
    return created


@transaction.atomic
def set_questions(*, actor: User, call: Call, questions: Iterable[Mapping]) -> list[Question]:
    """Replace a draft call's questions: each {kind, label, help_text, choices, required, stage}.

    `choices` (choice questions only) is a list of {value, label: {lang: text}}.
    """
    call = _draft_call(actor, call)
    rows = []
    for n, row in enumerate(
        _clean_translated_rows(questions, field="questions", noun=_("Question")), start=1
    ):
        kind = row.get("kind")
        if kind not in Question.Kind.values:
            raise InvalidInput(
                _("Question %(n)s: choose a kind of answer.") % {"n": n}, field="questions"
            )
        stage = row.get("stage") or Stage.FULL
        if stage not in Stage.values or (stage == Stage.CONCEPT and call.stages == 1):
            raise InvalidInput(
                _("Question %(n)s: concept-note questions belong to two-stage calls.") % {"n": n},
                field="questions",
            )
        choices = []
        if kind == Question.Kind.CHOICE:
            values = set()
            for choice in row.get("choices") or []:
                value = str(choice.get("value") or "").strip()
                label = clean_translations(choice.get("label"), "questions", required=False)
                if not value or value in values:
                    raise InvalidInput(
                        _("Question %(n)s: each choice needs its own value.") % {"n": n},
                        field="questions",
                    )
                values.add(value)
                choices.append({"value": value, "label": label or {"en": value}})
            if len(choices) < 2:
                raise InvalidInput(
                    _("Question %(n)s: a choice question needs at least two choices.") % {"n": n},
                    field="questions",
                )
        rows.append(
            Question(
                call=call,
                position=n,
                stage=stage,
                kind=kind,
                label=row["_text"],
                help_text=clean_translations(row.get("help_text"), "questions", required=False),
                choices=choices,
                required=bool(row.get("required", True)),
            )
        )
    before = [f"{q.kind}: {q.display_label}" for q in call.questions.all()]
    call.questions.all().delete()
    created = Question.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="grants.call.questions",
        target=call,
        changes={"questions": [before, [f"{q.kind}: {q.label['en']}" for q in rows]]},
    )
    return created


def _move_call(*, actor: User, call: Call, new: str, action: str) -> Call:
    ensure(actor, "grants.manage_programme", call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    move_recorded(call, workflow=states.CALL, to=new, actor=actor, action=action)
    return call


@transaction.atomic
def open_call(*, actor: User, call: Call) -> Call:
    return _move_call(actor=actor, call=call, new=Call.Status.OPEN, action="grants.call.open")


@transaction.atomic
def close_call(*, actor: User, call: Call) -> Call:
    return _move_call(actor=actor, call=call, new=Call.Status.CLOSED, action="grants.call.close")
