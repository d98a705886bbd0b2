"""The grants API's schemas: what its routes answer and take.

Amounts travel as decimal strings in the programme's currency ("150000.00"), never as JSON
numbers, so no client rounds them through a float.
"""

import re
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from safecities.core.i18n import translated
from safecities.core.money import Money
from safecities.core.text import LongText, SingleLine
from safecities.grants import giving360, selectors
from safecities.grants.models import Application, Award, Call, Programme, Question
from safecities.network.models import Municipality, Organisation

# --- values -------------------------------------------------------------------------------


def decimal_text(money: Money) -> str:
    """ "150000.00": to the currency's minor unit, never in exponent notation."""
    return f"{money.amount:f}"


def local_iso(moment: datetime | None, time_zone: str) -> str | None:
    """ISO 8601 with the offset of the call's time zone, e.g. 2027-03-01T12:00:00+01:00."""
    if moment is None:
        return None
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).isoformat()


def party(obj: Municipality | Organisation | None) -> dict | None:
    if obj is None:
        return None
    kind = "municipality" if isinstance(obj, Municipality) else "organisation"
    return {"kind": kind, "slug": obj.slug, "name": obj.name}


AMOUNT_PATTERN = re.compile(r"-?\d+(\.\d+)?")


def _decimal_string(value: str) -> str:
    text = value.strip()
    if not AMOUNT_PATTERN.fullmatch(text):
        raise PydanticCustomError(
            "amount",
            _('Give the amount as a decimal string with a point, e.g. "12345.00".'),
        )
    return text


Amount = Annotated[str, AfterValidator(_decimal_string)]


# --- programmes --------------------------------------------------------------------------


class FunderOut(Schema):
    slug: str
    name: str
    org_id: str


class PeriodOut(Schema):
    starts_on: date
    ends_on: date


class ProgrammeOut(Schema):
    id: int
    slug: str
    name: str
    funder: FunderOut
    currency: str
    budget: str
    awarded: str
    paid: str
    remaining: str
    period: PeriodOut
    description: str
    descriptions: dict
    call_count: int

    @staticmethod
    def resolve_budget(obj: Programme) -> str:
        return decimal_text(obj.budget)

    @staticmethod
    def resolve_awarded(obj: Programme) -> str:
        return decimal_text(selectors.ledger_from_columns(obj)["awarded"])

    @staticmethod
    def resolve_paid(obj: Programme) -> str:
        return decimal_text(selectors.ledger_from_columns(obj)["paid"])

    @staticmethod
    def resolve_remaining(obj: Programme) -> str:
        return decimal_text(selectors.ledger_from_columns(obj)["remaining"])

    @staticmethod
    def resolve_period(obj: Programme) -> dict:
        return {"starts_on": obj.starts_on, "ends_on": obj.ends_on}

    @staticmethod
    def resolve_description(obj: Programme) -> str:
        return obj.display_description

    @staticmethod
    def resolve_descriptions(obj: Programme) -> dict:
        return obj.description


class SliceOut(Schema):
    label: str
    count: int
    amount: str

    @staticmethod
    def resolve_amount(obj: selectors.Slice) -> str:
        return decimal_text(obj.amount)


class BreakdownOut(Schema):
    by_city: list[SliceOut]
    by_goal: list[SliceOut]
    by_year: list[SliceOut]


class ProgrammeLineOut(Schema):
    """One budget line of a programme: a grantable pot or a reserved line, with its ledger."""

    id: int
    name: str
    kind: str
    budget: str
    awarded: str
    paid: str
    left: str


class ProgrammeDetailOut(ProgrammeOut):
    breakdown: BreakdownOut
    lines: list[ProgrammeLineOut]
    unallocated: str | None

    @staticmethod
    def resolve_lines(obj: Programme) -> list[dict]:
        return [
            {
                "id": row["line"].pk,
                "name": row["line"].name,
                "kind": row["line"].kind,
                **{key: decimal_text(row[key]) for key in ("budget", "awarded", "paid", "left")},
            }
            for row in obj.lines_overview["lines"]
        ]

    @staticmethod
    def resolve_unallocated(obj: Programme) -> str | None:
        """What of the budget no line holds (None when the programme has no lines)."""
        overview = obj.lines_overview
        return decimal_text(overview["unallocated"]) if overview["lines"] else None


# --- calls -------------------------------------------------------------------------------


