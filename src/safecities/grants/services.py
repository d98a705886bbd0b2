"""Every write to grants: one function per business action, atomic and audited.

The ledger rule: awards never exceed a programme's budget, and scheduled or paid payments never
exceed their award. Both are checked while holding a lock that serialises the writers who could
break them: the programme row (`select_for_update`) for awards, the award row for payments. On
SQLite, where FOR UPDATE does not exist, the settings open every transaction IMMEDIATE, which
takes the database's write lock at BEGIN and so serialises the same writers.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import audit, outbox
from safecities.core.errors import DomainError as DomainError  # importable from here
from safecities.core.errors import InvalidInput
from safecities.core.i18n import clean_translations
from safecities.core.money import Money, validate_currency
from safecities.core.permissions import ensure
from safecities.core.text import unique_slug
from safecities.network.documents import check_pdf
from safecities.network.models import (
    Municipality,
    Organisation,
    Role,
    RoleAssignment,
)

from . import notifications, selectors, states
from .errors import (  # importable from here as before: `services.CallNotOpen`
    AwardOverRequest as AwardOverRequest,
)
from .errors import (
    BudgetExceeded as BudgetExceeded,
)
from .errors import (
    BudgetLinesMismatch as BudgetLinesMismatch,
)
from .errors import (
    CallNotOpen as CallNotOpen,
)
from .errors import (
    Ineligible as Ineligible,
)
from .errors import (
    NotEditable as NotEditable,
)
from .errors import (
    PartnershipRequired as PartnershipRequired,
)
from .errors import (
    PaymentOverAward as PaymentOverAward,
)
from .errors import (
    RequestOutOfRange as RequestOutOfRange,
)
from .errors import (
    ReviewerConflict as ReviewerConflict,
)
from .errors import (
    WrongCurrency as WrongCurrency,
)
from .models import (
    Answer,
    Application,
    ApplicationVersion,
    Award,
    BudgetLine,
    Call,
    Criterion,
    GrantReport,
    Partner,
    Payment,
    Programme,
    Question,
    Review,
    Score,
    Stage,
)

log = logging.getLogger(__name__)


PROGRAMME_FIELDS = ["funder", "name", "currency", "budget_minor", "starts_on", "ends_on"]
CALL_FIELDS = [
    "programme",
    "title",
    "opens_at",
    "closes_at",
    "min_amount_minor",
    "max_amount_minor",
    "requires_partnership",
    "stages",
    "concept_closes_at",
    "blind_review",
    "time_zone",
    "status",
]
APPLICATION_FIELDS = [
    "call",
    "lead_municipality",
    "lead_organisation",
    "title",
    "requested_minor",
    "stage",
    "status",
]
EDIT_FIELDS = ["title", "summary", "requested_minor", "starts_on", "ends_on"]


def _now() -> datetime:
    return timezone.now()


def _money(value, currency: str, field: str) -> Money:
    """`value` as Money in `currency`, refusing another currency or a non-Money."""
    if not isinstance(value, Money):
        raise InvalidInput(_("Give the amount with its currency."), field=field)
    if value.currency != currency:
        raise WrongCurrency(
            _("Give the amount in %(currency)s, not %(other)s.")
            % {"currency": currency, "other": value.currency},
            field=field,
        )
    return value


# --- programmes and calls ----------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    actor,
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


@transaction.atomic
def create_call(
    *,
    actor,
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
) -> Call:
    """A call for applications, in draft until opened."""
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
    )
    call.save()
    call.goals.set(goals)
    changes = audit.created(call, CALL_FIELDS)
    changes["goals"] = [None, sorted(g.code for g in call.goals.all())]
    audit.record(actor=actor, action="grants.call.create", target=call, changes=changes)
    return call


def _fill_call(
    call: Call,
    *,
    title,
    text,
    eligibility,
    opens_at,
    closes_at,
    min_amount,
    max_amount,
    requires_partnership,
    stages,
    concept_closes_at,
    blind_review,
    time_zone,
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


def call_terms_locked(call: Call) -> str | None:
    """Why the call's terms, criteria and questions can no longer change, or None (a draft)."""
    if call.status == Call.Status.DRAFT:
        return None
    return _("The call is %(status)s: its terms can only change while it is a draft.") % {
        "status": call.get_status_display().lower()
    }


def _draft_call(actor, call: Call) -> Call:
    ensure(actor, "grants.manage_programme", call)
    call = Call.objects.select_for_update().select_related("programme").get(pk=call.pk)
    locked = call_terms_locked(call)
    if locked:
        raise NotEditable(locked, field="status")
    return call


