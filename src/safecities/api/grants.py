"""Grants in the API: programmes and their ledgers, calls, one's own applications, awards, and
the awarded grants as 360Giving open data.

Amounts travel as decimal strings in the programme's currency ("150000.00"), never as JSON
numbers, so no client rounds them through a float.
"""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.errors import DomainError
from safecities.core.i18n import translated
from safecities.core.money import Money, exponent
from safecities.core.permissions import has_perm
from safecities.grants import giving360, selectors, services
from safecities.grants.models import Application, Award, Call, Partner, Programme, Question
from safecities.network.models import Municipality, Organisation
from safecities.network.permissions import funder_organisation_ids, is_secretariat

from .auth import TokenAuth

# --- reads to move to selectors.py ---------------------------------------------------------


def calls_visible_to(user, *, programme: Programme | None = None, status: str = ""):
    """Open and closed calls for everyone; drafts too for those who run their programme.

    The same decision as `grants.manage_programme` on each call, taken in the query.
    """
    queryset = selectors.calls(programme=programme, status=status).prefetch_related("goals")
    if getattr(user, "is_authenticated", False) and is_secretariat(user):
        return queryset
    visible = ~Q(status=Call.Status.DRAFT)
    funders = funder_organisation_ids(user)
    if funders:
        visible |= Q(programme__funder_id__in=funders)
    return queryset.filter(visible)


def awards_with_partners(*, programme: Programme | None = None) -> QuerySet[Award]:
    """`public_awards` with each grant's partners, for lists that show them."""
    return selectors.public_awards(programme=programme).prefetch_related(
        Prefetch(
            "application__partners",
            queryset=Partner.objects.select_related("municipality", "organisation"),
        )
    )


def giving360_awards(*, illustrative: bool = False) -> QuerySet[Award]:
    """The awards published as 360Giving open data: real grants only, unless asked for the
    demo network's illustrative ones too, which aggregators must not take for fact."""
    awards = selectors.public_awards()
    return awards if illustrative else awards.filter(application__illustrative=False)


# --- helpers ---------------------------------------------------------------------------------

router = Router(tags=["grants"])


def anyone(request):
    """Public reads that show more to a token's owner: no token (or a bad one) is anonymous."""
    return AnonymousUser()


OPTIONAL_TOKEN = [TokenAuth(), anyone]


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


def grant_identifier(award: Award) -> str:
    """The award's 360Giving identifier, as in the 360Giving files."""
    return f"{settings.GRANTS_360_PREFIX}-{award.pk}"


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


def money(text: str | None, currency: str, field: str) -> Money | None:
    """A decimal string in the programme's currency, or InvalidInput naming `field`."""
    if text is None:
        return None
    try:
        return Money(Decimal(text), currency)
    except ValueError as exc:
        raise services.InvalidInput(
            _("Give the amount in %(currency)s with at most %(places)d decimals.")
            % {"currency": currency, "places": exponent(currency)},
            field=field,
        ) from exc


# Form field names the services use, as the API's inputs name them.
_API_FIELDS = {"lead_municipality": "lead", "lead_organisation": "lead"}


@contextmanager
def api_fields() -> Iterator[None]:
    """Let a service's refusal name the field as the API's input names it."""
    try:
        yield
    except DomainError as exc:
        field = exc.field or ""
        if field.startswith("answer_"):
            exc.field = f"answers.{field.removeprefix('answer_')}"
        elif field in _API_FIELDS:
            exc.field = _API_FIELDS[field]
        raise


# --- programmes ----------------------------------------------------------------------------


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
        return decimal_text(Money.from_minor(obj.awarded_sum, obj.currency))

    @staticmethod
    def resolve_paid(obj: Programme) -> str:
        return decimal_text(Money.from_minor(obj.paid_sum, obj.currency))

    @staticmethod
    def resolve_remaining(obj: Programme) -> str:
        return decimal_text(Money.from_minor(obj.budget_minor - obj.awarded_sum, obj.currency))

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


class ProgrammeDetailOut(ProgrammeOut):
    breakdown: BreakdownOut


@router.get("/programmes", response=list[ProgrammeOut], url_name="grants-programmes")
@paginate(PageNumberPagination, page_size=50)
def programmes(request):
    """Grant programmes with their budget, awarded, paid and remaining sums."""
    return selectors.programmes()


@router.get("/programmes/{slug}", response=ProgrammeDetailOut, url_name="grants-programme")
def programme(request, slug: str):
    """A programme's ledger and its awards by lead city, by charter goal and by year."""
    obj = selectors.programme_by_slug(slug)
    obj.breakdown = selectors.programme_breakdown(obj)
    return obj


# --- calls ---------------------------------------------------------------------------------


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


class CallDetailOut(CallOut):
    text: str
    texts: dict
    eligibility: str
    eligibilities: dict
    criteria: list[CriterionOut]
    questions: list[QuestionOut]

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