class CallOut(Schema):
    id: int
    programme: str
    status: str
    title: str
    titles: dict
    opens_at: str
    closes_at: str
    concept_closes_at: str | None
    time_zone: str
    currency: str
    min_amount: str
    max_amount: str
    stages: int
    requires_partnership: bool
    blind_review: bool
    accepts_applications: bool
    goals: list[str]

    @staticmethod
    def resolve_programme(obj: Call) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_title(obj: Call) -> str:
        return obj.display_title

    @staticmethod
    def resolve_titles(obj: Call) -> dict:
        return obj.title

    @staticmethod
    def resolve_opens_at(obj: Call) -> str:
        return local_iso(obj.opens_at, obj.time_zone)

    @staticmethod
    def resolve_closes_at(obj: Call) -> str:
        return local_iso(obj.closes_at, obj.time_zone)

    @staticmethod
    def resolve_concept_closes_at(obj: Call) -> str | None:
        return local_iso(obj.concept_closes_at, obj.time_zone)

    @staticmethod
    def resolve_currency(obj: Call) -> str:
        return obj.programme.currency

    @staticmethod
    def resolve_min_amount(obj: Call) -> str:
        return decimal_text(obj.min_amount)

    @staticmethod
    def resolve_max_amount(obj: Call) -> str:
        return decimal_text(obj.max_amount)

    @staticmethod
    def resolve_goals(obj: Call) -> list[str]:
        return [goal.code for goal in obj.goals.all()]


class CriterionOut(Schema):
    id: int
    name: str
    names: dict
    weight: int

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name

    @staticmethod
    def resolve_names(obj) -> dict:
        return obj.name


class ChoiceOut(Schema):
    value: str
    label: str
    labels: dict


class QuestionOut(Schema):
    id: int
    kind: str
    stage: str
    required: bool
    label: str
    labels: dict
    help: str
    help_texts: dict
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_label(obj: Question) -> str:
        return obj.display_label

    @staticmethod
    def resolve_labels(obj: Question) -> dict:
        return obj.label

    @staticmethod
    def resolve_help(obj: Question) -> str:
        return obj.display_help

    @staticmethod
    def resolve_help_texts(obj: Question) -> dict:
        return obj.help_text

    @staticmethod
    def resolve_choices(obj: Question) -> list[dict]:
        return [
            {
                "value": c["value"],
                "label": translated(c.get("label")) or c["value"],
                "labels": c.get("label") or {},
            }
            for c in obj.choices
        ]


class WhoMayApplyOut(Schema):
    """A call's limits on who may apply, checked at submission for every party (lead and
    partners): empty fields set no limit; `rules` says them in the reader's language."""

    national_programme: str | None
    countries: list[str]
    organisation_types: list[str]
    rules: list[str]