@transaction.atomic
def update_call(*, actor, call: Call, goals: Iterable[Goal] | None = None, **fields) -> Call:
    """Change a draft call's terms; `fields` as for `create_call`, all of them."""
    call = _draft_call(actor, call)
    before = audit.snapshot(call, CALL_FIELDS)
    before_goals = sorted(g.code for g in call.goals.all())
    _fill_call(call, **fields)
    call.save()
    changes = audit.changes_between(before, audit.snapshot(call, CALL_FIELDS))
    if goals is not None:
        call.goals.set(goals)
        after_goals = sorted(g.code for g in call.goals.all())
        if after_goals != before_goals:
            changes["goals"] = [before_goals, after_goals]
    audit.record(actor=actor, action="grants.call.update", target=call, changes=changes)
    return call


def _clean_translated_rows(rows, *, field: str, noun: str) -> list[dict]:
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
def set_criteria(*, actor, call: Call, criteria: Iterable[Mapping]) -> list[Criterion]:
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
def set_questions(*, actor, call: Call, questions: Iterable[Mapping]) -> list[Question]:
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


def _move_call(*, actor, call: Call, new: str, action: str) -> Call:
    ensure(actor, "grants.manage_programme", call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    old = call.status
    states.CALL.move(call, new)
    call.save(update_fields=["status"])
    audit.record(actor=actor, action=action, target=call, changes={"status": [old, call.status]})
    return call


@transaction.atomic
def open_call(*, actor, call: Call) -> Call:
    return _move_call(actor=actor, call=call, new=Call.Status.OPEN, action="grants.call.open")


@transaction.atomic
def close_call(*, actor, call: Call) -> Call:
    return _move_call(actor=actor, call=call, new=Call.Status.CLOSED, action="grants.call.close")


# --- applications -----------------------------------------------------------------------


def _partner_rows(partners: Iterable[tuple[Municipality | Organisation, str]]) -> list[Partner]:
    rows, seen = [], set()
    for party, role in partners:
        if isinstance(party, Municipality):
            row = Partner(municipality=party, role=(role or "").strip())
        elif isinstance(party, Organisation):
            row = Partner(organisation=party, role=(role or "").strip())
        else:
            raise InvalidInput(
                _("A partner is a municipality or an organisation."), field="partners"
            )
        key = (type(party), party.pk)
        if key in seen:
            raise InvalidInput(
                _("%(partner)s is listed twice.") % {"partner": party}, field="partners"
            )
        seen.add(key)
        rows.append(row)
    return rows


def _budget_rows(budget_lines: Iterable[tuple[str, Money]], currency: str) -> list[BudgetLine]:
    rows = []
    for position, (label, amount) in enumerate(budget_lines):
        amount = _money(amount, currency, "budget_lines")
        if not (label or "").strip() or amount.minor_units <= 0:
            raise InvalidInput(
                _("Budget line %(n)s needs an item and an amount above zero.")
                % {"n": position + 1},
                field="budget_lines",
            )
        rows.append(
            BudgetLine(position=position, label=label.strip(), amount_minor=amount.minor_units)
        )
    return rows


def _check_goals(call: Call, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(goals)
    in_scope = {g.pk for g in call.goals.all()}
    outside = [g for g in goals if in_scope and g.pk not in in_scope]
    if outside:
        raise InvalidInput(
            _("This call funds work on its own charter goals; %(goal)s is not one of them.")
            % {"goal": outside[0]},
            field="goals",
        )
    return goals


def _check_target_groups(terms: Iterable[Term]) -> list[Term]:
    terms = list(terms)
    for term in terms:
        if term.vocabulary != Vocabulary.TARGET_GROUP:
            raise InvalidInput(
                _("%(term)s is not a target group.") % {"term": term}, field="target_groups"
            )
    return terms


def _answer_value(question: Question, value) -> str:
    """The answer as stored text, or InvalidInput naming the question."""
    field = f"answer_{question.pk}"
    label = question.display_label
    if value is None:
        return ""
    if question.kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > 10_000:
            raise InvalidInput(
                _("“%(question)s”: keep the answer under 10,000 characters.") % {"question": label},
                field=field,
            )
        return text
    text = str(value).strip()
    if not text:
        return ""
    if question.kind == Question.Kind.NUMBER:
        try:
            number = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise InvalidInput(
                _("“%(question)s”: give a number.") % {"question": label}, field=field
            )
        return str(number)
    if question.kind == Question.Kind.DATE:
        day = value if isinstance(value, date) else parse_date(text) if len(text) == 10 else None
        if day is None:
            raise InvalidInput(
                _("“%(question)s”: give a date as YYYY-MM-DD.") % {"question": label},
                field=field,
            )
        return day.isoformat()
    if question.kind == Question.Kind.CHOICE:
        if text not in {c["value"] for c in question.choices}:
            raise InvalidInput(
                _("“%(question)s”: choose one of the choices given.") % {"question": label},
                field=field,
            )
        return text
    raise InvalidInput(_("“%(question)s” asks for a file.") % {"question": label}, field=field)


def _editable(actor, application: Application) -> Application:
    ensure(actor, "grants.apply", application)
    application = _locked(application)
    if not application.editable:
        raise NotEditable(
            _("The application is %(status)s and can no longer be changed.")
            % {"status": application.get_status_display().lower()},
            field="status",
        )
    return application


@transaction.atomic
def create_application(
    *,
    actor,
    call: Call,
    title: str,
    requested: Money | None = None,
    budget_lines: Iterable[tuple[str, Money]] = (),
    summary: str = "",
    lead_municipality: Municipality | None = None,
    lead_organisation: Organisation | None = None,
    partners: Iterable[tuple[Municipality | Organisation, str]] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Application:
    """A draft application led by one municipality or one organisation, while the call is open.

    In a two-stage call it starts as a concept note.
    """
    if (lead_municipality is None) == (lead_organisation is None):
        raise InvalidInput(
            _("Name one lead applicant: a municipality or an organisation."),
            field="lead_municipality" if lead_organisation is None else "lead_organisation",
        )
    call = Call.objects.select_related("programme").get(pk=call.pk)
    stage = Stage.CONCEPT if call.two_stage else Stage.FULL
    application = Application(
        call=call,
        stage=stage,
        lead_municipality=lead_municipality,
        lead_organisation=lead_organisation,
        created_by=actor,
    )
    ensure(actor, "grants.apply", application, field="lead")
    _check_open(call, stage)
    if not (title or "").strip():
        raise InvalidInput(_("Give the project a title."), field="title")
    currency = call.programme.currency
    requested = _money(requested or Money.zero(currency), currency, "requested")
    if requested.minor_units < 0:
        raise InvalidInput(_("The amount requested cannot be negative."), field="requested")
    lines = _budget_rows(budget_lines, currency)
    partner_rows = _partner_rows(partners)
    application.title = title.strip()
    application.summary = (summary or "").strip()
    application.requested_minor = requested.minor_units
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(_("The project must end on or after its start."), field="ends_on")
    application.starts_on, application.ends_on = starts_on, ends_on
    application.save()
    for row in [*lines, *partner_rows]:
        row.application = application
    BudgetLine.objects.bulk_create(lines)
    Partner.objects.bulk_create(partner_rows)
    changes = audit.created(application, APPLICATION_FIELDS)
    changes["budget_lines"] = [None, [f"{line.label}: {line.amount_minor}" for line in lines]]
    changes["partners"] = [None, [str(p.party) for p in partner_rows]]
    audit.record(
        actor=actor, action="grants.application.create", target=application, changes=changes
    )
    return application


_UNCHANGED = object()


@transaction.atomic
def update_application(
    *,
    actor,
    application: Application,
    title=_UNCHANGED,
    summary=_UNCHANGED,
    requested=_UNCHANGED,
    budget_lines=_UNCHANGED,
    partners=_UNCHANGED,
    goals=_UNCHANGED,
    target_groups=_UNCHANGED,
    starts_on=_UNCHANGED,
    ends_on=_UNCHANGED,
    answers: Mapping | None = None,
    files: Mapping | None = None,
) -> Application:
    """Save a draft (or an invited full proposal) as it is written: incomplete is fine.

    Each argument left out stays as it was. `answers` maps question ids to values; `files`
    maps question ids to uploaded PDFs. Completeness is checked on submission, not here;
    a value that can never be right (a word for a number, a file that is no PDF) is refused.
    """
    application = _editable(actor, application)
    call = application.call
    currency = call.programme.currency
    before = audit.snapshot(application, EDIT_FIELDS)
    changes: dict[str, list] = {}
    if title is not _UNCHANGED:
        if not (title or "").strip():
            raise InvalidInput(_("Give the project a title."), field="title")
        application.title = title.strip()
    if summary is not _UNCHANGED:
        application.summary = (summary or "").strip()
    if requested is not _UNCHANGED:
        requested = _money(requested or Money.zero(currency), currency, "requested")
        if requested.minor_units < 0:
            raise InvalidInput(_("The amount requested cannot be negative."), field="requested")
        application.requested_minor = requested.minor_units
    if starts_on is not _UNCHANGED:
        application.starts_on = starts_on
    if ends_on is not _UNCHANGED:
        application.ends_on = ends_on
    if (
        application.starts_on
        and application.ends_on
        and application.ends_on < application.starts_on
    ):
        raise InvalidInput(_("The project must end on or after its start."), field="ends_on")
    lines = None if budget_lines is _UNCHANGED else _budget_rows(budget_lines, currency)
    partner_rows = None if partners is _UNCHANGED else _partner_rows(partners)
    goal_list = None if goals is _UNCHANGED else _check_goals(call, goals)
    term_list = None if target_groups is _UNCHANGED else _check_target_groups(target_groups)
    answer_rows = _answer_changes(application, answers or {}, files or {})
    application.save()
    changes.update(audit.changes_between(before, audit.snapshot(application, EDIT_FIELDS)))
    if lines is not None:
        old = [f"{b.label}: {b.amount_minor}" for b in application.budget_lines.all()]
        application.budget_lines.all().delete()
        for line in lines:
            line.application = application
        BudgetLine.objects.bulk_create(lines)
        new = [f"{b.label}: {b.amount_minor}" for b in lines]
        if old != new:
            changes["budget_lines"] = [old, new]
    if partner_rows is not None:
        old = [f"{p.party} ({p.role})" for p in application.partners.all()]
        application.partners.all().delete()
        for row in partner_rows:
            row.application = application
        Partner.objects.bulk_create(partner_rows)
        new = [f"{p.party} ({p.role})" for p in partner_rows]
        if old != new:
            changes["partners"] = [old, new]
    for name, values, manager in (
        ("goals", goal_list, application.goals),
        ("target_groups", term_list, application.target_groups),
    ):
        if values is None:
            continue
        old = sorted(str(v.pk) for v in manager.all())
        manager.set(values)
        new = sorted(str(v.pk) for v in values)
        if old != new:
            changes[name] = [old, new]
    for answer, old_text, new_text in answer_rows:
        upload = getattr(answer, "pending_upload", None)
        if upload is not None:
            if answer.file:
                answer.file.delete(save=False)
            answer.file.save(upload.name, upload, save=False)
        answer.save()
        changes[f"answer_{answer.question_id}"] = [old_text, new_text]
    if changes:
        audit.record(
            actor=actor, action="grants.application.update", target=application, changes=changes
        )
    return application


def _answer_changes(application: Application, answers: Mapping, files: Mapping) -> list:
    """(answer row, old, new) for each changed answer, checked but not saved."""
    if not answers and not files:
        return []
    questions = {q.pk: q for q in application.call.questions.all()}
    existing = {a.question_id: a for a in application.answers.all()}
    rows = []
    for key in [*answers, *files]:
        try:
            question = questions[int(key)]
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                _("The call has no question %(key)s.") % {"key": key}, field="answers"
            ) from exc
        answer = existing.get(question.pk) or Answer(application=application, question=question)
        old = answer.value or answer.filename
        if key in files and files[key] is not None:
            upload = files[key]
            if question.kind != Question.Kind.FILE:
                raise InvalidInput(
                    _("“%(question)s” does not ask for a file.")
                    % {"question": question.display_label},
                    field=f"answer_{question.pk}",
                )
            check_pdf(upload, field=f"answer_{question.pk}")
            answer.pending_upload = upload
            new = upload.name
        elif key in answers:
            if question.kind == Question.Kind.FILE:
                continue  # a file answer is only ever replaced by another file
            answer.value = _answer_value(question, answers[key])
            new = answer.value
        else:
            continue
        if old != new:
            rows.append((answer, old, new))
    return rows


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme")
        .get(pk=application.pk)
    )


def _check_open(call: Call, stage: str) -> None:
    """Refuse unless the call takes submissions at `stage` now (`Call.accepts`), by the server's
    clock, naming the deadline when that is what passed."""
    if call.accepts(stage):
        return
    if call.past_deadline(stage):
        deadline = call.deadline(stage)
        raise CallNotOpen(
            _("The deadline, %(deadline)s, has passed.")
            % {
                "deadline": timezone.localtime(deadline, ZoneInfo(call.time_zone)).strftime(
                    "%Y-%m-%d %H:%M %Z"
                )
            },
            field="call",
        )
    raise CallNotOpen(_("The call is not open for applications."), field="call")


def _check_complete(application: Application) -> None:
    """Refuse with the first of the submission checklist's problems, naming its field."""
    problems = selectors.submission_problems(application)
    if problems:
        raise problems[0].refusal()


@transaction.atomic
def submit_application(*, actor, application: Application) -> Application:
    """Submit a draft (or an invited full proposal) before its deadline, by the server's clock.

    The content as submitted is kept as a numbered version.
    """
    ensure(actor, "grants.apply", application)
    application = _locked(application)
    old = application.status
    states.APPLICATION.move(application, Application.Status.SUBMITTED)
    _check_open(application.call, application.stage)
    _check_complete(application)
    now = _now()
    application.submitted_at = now
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    number = application.versions.count() + 1
    ApplicationVersion.objects.create(
        application=application,
        number=number,
        stage=application.stage,
        submitted_at=now,
        submitted_by=actor,
        data=selectors.application_content(application),
    )
    audit.record(
        actor=actor,
        action="grants.application.submit",
        target=application,
        changes={"status": [old, application.status], "version": [None, number]},
    )
    outbox.owe("grants.application_submitted", application.pk)
    return application


@transaction.atomic
def invite_full_proposal(*, actor, application: Application) -> Application:
    """Accept a concept note: the applicants now write the full proposal."""
    ensure(actor, "grants.decide", application)
    application = _locked(application)
    if application.stage != Stage.CONCEPT:
        raise InvalidInput(
            _("Only a concept note can be invited to a full proposal."), field="stage"
        )
    states.APPLICATION.move(application, Application.Status.INVITED)
    application.stage = Stage.FULL
    application.save(update_fields=["status", "stage", "updated_at"])
    audit.record(
        actor=actor,
        action="grants.application.invite",
        target=application,
        changes={
            "status": [Application.Status.SUBMITTED, application.status],
            "stage": [Stage.CONCEPT, Stage.FULL],
        },
    )
    outbox.owe("grants.application_decided", application.pk)
    return application


@transaction.atomic
def withdraw_application(*, actor, application: Application) -> Application:
    ensure(actor, "grants.apply", application)
    application = _locked(application)
    old = application.status
    states.APPLICATION.move(application, Application.Status.WITHDRAWN)
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="grants.application.withdraw",
        target=application,
        changes={"status": [old, application.status]},
    )
    return application


