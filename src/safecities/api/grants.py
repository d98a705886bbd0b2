"""Grants in the API: programmes and their ledgers, calls, one's own applications, awards, and
the awarded grants as 360Giving open data. The routes; what they read and write is described by
the schemas in `grants_schemas`.

Amounts travel as decimal strings in the programme's currency ("150000.00"), never as JSON
numbers, so no client rounds them through a float.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from safecities.core.errors import DomainError
from safecities.core.money import Money, exponent
from safecities.core.permissions import has_perm
from safecities.grants import giving360_kept, selectors, services
from safecities.grants.models import Application, Question
from safecities.network.models import Municipality, Organisation

from .auth import TokenAuth
from .grants_report_schemas import ReportOut, report_out
from .grants_schemas import (
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    AwardOut,
    BudgetLineIn,
    CallDetailOut,
    CallOut,
    LeadIn,
    PartnerIn,
    ProgrammeDetailOut,
    ProgrammeOut,
)
from .paging import Pagination

# --- helpers ---------------------------------------------------------------------------------

router = Router(tags=["grants"])


def anyone(request):
    """Public reads that show more to a token's owner: no token (or a bad one) is anonymous."""
    return AnonymousUser()


OPTIONAL_TOKEN = [TokenAuth(), anyone]


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


@router.get("/programmes", response=list[ProgrammeOut], url_name="grants-programmes")
@paginate(Pagination, page_size=50)
def programmes(request):
    """Grant programmes with their budget, awarded, paid and remaining sums."""
    return selectors.programmes()


@router.get("/programmes/{slug}", response=ProgrammeDetailOut, url_name="grants-programme")
def programme(request, slug: str):
    """A programme's ledger, its budget lines (pots and reserved lines, each with its ledger)
    and its awards by lead city, by charter goal and by year."""
    obj = selectors.programme_by_slug(slug)
    obj.breakdown = selectors.programme_breakdown(obj)
    obj.lines_overview = selectors.lines_overview(obj)
    return obj


# --- calls ---------------------------------------------------------------------------------


@router.get("/calls", response=list[CallOut], auth=OPTIONAL_TOKEN, url_name="grants-calls")
@paginate(Pagination, page_size=50)
def calls(
    request, programme: str | None = None, status: str | None = None, accepting: bool = False
):
    """Open and closed calls (`?programme=<slug>&status=open`); `?accepting=true`: only those
    taking new applications now (`accepts_applications`, the rule applying follows). With the
    token of someone who runs a programme, its draft calls too."""
    of = selectors.programme_by_slug(programme) if programme else None
    found = selectors.calls_visible_to(
        request.auth, programme=of, status=status or "", with_goals=True
    )
    return found.accepting_applications() if accepting else found


@router.get("/calls/{int:pk}", response=CallDetailOut, auth=OPTIONAL_TOKEN, url_name="grants-call")
def call(request, pk: int):
    """A call with its texts in every language, its criteria and its questions. A draft is
    found only with the token of someone who runs its programme."""
    obj = selectors.call_detail(pk)
    if obj.is_draft and not has_perm(request.auth, "grants.manage_programme", obj):
        raise Http404
    return obj


# --- applications --------------------------------------------------------------------------


def _party_of(given: LeadIn, field: str) -> Municipality | Organisation:
    """The municipality or organisation a {municipality | organisation: slug} names."""
    if (given.municipality is None) == (given.organisation is None):
        raise services.InvalidInput(
            _("Name one municipality or one organisation, by its slug."), field=field
        )
    found = selectors.party_by_slug(
        municipality=given.municipality, organisation=given.organisation
    )
    if found is None:
        slug = given.municipality if given.municipality is not None else given.organisation
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


def _by_code(found: dict, codes: list[str], field: str) -> list:
    """The objects `codes` name, in order and once each, from `found` ({code: object}); an
    unknown code is refused, naming `field`."""
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
@paginate(Pagination, page_size=50)
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
    try:
        call = selectors.call_with_programme(payload.call)
    except Http404 as exc:
        raise services.InvalidInput(
            _("No call has the id %(id)s.") % {"id": payload.call}, field="call"
        ) from exc
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
        goals = payload.goals or []
        changes["goals"] = _by_code(selectors.goals_by_code(goals), goals, "goals")
    if "target_groups" in given:
        codes = payload.target_groups or []
        changes["target_groups"] = _by_code(
            selectors.target_groups_by_code(codes), codes, "target_groups"
        )
    if "indicators" in given:
        codes = payload.indicators or []
        changes["indicators"] = _by_code(selectors.indicators_by_code(codes), codes, "indicators")
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


def _participation(request, pk: int, *, confirm: bool):
    partner = selectors.partner_detail(pk)
    if not has_perm(request.auth, "grants.confirm_participation", partner):
        raise PermissionDenied
    act = services.confirm_participation if confirm else services.withdraw_participation
    with api_fields():
        act(actor=request.auth, partner=partner)
    return _application(request, partner.application_id)


@router.post(
    "/partners/{int:pk}/confirm",
    response=ApplicationDetailOut,
    auth=TokenAuth(),
    url_name="grants-partner-confirm",
)
def confirm_participation(request, pk: int):
    """A partner (its coordinator or contact) confirms that it takes part: every partner's
    confirmation is needed before the lead submits."""
    return _participation(request, pk, confirm=True)


@router.post(
    "/partners/{int:pk}/withdraw",
    response=ApplicationDetailOut,
    auth=TokenAuth(),
    url_name="grants-partner-withdraw",
)
def withdraw_participation(request, pk: int):
    """A partner takes its confirmation back while the application is a draft."""
    return _participation(request, pk, confirm=False)


@router.get(
    "/reports/{int:pk}",
    response=ReportOut,
    auth=TokenAuth(),
    url_name="grants-report",
)
def report(request, pk: int):
    """A grantee's report, for the grantee and whoever runs the programme: what was done,
    the money spent per approved budget line, and the results per indicator the application
    named."""
    found = selectors.report_detail(pk)
    if not (
        has_perm(request.auth, "grants.report", found)
        or has_perm(request.auth, "grants.decide", found)
    ):
        raise PermissionDenied
    return report_out(found)


# --- awards and open data ------------------------------------------------------------------


@router.get("/awards", response=list[AwardOut], url_name="grants-awards")
@paginate(Pagination, page_size=50)
def awards(request, programme: str | None = None):
    """Awarded grants, newest first (`?programme=<slug>`). `illustrative` marks the demo
    network's fictional grants."""
    of = selectors.programme_by_slug(programme) if programme else None
    return selectors.awards_with_partners(programme=of)


@router.get("/360giving.json", url_name="grants-360giving-json")
def giving360_json(request, illustrative: bool = False):
    """The awarded grants as a 360Giving 1.4 data package (JSON). The demo network's
    fictional grants are left out unless asked for with `?illustrative=true`. The file is kept
    until the grants change (`Last-Modified` says when it was written)."""
    return giving360_kept.response("json", illustrative=illustrative)


@router.get("/360giving.csv", url_name="grants-360giving-csv")
def giving360_csv(request, illustrative: bool = False):
    """The awarded grants as a 360Giving summary table (CSV, one row per grant). The demo
    network's fictional grants are left out unless asked for with `?illustrative=true`. The
    file is kept until the grants change (`Last-Modified` says when it was written)."""
    return giving360_kept.response("csv", illustrative=illustrative, attachment=True)