class CallDetailOut(CallOut):
    text: str
    texts: dict
    eligibility: str
    eligibilities: dict
    who_may_apply: WhoMayApplyOut
    criteria: list[CriterionOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_who_may_apply(obj: Call) -> dict:
        return {
            "national_programme": obj.national_programme.slug if obj.national_programme else None,
            "countries": [c.code for c in obj.countries.all()],
            "organisation_types": list(obj.organisation_types),
            "rules": selectors.who_may_apply(obj),
        }

    @staticmethod
    def resolve_text(obj: Call) -> str:
        return obj.display_text

    @staticmethod
    def resolve_texts(obj: Call) -> dict:
        return obj.text

    @staticmethod
    def resolve_eligibility(obj: Call) -> str:
        return obj.display_eligibility

    @staticmethod
    def resolve_eligibilities(obj: Call) -> dict:
        return obj.eligibility

    @staticmethod
    def resolve_criteria(obj: Call) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_questions(obj: Call) -> list:
        return list(obj.questions.all())


# --- applications ------------------------------------------------------------------------


class PartyOut(Schema):
    kind: str
    slug: str
    name: str


class PartnerOut(PartyOut):
    role: str


class ApplicationPartnerOut(PartnerOut):
    """A partner of an application as its applicants read it: with the row's id (to confirm
    participation through `/partners/{id}/confirm`) and whether it has confirmed."""

    id: int
    confirmed: bool


class BudgetLineOut(Schema):
    label: str
    amount: str


class ApplicationOut(Schema):
    id: int
    call: int
    programme: str
    title: str
    status: str
    stage: str
    lead: PartyOut | None
    currency: str
    requested: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_call(obj: Application) -> int:
        return obj.call_id

    @staticmethod
    def resolve_programme(obj: Application) -> str:
        return obj.call.programme.slug

    @staticmethod
    def resolve_lead(obj: Application) -> dict | None:
        if getattr(obj, "applicant_hidden", False):
            return None
        return party(obj.lead)

    @staticmethod
    def resolve_requested(obj: Application) -> str:
        return decimal_text(obj.requested)


class MissingOut(Schema):
    field: str
    text: str
    message: str


class ApplicationDetailOut(ApplicationOut):
    summary: str
    budget_lines: list[BudgetLineOut]
    partners: list[ApplicationPartnerOut]
    goals: list[str]
    target_groups: list[str]
    indicators: list[str] = Field(
        description="The codes of the indicators the project expects to move; its reports "
        "give results against them."
    )
    starts_on: date | None
    ends_on: date | None
    answers: dict[str, str]
    files: dict[str, str]
    missing: list[MissingOut]

    @staticmethod
    def resolve_missing(obj: Application) -> list[dict]:
        """While it may be submitted: what the submission still needs, the submit page's own
        checklist (`selectors.submission_problems`); submitting refuses with the first."""
        if not obj.editable:
            return []
        return [
            {"field": check.field, "text": check.text, "message": check.message}
            for check in selectors.submission_problems(obj)
        ]

    @staticmethod
    def resolve_budget_lines(obj: Application) -> list[dict]:
        return [
            {"label": label, "amount": decimal_text(amount)}
            for label, amount in selectors.budget_lines(obj)
        ]

    @staticmethod
    def resolve_partners(obj: Application) -> list[dict]:
        if getattr(obj, "applicant_hidden", False):
            return []
        return [
            {**party(p.party), "role": p.role, "id": p.pk, "confirmed": p.confirmed}
            for p in obj.partners.all()
        ]

    @staticmethod
    def resolve_goals(obj: Application) -> list[str]:
        return [goal.code for goal in obj.goals.all()]

    @staticmethod
    def resolve_target_groups(obj: Application) -> list[str]:
        return [term.code for term in obj.target_groups.all()]

    @staticmethod
    def resolve_indicators(obj: Application) -> list[str]:
        return [indicator.code for indicator in obj.indicators.all()]

    @staticmethod
    def resolve_answers(obj: Application) -> dict[str, str]:
        return {
            str(a.question_id): a.value
            for a in obj.answers.all()
            if a.question.kind != Question.Kind.FILE
        }

    @staticmethod
    def resolve_files(obj: Application) -> dict[str, str]:
        """The file answers' names; neutral ones for a blind call's reviewers."""
        see = not getattr(obj, "applicant_hidden", False)
        return {
            str(a.question_id): a.filename_for(see_applicant=see)
            for a in obj.answers.all()
            if a.file
        }


class LeadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    municipality: str | None = None
    organisation: str | None = None


class PartnerIn(LeadIn):
    role: SingleLine = ""


class BudgetLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: SingleLine
    amount: Amount


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    call: int
    lead: LeadIn
    title: SingleLine
    summary: LongText = ""
    requested: Amount | None = None
    budget_lines: list[BudgetLineIn] = []
    partners: list[PartnerIn] = []
    starts_on: date | None = None
    ends_on: date | None = None


class ApplicationPatch(Schema):
    """Every key is optional; only the keys sent change."""

    model_config = ConfigDict(extra="forbid")

    title: SingleLine | None = None
    summary: LongText | None = None
    requested: Amount | None = None
    budget_lines: list[BudgetLineIn] | None = None
    partners: list[PartnerIn] | None = None
    goals: list[str] | None = None
    target_groups: list[str] | None = None
    indicators: list[str] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    answers: dict[int, str | int | float | None] | None = None


# --- awards ------------------------------------------------------------------------------


class AwardOut(Schema):
    id: int
    identifier: str
    title: str
    lead: PartyOut
    partners: list[PartnerOut]
    amount: str
    currency: str
    decided_on: date
    programme: str
    call: int
    illustrative: bool

    @staticmethod
    def resolve_identifier(obj: Award) -> str:
        return giving360.grant_id(obj)

    @staticmethod
    def resolve_title(obj: Award) -> str:
        return obj.application.title

    @staticmethod
    def resolve_lead(obj: Award) -> dict:
        return party(obj.application.lead)

    @staticmethod
    def resolve_partners(obj: Award) -> list[dict]:
        return [{**party(p.party), "role": p.role} for p in obj.application.partners.all()]

    @staticmethod
    def resolve_amount(obj: Award) -> str:
        return decimal_text(obj.amount)

    @staticmethod
    def resolve_currency(obj: Award) -> str:
        return obj.application.currency

    @staticmethod
    def resolve_decided_on(obj: Award) -> date:
        return timezone.localdate(obj.decided_at, timezone.get_default_timezone())

    @staticmethod
    def resolve_programme(obj: Award) -> str:
        return obj.application.call.programme.slug

    @staticmethod
    def resolve_call(obj: Award) -> int:
        return obj.application.call_id

    @staticmethod
    def resolve_illustrative(obj: Award) -> bool:
        return obj.application.illustrative