# --- reviews ----------------------------------------------------------------------------


def _conflict(reviewer, application: Application) -> str | None:
    """The applicant or partner the reviewer belongs to, if any."""
    municipality_ids, organisation_ids = selectors.affiliations(reviewer)
    parties = [application.lead_municipality or application.lead_organisation] + [
        p.party for p in application.partners.all()
    ]
    for party in parties:
        if isinstance(party, Municipality) and party.pk in municipality_ids:
            return str(party)
        if isinstance(party, Organisation) and party.pk in organisation_ids:
            return str(party)
    return None


@transaction.atomic
def assign_reviewer(*, actor, application: Application, reviewer) -> Review:
    """Assign a reviewer, unless they belong to the applicant or a partner."""
    ensure(actor, "grants.assign_reviewers", application)
    application = _locked(application)
    if application.status != Application.Status.SUBMITTED:
        raise InvalidInput(_("Only submitted applications are reviewed."), field="status")
    if not RoleAssignment.objects.filter(user=reviewer, role=Role.REVIEWER).exists():
        raise InvalidInput(
            _("%(person)s is not a reviewer.") % {"person": reviewer}, field="reviewer"
        )
    party = _conflict(reviewer, application)
    if party:
        raise ReviewerConflict(
            _("%(person)s belongs to %(party)s, which takes part in this application.")
            % {"person": reviewer, "party": party},
            field="reviewer",
        )
    if Review.objects.filter(application=application, reviewer=reviewer).exists():
        raise InvalidInput(
            _("%(person)s is already assigned.") % {"person": reviewer}, field="reviewer"
        )
    review = Review.objects.create(
        application=application, reviewer=reviewer, assigned_by=actor, assigned_at=_now()
    )
    audit.record(
        actor=actor,
        action="grants.review.assign",
        target=review,
        changes={"reviewer": [None, reviewer.email]},
    )
    outbox.owe("grants.reviewer_assigned", review.pk)
    return review


