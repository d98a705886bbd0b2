"""Grant pages: programmes and calls, the funder's and the public's side.

The landing page, a programme's public overview with its ledger, creating programmes, writing a
call (texts, terms, criteria, questions) while it is a draft, opening and closing it, the call's
public page and the public list of awards.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safecities.core.confirm import confirm
from safecities.core.i18n import translated_with_language
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, permission_required, public
from safecities.core.refusals import refusals, refused_to
from safecities.network.models import Role
from safecities.network.permissions import has_role

from .. import selectors, services, states
from ..charts import ledger_chart, slices_chart
from ..forms.fields import RefusalHolder
from ..forms.programmes import (
    AwardFilter,
    CallForm,
    CriteriaFormSet,
    CriterionForm,
    ProgrammeEditForm,
    ProgrammeForm,
    QuestionForm,
    QuestionsFormSet,
)
from ..models import Call, Programme

# The programme page charts this many cities, then the others as one slice, with a link to
# the table of all of them.
TOP_CITIES = 10
# It lists this many of its newest awards, with a link to the list of them all.
NEWEST_AWARDS = 10

# --- helpers -----------------------------------------------------------------------------


def _with_ledger(programme: Programme) -> Programme:
    """Money of the `selectors.programmes()` columns, for the table of programmes."""
    ledger = selectors.ledger_from_columns(programme)
    programme.awarded, programme.paid = ledger["awarded"], ledger["paid"]
    programme.remaining = ledger["remaining"]
    return programme


def _programme(request, slug: str) -> Programme:
    return selectors.programme_by_slug(slug)


def _call(request, pk: int) -> Call:
    return selectors.call_detail(pk)


# --- the landing page and programmes -----------------------------------------------------


@public
def programme_list(request):
    user = request.user
    may_run = has_perm(user, "grants.manage_programme")
    may_apply = has_perm(user, "grants.apply")
    return render(
        request,
        "grants/programmes/index.html",
        {
            "programmes": [_with_ledger(p) for p in selectors.programmes()],
            "open_calls": list(selectors.open_calls()),
            "may_create": may_run,
            "may_apply": may_apply,
            "is_reviewer": has_role(user, Role.REVIEWER),
            "follows_reports": may_apply or may_run,
        },
    )


@public
def programme_detail(request, slug: str):
    programme = selectors.programme_by_slug(slug)
    runs = has_perm(request.user, "grants.manage_programme", programme)
    ledger = selectors.programme_ledger(programme)
    breakdown = selectors.programme_breakdown(programme, cities=TOP_CITIES)
    calls = selectors.calls_visible_to(request.user, programme=programme)
    # The newest few: the list of awards pages through them all, with filters and open data.
    newest = list(selectors.programme_awards(programme)[:NEWEST_AWARDS])
    award_count = sum(piece.count for piece in breakdown["by_city"])
    illustrative = any(award.application.illustrative for award in newest)
    return render(
        request,
        "grants/programmes/programme.html",
        {
            "programme": programme,
            "ledger": ledger,
            **selectors.lines_overview(programme),
            "description": translated_with_language(programme.description),
            "budget_chart": ledger_chart(ledger),
            "city_chart": slices_chart(
                breakdown["by_city"], title=_("Awarded by city"), label_header=_("City")
            ),
            "goal_chart": slices_chart(
                breakdown["by_goal"],
                title=_("Awarded by charter goal"),
                label_header=_("Charter goal"),
            ),
            "year_chart": slices_chart(
                breakdown["by_year"],
                title=_("Awarded by year of decision"),
                label_header=_("Year"),
                kind="columns",
            ),
            "city_count": breakdown["city_count"],
            "top_cities": TOP_CITIES,
            "calls": list(calls),
            "page": newest,
            "award_count": award_count,
            "illustrative": illustrative,
            "runs": runs,
        },
    )


@public
def programme_cities(request, slug: str):
    """What the programme awarded in each lead city, the largest first, a page at a time."""
    programme = selectors.programme_by_slug(slug)
    page, query = paginate(request, selectors.programme_cities(programme), per_page=50)
    rows = [selectors.city_slice(row, currency=programme.currency) for row in page]
    return render(
        request,
        "grants/programmes/cities.html",
        {"programme": programme, "page": page, "query": query, "rows": rows},
    )


@permission_required("grants.manage_programme")
def programme_create(request):
    form = ProgrammeForm(request.POST or None, funders=selectors.funders_for(request.user))
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            programme = services.create_programme(actor=request.user, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, _("The programme is created. Now write its first call."))
            return redirect("grants:programme", slug=programme.slug)
    return render(request, "grants/programmes/programme_form.html", {"form": form})


@permission_required("grants.manage_programme", obj=_programme)
def programme_edit(request, slug: str):
    """Name, period, currency, budget and purpose; the budget never below what is awarded."""
    programme = request.permission_object
    form = ProgrammeEditForm(
        request.POST or None,
        programme=programme,
        initial=None if request.method == "POST" else ProgrammeEditForm.initial_for(programme),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.update_programme(
                actor=request.user, programme=programme, **form.service_kwargs()
            )
        if outcome.ok:
            messages.success(request, _("The programme is saved."))
            return redirect("grants:programme", slug=programme.slug)
    return render(
        request,
        "grants/programmes/programme_edit.html",
        {"form": form, "programme": programme, "ledger": selectors.programme_ledger(programme)},
    )


# --- writing a call ----------------------------------------------------------------------


@permission_required("grants.manage_programme", obj=_programme)
def call_create(request, slug: str):
    programme = request.permission_object
    form = CallForm(
        request.POST or None,
        currency=programme.currency,
        lines=selectors.grantable_lines(programme),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            call = services.create_call(
                actor=request.user, programme=programme, **form.service_kwargs()
            )
        if outcome.ok:
            messages.success(
                request, _("The call is saved as a draft. Add its criteria and questions.")
            )
            return redirect("grants:call", pk=call.pk)
    return render(
        request,
        "grants/programmes/call_form.html",
        {"form": form, "programme": programme, "call": None},
    )


@permission_required("grants.manage_programme", obj=_call)
def call_edit(request, pk: int):
    call = request.permission_object
    currency = call.programme.currency
    lines = selectors.grantable_lines(call.programme_id)
    if request.method == "POST":
        form = CallForm(request.POST, currency=currency, lines=lines)
        if form.is_valid():
            with refusals(request, form) as outcome:
                services.update_call(actor=request.user, call=call, **form.service_kwargs())
            if outcome.ok:
                messages.success(request, _("The call is saved."))
                return redirect("grants:call", pk=call.pk)
    elif call.is_draft:
        form = CallForm(initial=CallForm.initial_for(call), currency=currency, lines=lines)
    else:
        form = None
    return render(
        request,
        "grants/programmes/call_form.html",
        {
            "form": form,
            "programme": call.programme,
            "call": call,
            "locked": services.call_terms_locked(call),
        },
    )


def _rows_page(request, *, call: Call, formset_class, initial, service, kwargs, template, saved):
    """A formset of a draft call's rows (criteria or questions), saved whole by `service`."""
    if request.method == "POST":
        formset = formset_class(request.POST, form_kwargs=kwargs)
        if formset.is_valid():
            rows = [form.row() for form in formset.kept_forms()]
            holder = RefusalHolder()
            with refusals(request, holder) as outcome:
                service(actor=request.user, call=call, rows=rows)
            if outcome.ok:
                messages.success(request, saved)
                return redirect("grants:call", pk=call.pk)
            # "Question 2: …": the service names the row; the page keeps what was typed.
            formset.non_form_errors().extend(holder.non_field_errors())
    else:
        formset = formset_class(initial=initial, form_kwargs=kwargs)
    formset.number_rows()
    locked = services.call_terms_locked(call)
    return render(
        request,
        template,
        {"formset": formset, "call": call, "programme": call.programme, "locked": locked},
    )


