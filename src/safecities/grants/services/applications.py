"""Applications: starting, writing, submitting, inviting and withdrawing."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, TypeVar
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.money import Money
from safecities.core.permissions import ensure, has_perm
from safecities.core.states import move_recorded
from safecities.indicators.models import Indicator
from safecities.network.documents import check_pdf
from safecities.network.models import (
    Municipality,
    Organisation,
)

from .. import selectors, states
from ..errors import (
    CallNotOpen,
    NotEditable,
)
from ..models import (
    Answer,
    Application,
    ApplicationVersion,
    BudgetLine,
    Call,
    Partner,
    Question,
    Stage,
)
from ..permissions import may_write_question
from ._shared import APPLICATION_FIELDS, EDIT_FIELDS, _money, _now
from .partners import carry_confirmations
from .sums import refresh_counts_of

if TYPE_CHECKING:
    from safecities.core.models import User

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


def _answer_value(question: Question, value: object) -> str:
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


def _editable(actor: User, application: Application) -> Application:
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
    actor: User,
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
    for line in lines:
        line.application = application
    for partner in partner_rows:
        partner.application = application
    BudgetLine.objects.bulk_create(lines)
    Partner.objects.bulk_create(partner_rows)
    changes = audit.created(application, APPLICATION_FIELDS)
    changes["budget_lines"] = [None, [f"{line.label}: {line.amount_minor}" for line in lines]]
    changes["partners"] = [None, [str(p.party) for p in partner_rows]]
    audit.record(
        actor=actor, action="grants.application.create", target=application, changes=changes
    )
    return application


class _Unchanged(enum.Enum):
    """An argument left out of `update_application`: the value stays as it was."""

    UNCHANGED = 0


_UNCHANGED: Final = _Unchanged.UNCHANGED


_Row = TypeVar("_Row", BudgetLine, Partner)


def _line_text(line: BudgetLine) -> str:
    return f"{line.label}: {line.amount_minor}"


def _partner_text(partner: Partner) -> str:
    return f"{partner.party} ({partner.role})"


def _replace_rows(
    application: Application,
    name: str,
    rows: Sequence[_Row],
    model: type[_Row],
    text: Callable[[_Row], str],
    changes: dict[str, list],
) -> None:
    """Replace the application's `name` rows (budget lines or partners) with `rows`, noting
    the change for the audit when there is one."""
    existing = getattr(application, name).all()
    old = [text(row) for row in existing]
    existing.delete()
    for row in rows:
        row.application = application
    model.objects.bulk_create(rows)
    new = [text(row) for row in rows]
    if old != new:
        changes[name] = [old, new]


@transaction.atomic
def update_application(
    *,
    actor: User,
    application: Application,
    title: str | _Unchanged = _UNCHANGED,
    summary: str | _Unchanged = _UNCHANGED,
    requested: Money | None | _Unchanged = _UNCHANGED,
    budget_lines: Iterable[tuple[str, Money]] | _Unchanged = _UNCHANGED,
    partners: Iterable[tuple[Municipality | Organisation, str]] | _Unchanged = _UNCHANGED,
    goals: Iterable[Goal] | _Unchanged = _UNCHANGED,
    target_groups: Iterable[Term] | _Unchanged = _UNCHANGED,
    indicators: Iterable[Indicator] | _Unchanged = _UNCHANGED,
    starts_on: date | None | _Unchanged = _UNCHANGED,
    ends_on: date | None | _Unchanged = _UNCHANGED,
    answers: Mapping | None = None,
    files: Mapping | None = None,
) -> Application:
    """Save a draft (or an invited full proposal) as it is written: incomplete is fine.

    Each argument left out stays as it was. `answers` maps question ids to values; `files`
    maps question ids to uploaded PDFs. Completeness is checked on submission, not here;
    a value that can never be right (a word for a number, a file that is no PDF) is refused.
    """
    given = {
        "title": title,
        "summary": summary,
        "requested": requested,
        "budget_lines": budget_lines,
        "partners": partners,
        "goals": goals,
        "target_groups": target_groups,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    if has_perm(actor, "grants.apply", application):
        application = _editable(actor, application)
    else:
        application = _co_written(
            actor,
            application,
            fields=[name for name, value in given.items() if value is not _UNCHANGED],
            keys=[*(answers or {}), *(files or {})],
        )
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
    indicator_list = None if indicators is _UNCHANGED else list(dict.fromkeys(indicators))
    answer_rows = _answer_changes(application, answers or {}, files or {})
    application.save()
    changes.update(audit.changes_between(before, audit.snapshot(application, EDIT_FIELDS)))
    if lines is not None:
        _replace_rows(application, "budget_lines", lines, BudgetLine, _line_text, changes)
    if partner_rows is not None:
        carry_confirmations(application, rows=partner_rows)
        _replace_rows(application, "partners", partner_rows, Partner, _partner_text, changes)
    related: list[tuple[str, Sequence[Goal | Term | Indicator] | None, Any]] = [
        ("goals", goal_list, application.goals),
        ("target_groups", term_list, application.target_groups),
        ("indicators", indicator_list, application.indicators),
    ]
    for name, values, manager in related:
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


def _co_written(actor: User, application: Application, *, fields: list, keys: list) -> Application:
    """A partner's save (co-writing): only the answers to the questions the lead gave it, while
    the application is editable. Anything else is refused, naming it, and nothing is saved."""
    ensure(actor, "grants.write_application", application)
    application = _locked(application)
    if not application.editable:
        raise NotEditable(
            _("The application is %(status)s and can no longer be changed.")
            % {"status": application.get_status_display().lower()},
            field="status",
        )
    if fields:
        raise NotAllowed(
            _(
                "Only the lead applicant changes this; a partner writes the questions the lead gives it."
            ),
            field=fields[0],
        )
    questions = {q.pk: q for q in application.call.questions.all()}
    for key in keys:
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in questions:
            raise InvalidInput(
                _("The call has no question %(key)s.") % {"key": key}, field="answers"
            )
        if not may_write_question(actor, application, pk):
            raise NotAllowed(
                _("“%(question)s”: the lead has not given this question to you to write.")
                % {"question": questions[pk].display_label},
                field=f"answer_{pk}",
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
            answer.pending_upload = upload  # type: ignore[attr-defined]  # saved after the row
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
def submit_application(*, actor: User, application: Application) -> Application:
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
    refresh_counts_of(application.call_id)
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
def invite_full_proposal(*, actor: User, application: Application) -> Application:
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
    refresh_counts_of(application.call_id)
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
def withdraw_application(*, actor: User, application: Application) -> Application:
    ensure(actor, "grants.apply", application)
    application = _locked(application)
    move_recorded(
        application,
        workflow=states.APPLICATION,
        to=Application.Status.WITHDRAWN,
        actor=actor,
        action="grants.application.withdraw",
        also_save=["updated_at"],
    )
    refresh_counts_of(application.call_id)
    return application