def _locked_review(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=review.pk)
    )


@transaction.atomic
def unassign_reviewer(*, actor, review: Review) -> None:
    """Take an assignment back before the review is submitted."""
    ensure(actor, "grants.assign_reviewers", review.application)
    review = _locked_review(review)
    if review.status == Review.Status.SUBMITTED:
        raise InvalidInput(_("A submitted review stays on record."), field="status")
    audit.record(
        actor=actor,
        action="grants.review.unassign",
        target=review.application,
        changes={"reviewer": [review.reviewer.email, None]},
    )
    review.delete()


@transaction.atomic
def declare_conflict(*, actor, review: Review, reason: str) -> Review:
    """The reviewer declares a conflict of interest and steps aside."""
    ensure(actor, "grants.review", review)
    if not (reason or "").strip():
        raise InvalidInput(_("Say what the conflict is."), field="conflict_reason")
    review = _locked_review(review)
    states.REVIEW.move(review, Review.Status.CONFLICT)
    review.conflict_reason = reason.strip()
    review.save(update_fields=["status", "conflict_reason"])
    audit.record(
        actor=actor,
        action="grants.review.conflict",
        target=review,
        changes={"status": [Review.Status.ASSIGNED, review.status]},
    )
    return review


@transaction.atomic
def save_review(
    *,
    actor,
    review: Review,
    scores: Mapping[int, int | None],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save a reviewer's scores (0–5 per criterion) and, with `submit`, hand the review in."""
    ensure(actor, "grants.review", review)
    review = _locked_review(review)
    if review.status != Review.Status.ASSIGNED:
        raise NotEditable(
            _("The review is %(status)s and can no longer be changed.")
            % {"status": review.get_status_display().lower()},
            field="status",
        )
    criteria = {c.pk: c for c in review.application.call.criteria.all()}
    cleaned: dict[int, int] = {}
    for key, value in scores.items():
        criterion = criteria.get(int(key))
        if criterion is None:
            raise InvalidInput(
                _("The call has no criterion %(key)s.") % {"key": key}, field="scores"
            )
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= Score.MAX:
            raise InvalidInput(
                _("“%(criterion)s”: give a score from 0 to 5.")
                % {"criterion": criterion.display_name},
                field=f"score_{criterion.pk}",
            )
        cleaned[criterion.pk] = number
    if recommendation and recommendation not in Review.Recommendation.values:
        raise InvalidInput(_("Choose a recommendation."), field="recommendation")
    if submit:
        for criterion in criteria.values():
            if criterion.pk not in cleaned:
                raise InvalidInput(
                    _("Score “%(criterion)s” before submitting.")
                    % {"criterion": criterion.display_name},
                    field=f"score_{criterion.pk}",
                )
        if not recommendation:
            raise InvalidInput(_("Choose a recommendation."), field="recommendation")
    review.scores.all().delete()
    Score.objects.bulk_create(
        [Score(review=review, criterion_id=pk, value=value) for pk, value in cleaned.items()]
    )
    review.recommendation = recommendation
    review.comment = (comment or "").strip()
    fields = ["recommendation", "comment"]
    if submit:
        states.REVIEW.move(review, Review.Status.SUBMITTED)
        review.submitted_at = _now()
        fields += ["status", "submitted_at"]
    review.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="grants.review.submit" if submit else "grants.review.save",
        target=review,
        changes={
            "scores": [None, {str(k): v for k, v in sorted(cleaned.items())}],
            "recommendation": [None, recommendation],
            **({"status": [Review.Status.ASSIGNED, review.status]} if submit else {}),
        },
    )
    return review