@permission_required("grants.manage_programme", obj=_call)
def call_criteria(request, pk: int):
    call = request.permission_object
    return _rows_page(
        request,
        call=call,
        formset_class=CriteriaFormSet,
        initial=[CriterionForm.initial_for(c) for c in call.criteria.all()],
        kwargs={},
        service=lambda *, actor, call, rows: services.set_criteria(
            actor=actor, call=call, criteria=rows
        ),
        template="grants/programmes/call_criteria.html",
        saved=_("The criteria are saved."),
    )


@permission_required("grants.manage_programme", obj=_call)
def call_questions(request, pk: int):
    call = request.permission_object
    return _rows_page(
        request,
        call=call,
        formset_class=QuestionsFormSet,
        initial=[QuestionForm.initial_for(q) for q in call.questions.all()],
        kwargs={"two_stage": call.two_stage},
        service=lambda *, actor, call, rows: services.set_questions(
            actor=actor, call=call, questions=rows
        ),
        template="grants/programmes/call_questions.html",
        saved=_("The questions are saved."),
    )


def _move(request, service, done: str):
    call = request.permission_object
    with refusals(request) as outcome:
        service(actor=request.user, call=call)
    if outcome.ok:
        messages.success(request, done)
    return redirect("grants:call", pk=call.pk)