@router.get("/calls", response=list[CallOut], auth=OPTIONAL_TOKEN, url_name="grants-calls")
@paginate(PageNumberPagination, page_size=50)
def calls(request, programme: str | None = None, status: str | None = None):
    """Open and closed calls (`?programme=<slug>&status=open`). With the token of someone who
    runs a programme, its draft calls too."""
    of = selectors.programme_by_slug(programme) if programme else None
    return calls_visible_to(request.auth, programme=of, status=status or "")


@router.get("/calls/{int:pk}", response=CallDetailOut, auth=OPTIONAL_TOKEN, url_name="grants-call")
def call(request, pk: int):
    """A call with its texts in every language, its criteria and its questions. A draft is
    found only with the token of someone who runs its programme."""
    obj = selectors.call_detail(pk)
    if obj.status == Call.Status.DRAFT and not has_perm(
        request.auth, "grants.manage_programme", obj
    ):
        raise Http404
    return obj


# --- applications --------------------------------------------------------------------------


class PartyOut(Schema):
    kind: str
    slug: str
    name: str


class PartnerOut(PartyOut):
    role: str


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


class ApplicationDetailOut(ApplicationOut):
    summary: str
    budget_lines: list[BudgetLineOut]
    partners: list[PartnerOut]
    goals: list[str]
    target_groups: list[str]
    starts_on: date | None
    ends_on: date | None
    answers: dict[str, str]
    files: dict[str, str]

    @staticmethod
    def resolve_budget_lines(obj: Application) -> list[dict]:
        return [
            {
                "label": line.label,
                "amount": decimal_text(Money.from_minor(line.amount_minor, obj.currency)),
            }
            for line in obj.budget_lines.all()
        ]

    @staticmethod
    def resolve_partners(obj: Application) -> list[dict]:
        if getattr(obj, "applicant_hidden", False):
            return []
        return [{**party(p.party), "role": p.role} for p in obj.partners.all()]

    @staticmethod
    def resolve_goals(obj: Application) -> list[str]:
        return [goal.code for goal in obj.goals.all()]

    @staticmethod
    def resolve_target_groups(obj: Application) -> list[str]:
        return [term.code for term in obj.target_groups.all()]

    @staticmethod
    def resolve_answers(obj: Application) -> dict[str, str]:
        return {
            str(a.question_id): a.value
            for a in obj.answers.all()
            if a.question.kind != Question.Kind.FILE
        }

    @staticmethod
    def resolve_files(obj: Application) -> dict[str, str]:
        return {str(a.question_id): a.filename for a in obj.answers.all() if a.file}


class LeadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    municipality: str | None = None
    organisation: str | None = None


class PartnerIn(LeadIn):
    role: str = ""


class BudgetLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: str
    amount: Amount


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    call: int
    lead: LeadIn
    title: str
    summary: str = ""
    requested: Amount | None = None
    budget_lines: list[BudgetLineIn] = []
    partners: list[PartnerIn] = []
    starts_on: date | None = None
    ends_on: date | None = None


class ApplicationPatch(Schema):
    """Every key is optional; only the keys sent change."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    summary: str | None = None
    requested: Amount | None = None
    budget_lines: list[BudgetLineIn] | None = None
    partners: list[PartnerIn] | None = None
    goals: list[str] | None = None
    target_groups: list[str] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    answers: dict[int, str | int | float | None] | None = None


def _party_of(given: LeadIn, field: str) -> Municipality | Organisation:
    """The municipality or organisation a {municipality | organisation: slug} names."""
    if (given.municipality is None) == (given.organisation is None):
        raise services.InvalidInput(
            _("Name one municipality or one organisation, by its slug."), field=field
        )
    model, slug = (
        (Municipality, given.municipality)
        if given.municipality is not None
        else (Organisation, given.organisation)
    )
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise services.InvalidInput(
            _("Nothing has the slug %(slug)s.") % {"slug": slug}, field=field
        )
    return found


def _partners(given: list[PartnerIn]) -> list[tuple[Municipality | Organisation, str]]:
    return [(_party_of(p, f"partners.{i}"), p.role) for i, p in enumerate(given)]


def _budget_lines(given: list[BudgetLineIn], currency: str) -> list[tuple[str, Money]]:
    return [
        (line.label, money(line.amount, currency, f"budget_lines.{i}.amount"))
        for i, line in enumerate(given)
    ]


def _by_code(queryset, codes: list[str], field: str) -> list:
    found = {obj.code: obj for obj in queryset.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise services.InvalidInput(
            _("No such code: %(code)s.") % {"code": unknown[0]}, field=field
        )
    return [found[code] for code in dict.fromkeys(codes)]


def _application(request, pk: int) -> Application:
    """The application if the token's owner may see it: 404 if none, 403 if not theirs."""
    application = selectors.application_detail(pk)
    if not has_perm(request.auth, "grants.view_application", application):
        raise PermissionDenied
    application.applicant_hidden = not has_perm(request.auth, "grants.see_applicant", application)
    return application


@router.get(
    "/applications",
    response=list[ApplicationOut],
    auth=TokenAuth(),
    url_name="grants-applications",
)
@paginate(PageNumberPagination, page_size=50)
def applications(request, status: str | None = None):
    """The applications the token's owner writes: their cities' and organisations'."""
    return selectors.applications_of(request.auth, status=status or "")