# --- decisions --------------------------------------------------------------------------


def _default_reports(application: Application, decided: datetime) -> list[tuple[str, date]]:
    """A final report two months after the project ends (a year after the decision if no end)."""
    end = application.ends_on or (timezone.localdate(decided) + timedelta(days=365))
    return [(GrantReport.Kind.FINAL, end + timedelta(days=60))]


@transaction.atomic
def award_grant(
    *,
    application: Application,
    amount: Money,
    conditions: str = "",
    actor,
    reports: Iterable[tuple[str, date]] | None = None,
) -> Award:
    """Award a submitted full proposal; the programme's awards never exceed its budget.

    `reports`: (kind, due date) of each report the grantee owes; by default one final report.
    """
    ensure(actor, "grants.decide", application)
    programme = Programme.objects.select_for_update().get(pk=application.call.programme_id)
    application = _locked(application)
    if application.stage != Stage.FULL:
        raise InvalidInput(
            _("This is a concept note: invite a full proposal before awarding."), field="stage"
        )
    states.APPLICATION.move(application, Application.Status.AWARDED)
    amount = _money(amount, programme.currency, "amount")
    if amount.minor_units <= 0:
        raise InvalidInput(_("The award must be more than zero."), field="amount")
    if amount > application.requested:
        raise AwardOverRequest(
            _("The award %(amount)s is more than the %(requested)s asked for.")
            % {"amount": amount, "requested": application.requested},
            field="amount",
        )
    remaining = programme.budget - Money.from_minor(
        selectors.awarded_minor(programme), programme.currency
    )
    if amount > remaining:
        raise BudgetExceeded(
            _("The award %(amount)s is more than the %(remaining)s left in %(programme)s.")
            % {"amount": amount, "remaining": remaining, "programme": programme},
            field="amount",
        )
    now = _now()
    report_rows = []
    kinds_seen = set()
    for kind, due_on in reports if reports is not None else _default_reports(application, now):
        if kind not in GrantReport.Kind.values or due_on is None:
            raise InvalidInput(_("Give each report a kind and a due date."), field="reports")
        if kind == GrantReport.Kind.FINAL and kind in kinds_seen:
            raise InvalidInput(_("A grant has one final report."), field="reports")
        kinds_seen.add(kind)
        report_rows.append(GrantReport(kind=kind, due_on=due_on))
    if GrantReport.Kind.FINAL not in kinds_seen:
        raise InvalidInput(_("Set a due date for the final report."), field="reports")
    award = Award.objects.create(
        application=application,
        amount_minor=amount.minor_units,
        conditions=(conditions or "").strip(),
        decided_by=actor,
        decided_at=now,
    )
    for row in report_rows:
        row.award = award
    GrantReport.objects.bulk_create(report_rows)
    application.decided_by = actor
    application.decided_at = now
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        actor=actor,
        action="grants.award",
        target=award,
        changes={
            "amount": [None, str(amount)],
            "conditions": [None, award.conditions],
            "application": [Application.Status.SUBMITTED, application.status],
            "reports": [None, [f"{r.kind}: {r.due_on.isoformat()}" for r in report_rows]],
        },
    )
    outbox.owe("grants.application_decided", application.pk)
    return award