@permission_required("grants.manage_programme", obj=_call)
@refused_to("grants:call")
def call_open(request, pk: int):
    """What opening (publishing) the call does (GET), then (POST) the opening."""
    call = request.permission_object
    return confirm(
        request,
        lambda: services.open_call(actor=request.user, call=call),
        done=_("The call is open: applicants can apply."),
        template="grants/programmes/call_open.html",
        context={"call": call, "may_open": states.CALL.may_move(call, Call.Status.OPEN)},
        then="grants:call",
        pk=call.pk,
    )


@require_POST
@permission_required("grants.manage_programme", obj=_call)
def call_close(request, pk: int):
    return _move(request, services.close_call, _("The call is closed."))


# --- the call's public page and the awards -----------------------------------------------


@public
def call_detail(request, pk: int):
    call = selectors.call_detail(pk)
    runs = has_perm(request.user, "grants.manage_programme", call)
    if call.is_draft and not runs:
        raise Http404(_("No such call."))  # drafts are not discoverable
    criteria = list(call.criteria.all())
    weights = sum(c.weight for c in criteria)
    return render(
        request,
        "grants/programmes/call.html",
        {
            "call": call,
            "programme": call.programme,
            "title": translated_with_language(call.title),
            "text": translated_with_language(call.text),
            "eligibility": translated_with_language(call.eligibility),
            "who_may_apply": selectors.who_may_apply(call),
            "criteria": [
                {
                    "name": translated_with_language(c.name),
                    "description": translated_with_language(c.description),
                    "weight": c.weight,
                    "share": round(100 * c.weight / weights) if weights else 0,
                }
                for c in criteria
            ],
            "questions": [
                {
                    "question": q,
                    "label": translated_with_language(q.label),
                    "help": translated_with_language(q.help_text),
                }
                for q in call.questions.all()
            ],
            "goals": list(call.goals.all()),
            "accepts_applications": call.accepts_applications,
            "may_open": states.CALL.may_move(call, Call.Status.OPEN),
            "may_close": states.CALL.may_move(call, Call.Status.CLOSED),
            "may_apply": has_perm(request.user, "grants.apply"),
            "runs": runs,
        },
    )


@public
def award_list(request):
    form = AwardFilter(
        request.GET or None,
        programmes=selectors.programme_choices(),
        years=selectors.award_years(),
    )
    filters = form.filters()
    page, query = paginate(request, selectors.awards_filtered(**filters), per_page=50)
    illustrative = any(award.application.illustrative for award in page)
    return render(
        request,
        "grants/programmes/awards.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "illustrative": illustrative,
            # The open-data files are served by the API (/api/v1/grants/), built separately:
            # their paths are fixed by the 360Giving contract, so they are written out here.
            "open_data": {
                "json": "/api/v1/grants/360giving.json",
                "csv": "/api/v1/grants/360giving.csv",
            },
        },
    )


urlpatterns = [
    path("", programme_list, name="programmes"),
    path("programmes/new/", programme_create, name="programme-create"),
    path("programmes/<slug:slug>/", programme_detail, name="programme"),
    path("programmes/<slug:slug>/edit/", programme_edit, name="programme-edit"),
    path("programmes/<slug:slug>/cities/", programme_cities, name="programme-cities"),
    path("programmes/<slug:slug>/calls/new/", call_create, name="call-create"),
    path("calls/<int:pk>/", call_detail, name="call"),
    path("calls/<int:pk>/edit/", call_edit, name="call-edit"),
    path("calls/<int:pk>/criteria/", call_criteria, name="call-criteria"),
    path("calls/<int:pk>/questions/", call_questions, name="call-questions"),
    path("calls/<int:pk>/open/", call_open, name="call-open"),
    path("calls/<int:pk>/close/", call_close, name="call-close"),
    path("awards/", award_list, name="awards"),
]