@router.get(
    "/applications/{int:pk}",
    response=ApplicationDetailOut,
    auth=TokenAuth(),
    url_name="grants-application",
)
def application(request, pk: int):
    """An application, for its applicants, whoever runs the programme and its reviewers."""
    return _application(request, pk)


@router.post(
    "/applications",
    response={201: ApplicationDetailOut},
    auth=TokenAuth(),
    url_name="grants-applications",
)
def create_application(request, payload: ApplicationIn):
    """Start a draft application to an open call, led by a city you coordinate or an
    organisation you speak for."""
    call = Call.objects.select_related("programme__funder").filter(pk=payload.call).first()
    if call is None:
        raise services.InvalidInput(
            _("No call has the id %(id)s.") % {"id": payload.call}, field="call"
        )
    currency = call.programme.currency
    lead = _party_of(payload.lead, "lead")
    with api_fields():
        created = services.create_application(
            actor=request.auth,
            call=call,
            title=payload.title,
            summary=payload.summary,
            requested=money(payload.requested, currency, "requested"),
            budget_lines=_budget_lines(payload.budget_lines, currency),
            lead_municipality=lead if isinstance(lead, Municipality) else None,
            lead_organisation=lead if isinstance(lead, Organisation) else None,
            partners=_partners(payload.partners),
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
        )
    return Status(201, _application(request, created.pk))


@router.patch(
    "/applications/{int:pk}",
    response=ApplicationDetailOut,
    auth=TokenAuth(),
    url_name="grants-application",
)
def update_application(request, pk: int, payload: ApplicationPatch):
    """Change a draft: only the keys sent. `answers` maps question ids to values (file
    questions are answered on the web page)."""
    application = _application(request, pk)
    currency = application.currency
    given: dict[str, Any] = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {
        key: given[key] for key in ("title", "summary", "starts_on", "ends_on") if key in given
    }
    if "requested" in given:
        changes["requested"] = money(payload.requested, currency, "requested")
    if "budget_lines" in given:
        changes["budget_lines"] = _budget_lines(payload.budget_lines or [], currency)
    if "partners" in given:
        changes["partners"] = _partners(payload.partners or [])
    if "goals" in given:
        changes["goals"] = _by_code(Goal.objects, payload.goals or [], "goals")
    if "target_groups" in given:
        changes["target_groups"] = _by_code(
            Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP),
            payload.target_groups or [],
            "target_groups",
        )
    if payload.answers:
        questions = {q.pk: q for q in application.call.questions.all()}
        for key in payload.answers:
            if key in questions and questions[key].kind == Question.Kind.FILE:
                raise services.InvalidInput(
                    _("“%(question)s” asks for a PDF: upload it on the application's page.")
                    % {"question": questions[key].display_label},
                    field=f"answers.{key}",
                )
        changes["answers"] = payload.answers
    with api_fields():
        services.update_application(actor=request.auth, application=application, **changes)
    return _application(request, pk)


@router.post(
    "/applications/{int:pk}/submit",
    response=ApplicationDetailOut,
    auth=TokenAuth(),
    url_name="grants-application-submit",
)
def submit_application(request, pk: int):
    """Submit a complete draft before the deadline; what is missing is named in `field`."""
    application = _application(request, pk)
    with api_fields():
        services.submit_application(actor=request.auth, application=application)
    return _application(request, pk)


@router.post(
    "/applications/{int:pk}/withdraw",
    response=ApplicationDetailOut,
    auth=TokenAuth(),
    url_name="grants-application-withdraw",
)
def withdraw_application(request, pk: int):
    application = _application(request, pk)
    with api_fields():
        services.withdraw_application(actor=request.auth, application=application)
    return _application(request, pk)


# --- awards and open data ------------------------------------------------------------------


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
        return grant_identifier(obj)

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


@router.get("/awards", response=list[AwardOut], url_name="grants-awards")
@paginate(PageNumberPagination, page_size=50)
def awards(request, programme: str | None = None):
    """Awarded grants, newest first (`?programme=<slug>`). `illustrative` marks the demo
    network's fictional grants."""
    of = selectors.programme_by_slug(programme) if programme else None
    return awards_with_partners(programme=of)


@router.get("/360giving.json", url_name="grants-360giving-json")
def giving360_json(request, illustrative: bool = False):
    """The awarded grants as a 360Giving 1.4 data package (JSON). The demo network's
    fictional grants are left out unless asked for with `?illustrative=true`."""
    awards = giving360_awards(illustrative=illustrative)
    body = json.dumps(giving360.package(awards), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json")


@router.get("/360giving.csv", url_name="grants-360giving-csv")
def giving360_csv(request, illustrative: bool = False):
    """The awarded grants as a 360Giving summary table (CSV, one row per grant). The demo
    network's fictional grants are left out unless asked for with `?illustrative=true`."""
    awards = giving360_awards(illustrative=illustrative)
    response = HttpResponse(giving360.csv_text(awards), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safecities-360giving.csv"'
    return response