@transaction.atomic
def decline_application(*, application: Application, reason: str, actor) -> Application:
    """Decline a submitted application (or concept note), giving the applicant the reason."""
    ensure(actor, "grants.decide", application)
    if not (reason or "").strip():
        raise InvalidInput(_("Give the applicant a reason for declining."), field="reason")
    application = _locked(application)
    states.APPLICATION.move(application, Application.Status.DECLINED)
    application.decided_by = actor
    application.decided_at = _now()
    application.decision_reason = reason.strip()
    application.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    audit.record(
        actor=actor,
        action="grants.application.decline",
        target=application,
        changes={
            "status": [Application.Status.SUBMITTED, application.status],
            "decision_reason": [None, application.decision_reason],
        },
    )
    outbox.owe("grants.application_decided", application.pk)
    return application


# --- payments ---------------------------------------------------------------------------


@transaction.atomic
def schedule_payment(
    *, award: Award, amount: Money, due_on: date, actor, label: str = ""
) -> Payment:
    """Schedule a payment; scheduled and paid payments never exceed the award."""
    ensure(actor, "grants.decide", award)
    award = _locked_award(award)
    if award.closed_at:
        raise NotEditable(_("The grant is closed: no more payments."), field="amount")
    amount = _money(amount, award.application.currency, "amount")
    if amount.minor_units <= 0:
        raise InvalidInput(_("A payment must be more than zero."), field="amount")
    if due_on is None:
        raise InvalidInput(_("Give the date the payment is due."), field="due_on")
    committed = Money.from_minor(selectors.committed_payments_minor(award), amount.currency)
    if committed + amount > award.amount:
        raise PaymentOverAward(
            _("Only %(left)s of the award %(award)s is left to pay.")
            % {"left": award.amount - committed, "award": award.amount},
            field="amount",
        )
    payment = Payment.objects.create(
        award=award, amount_minor=amount.minor_units, due_on=due_on, label=(label or "").strip()
    )
    audit.record(
        actor=actor,
        action="grants.payment.schedule",
        target=payment,
        changes={"amount": [None, str(amount)], "due_on": [None, due_on.isoformat()]},
    )
    return payment


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("application__call__programme")
        .get(pk=award.pk)
    )


def _locked_payment(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=payment.pk)
    )


def _move_payment(*, payment: Payment, actor, new: str, date_field: str, day, action: str):
    ensure(actor, "grants.decide", payment.award)
    payment = _locked_payment(payment)
    old = payment.status
    states.PAYMENT.move(payment, new)
    setattr(payment, date_field, day or timezone.localdate())
    payment.save(update_fields=["status", date_field])
    audit.record(
        actor=actor,
        action=action,
        target=payment,
        changes={
            "status": [old, payment.status],
            date_field: [None, getattr(payment, date_field).isoformat()],
        },
    )
    return payment


@transaction.atomic
def mark_paid(*, payment: Payment, actor, paid_on: date | None = None) -> Payment:
    return _move_payment(
        payment=payment,
        actor=actor,
        new=Payment.Status.PAID,
        date_field="paid_on",
        day=paid_on,
        action="grants.payment.paid",
    )


@transaction.atomic
def return_payment(*, payment: Payment, actor, returned_on: date | None = None) -> Payment:
    """The recipient paid the money back: it no longer counts as paid, and may be paid again."""
    return _move_payment(
        payment=payment,
        actor=actor,
        new=Payment.Status.RETURNED,
        date_field="returned_on",
        day=returned_on,
        action="grants.payment.return",
    )


@transaction.atomic
def cancel_payment(*, payment: Payment, actor) -> Payment:
    """Cancel a scheduled payment: its money is again free to schedule, or to release."""
    ensure(actor, "grants.decide", payment.award)
    payment = _locked_payment(payment)
    old = payment.status
    states.PAYMENT.move(payment, Payment.Status.CANCELLED)
    payment.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="grants.payment.cancel",
        target=payment,
        changes={"status": [old, payment.status]},
    )
    return payment


# --- reports from grantees and closing a grant ------------------------------------------


def _clean_links(links: Iterable[Mapping]) -> list[dict]:
    cleaned, check_url = [], URLValidator(schemes=["http", "https"])
    for n, link in enumerate(links, start=1):
        title = str(link.get("title") or "").strip()
        url = str(link.get("url") or "").strip()
        if not title and not url:
            continue
        try:
            check_url(url)
        except ValidationError as exc:
            raise InvalidInput(
                _("Link %(n)s: give a web address starting with https://.") % {"n": n},
                field="links",
            ) from exc
        cleaned.append({"title": title or url, "url": url})
    return cleaned


@transaction.atomic
def submit_report(
    *,
    actor,
    report: GrantReport,
    narrative: str,
    results: str,
    spent: Money,
    links: Iterable[Mapping] = (),
) -> GrantReport:
    """The grantee reports what was done, what came of it and what was spent."""
    ensure(actor, "grants.report", report)
    report = (
        GrantReport.objects.select_for_update(of=("self",))
        .select_related("award__application__call__programme")
        .get(pk=report.pk)
    )
    award = report.award
    states.REPORT.move(report, GrantReport.Status.SUBMITTED)
    if not (narrative or "").strip():
        raise InvalidInput(_("Describe what the project did."), field="narrative")
    spent = _money(spent, award.application.currency, "spent")
    if spent.minor_units < 0:
        raise InvalidInput(_("Money spent cannot be negative."), field="spent")
    if spent > award.amount:
        raise InvalidInput(
            _("Money spent from the grant cannot be more than the award, %(award)s.")
            % {"award": award.amount},
            field="spent",
        )
    report.narrative = narrative.strip()
    report.results = (results or "").strip()
    report.spent_minor = spent.minor_units
    report.links = _clean_links(links)
    report.submitted_at = _now()
    report.submitted_by = actor
    report.save()
    audit.record(
        actor=actor,
        action="grants.report.submit",
        target=report,
        changes={
            "status": [GrantReport.Status.DUE, report.status],
            "spent": [None, str(spent)],
        },
    )
    outbox.owe("grants.report_submitted", report.pk)
    return report


@transaction.atomic
def accept_report(*, actor, report: GrantReport) -> GrantReport:
    ensure(actor, "grants.decide", report)
    report = GrantReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    states.REPORT.move(report, GrantReport.Status.ACCEPTED)
    report.accepted_at = _now()
    report.save(update_fields=["status", "accepted_at"])
    audit.record(
        actor=actor,
        action="grants.report.accept",
        target=report,
        changes={"status": [GrantReport.Status.SUBMITTED, report.status]},
    )
    return report


@transaction.atomic
def close_award(*, actor, award: Award) -> Award:
    """Close a grant after its final report: money not paid out goes back to the programme."""
    ensure(actor, "grants.decide", award)
    Programme.objects.select_for_update().get(pk=award.application.call.programme_id)
    award = _locked_award(award)
    if award.closed_at:
        raise NotEditable(_("The grant is already closed."), field="status")
    if not award.reports.filter(
        kind=GrantReport.Kind.FINAL, status=GrantReport.Status.ACCEPTED
    ).exists():
        raise InvalidInput(_("Accept the final report before closing the grant."), field="reports")
    if award.payments.filter(status=Payment.Status.SCHEDULED).exists():
        raise InvalidInput(
            _("Pay or cancel the scheduled payments before closing the grant."), field="payments"
        )
    paid = selectors.paid_minor(award)
    award.released_minor = award.amount_minor - paid
    award.closed_at = _now()
    award.save(update_fields=["released_minor", "closed_at"])
    audit.record(
        actor=actor,
        action="grants.award.close",
        target=award,
        changes={"released": [None, str(award.released)]},
    )
    return award


@dataclass
class Reminders:
    """What a run of report reminders did: how many went out, and one line per reminder whose
    mail failed (it stays due and goes with the next run)."""

    sent: int = 0
    failed: list[str] = dataclass_field(default_factory=list)


def send_report_reminders(*, actor=None, today: date | None = None) -> Reminders:
    """Remind grantees of reports due within two weeks or overdue, at most once a week each.

    Run daily (`safecities remindreports`). A reminder is marked sent (`reminded_at`, audited)
    only after its mail went out, one report at a time and no transaction held while mailing:
    when the mail server fails, that report stays due for the next run and the others still go.
    """
    today = today or timezone.localdate()
    now = _now()
    done = Reminders()
    for report in selectors.reports_to_remind(today=today, now=now):
        try:
            notifications.report_reminder(report.pk)
        except Exception as exc:  # the mail server or the network: the reminder stays owed
            line = _(
                "Reminder for %(report)s (report %(id)s, due %(due)s) to %(to)s not sent: %(error)s"
            ) % {
                "report": report,
                "id": report.pk,
                "due": report.due_on.isoformat(),
                "to": ", ".join(notifications.addresses(notifications.reminded(report))) or "-",
                "error": outbox.one_line(exc),
            }
            log.debug(line, exc_info=True)  # the command prints the line itself
            done.failed.append(line)
            continue
        _mark_reminded(report.pk, at=now, actor=actor)
        done.sent += 1
    return done


@transaction.atomic
def _mark_reminded(report_id: int, *, at: datetime, actor) -> None:
    report = GrantReport.objects.select_for_update(of=("self",)).get(pk=report_id)
    before = report.reminded_at
    report.reminded_at = at
    report.save(update_fields=["reminded_at"])
    audit.record(
        actor=actor,
        action="grants.report.remind",
        target=report,
        changes={"reminded_at": [before and before.isoformat(), at.isoformat()]},
    )
