"""Grant pages: the applicant's side — starting, writing, submitting and withdrawing an
application, its submitted versions and their differences, file answers.

Every write goes through `grants.services`; a refusal (`DomainError`) is shown on the field it
names and changes nothing. Uploaded answers are never served from /media/: `answer_file` asks
`grants.view_application` first.
"""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.money import Money
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, login_required, permission_required
from safecities.core.refusals import refusals
from safecities.network.models import Municipality, Organisation

from .. import selectors, services, states
from ..forms.applications import (
    ApplicationEditor,
    StartForm,
    StatusFilter,
    parties_by_key,
)
from ..forms.fields import RefusalHolder
from ..models import Answer, Application, Call, Question, Stage
from ..permissions import granted_question_ids, may_write_question, partner_rows_of
from ..states import APPLICATION

# --- helpers -------------------------------------------------------------------------------


def _deadline(call: Call, stage: str):
    """The submission deadline for `stage`, in the call's own time zone."""
    deadline = call.deadline(stage)
    return timezone.localtime(deadline, ZoneInfo(call.time_zone)) if deadline else None


def _application(request, pk: int) -> Application:
    return selectors.application_detail(pk)


# --- my applications and starting one -----------------------------------------------------


@login_required
def my_applications(request):
    filters = StatusFilter(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page, query = paginate(request, selectors.applications_of(request.user, status=status))
    for application in page.object_list:
        application.deadline_at = _deadline(application.call, application.stage)
    return render(
        request,
        "grants/applications/my_applications.html",
        {
            "filters": filters,
            "status": status,
            "page": page,
            "query": query,
            "may_apply": has_perm(request.user, "grants.apply"),
        },
    )


@permission_required("grants.apply")
def application_start(request, pk: int):
    call = selectors.call_detail(pk)
    if call.is_draft:
        raise Http404(_("No such call."))
    form = StartForm(
        request.POST or None, leads=parties_by_key(*selectors.lead_choices(request.user))
    )
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead"]
        with refusals(
            request, form, on_field={"lead_municipality": "lead", "lead_organisation": "lead"}
        ) as outcome:
            application = services.create_application(
                actor=request.user,
                call=call,
                title=form.cleaned_data["title"],
                lead_municipality=lead if isinstance(lead, Municipality) else None,
                lead_organisation=lead if isinstance(lead, Organisation) else None,
            )
        if outcome.ok:
            messages.success(
                request, _("Your draft is saved. Write it at your own pace; it saves as you go.")
            )
            return redirect("grants:application-edit", pk=application.pk)
    stage = Stage.CONCEPT if call.two_stage else Stage.FULL
    return render(
        request,
        "grants/applications/start.html",
        {
            "call": call,
            "form": form,
            "deadline": _deadline(call, stage),
            "who_may_apply": selectors.who_may_apply(call),
        },
    )


# --- the application page -------------------------------------------------------------------


@permission_required("grants.view_application", obj=_application)
def application_detail(request, pk: int):
    application = request.permission_object
    user = request.user
    award = getattr(application, "award", None)
    payments, reports = selectors.award_schedule(award) if award else ([], [])
    may_apply = has_perm(user, "grants.apply", application)
    may_decide = has_perm(user, "grants.decide", application)
    lines = selectors.budget_lines(application)
    return render(
        request,
        "grants/applications/detail.html",
        {
            "application": application,
            "call": application.call,
            "deadline": _deadline(application.call, application.stage),
            "see_applicant": has_perm(user, "grants.see_applicant", application),
            "partners": list(application.partners.all()),
            "my_partners": {p.pk for p in partner_rows_of(user, application)},
            "budget_lines": lines,
            "budget_total": sum(
                (amount for _label, amount in lines), Money.zero(application.currency)
            ),
            "answers": selectors.answered_questions(application),
            "versions": list(selectors.versions(application)),
            "award": award,
            "payments": payments,
            "reports": reports,
            "can_edit": may_apply and application.editable,
            "can_co_write": not may_apply
            and application.editable
            and bool(granted_question_ids(user, application)),
            "can_withdraw": may_apply and _withdrawable(application),
            "can_assign": application.is_submitted
            and has_perm(user, "grants.assign_reviewers", application),
            "can_decide": may_decide
            and application.is_submitted
            and states.may_be_decided(
                application, finished_reviews=selectors.finished_review_count(application)
            ),
            "can_see_award": award is not None and may_decide,
        },
    )


def _withdrawable(application: Application) -> bool:
    return APPLICATION.may_move(application, Application.Status.WITHDRAWN)


# --- writing the draft ----------------------------------------------------------------------


def _editor(request, application: Application) -> ApplicationEditor:
    """The draft's form and formsets, bound to the POST when there is one. For a partner
    co-writing, only the questions the lead gave it are open (`may_write_question`)."""
    questions = selectors.questions_asked(application)
    current_files = {
        a.question_id: {
            "name": a.filename,
            "url": reverse("grants:answer-file", kwargs={"pk": a.pk}),
        }
        for a in application.answers.all()
        if a.file and a.question.kind == Question.Kind.FILE
    }
    municipalities, organisations = selectors.partner_choices()
    posted = request.method == "POST"
    return ApplicationEditor(
        application,
        questions=questions,
        goals=selectors.goal_choices(application.call),
        target_groups=selectors.target_group_terms([t.pk for t in application.target_groups.all()]),
        indicators=selectors.indicator_choices(),
        municipalities=municipalities,
        organisations=organisations,
        current_files=current_files,
        data=request.POST if posted else None,
        files=request.FILES if posted else None,
        writes=_co_writes(request.user, application, questions),
    )


def _co_writes(user, application: Application, questions: list[Question]) -> set[int] | None:
    """None for the lead (who writes everything); for a partner, the questions it writes."""
    if has_perm(user, "grants.apply", application):
        return None
    return {q.pk for q in questions if may_write_question(user, application, q.pk)}


def _save_draft(request, editor: ApplicationEditor) -> None:
    """Validate and save; the errors stay on the editor."""
    if not editor.is_valid():
        return
    with refusals(request, editor.form) as outcome:
        services.update_application(
            actor=request.user, application=editor.application, **editor.edits()
        )
    if outcome.error is not None and outcome.error.field in editor.SECTIONS:
        editor.add_error(outcome.error)  # a formset's refusal, shown beside that formset


@permission_required("grants.write_application", obj=_application)
def application_edit(request, pk: int):
    application = request.permission_object
    # "Save draft" sent through htmx (its button is named "save") stays on the page when the
    # server or the network fails; its success and refusal answer as the plain form post does.
    htmx = bool(request.headers.get("HX-Request"))
    by_button = htmx and request.headers.get("HX-Trigger-Name") == "save"
    if not application.editable:
        message = _("The application is %(status)s and can no longer be changed.") % {
            "status": application.get_status_display().lower()
        }
        if request.method == "POST" and htmx and not by_button:
            return _autosave_answer(request, errors=[{"anchor": "", "text": message}])
        messages.info(request, message)
        return _go(request, reverse("grants:application", args=[application.pk]), by_button)
    editor = _editor(request, application)
    errors = []
    if request.method == "POST":
        _save_draft(request, editor)
        errors = editor.errors()
        if htmx and not by_button:
            saved = None if errors else Application.objects.get(pk=application.pk)
            return _autosave_answer(request, errors=errors, saved=saved)
        if not errors:
            messages.success(request, _("Your draft is saved."))
            return _go(
                request, reverse("grants:application-edit", args=[application.pk]), by_button
            )
    form = editor.form
    co_writer = editor.writes is not None
    response = render(
        request,
        "grants/applications/edit.html",
        {
            "application": application,
            "call": application.call,
            "deadline": _deadline(application.call, application.stage),
            "form": form,
            "partners": editor.partners,
            "budget": editor.budget,
            "sections": editor.sections,
            "errors": errors,
            "totals": _totals(application),
            "not_autosaved": ",".join(form.file_field_names()),
            "co_writer": co_writer,
            "budget_lines": selectors.budget_lines(application) if co_writer else [],
            "partners_listed": list(application.partners.all()) if co_writer else [],
        },
    )
    if by_button:
        response["X-Autosave"] = "refused"  # the page with the refusal replaces the old one
    return response


def _go(request, url: str, by_htmx: bool) -> HttpResponse:
    """Redirect, in the way htmx follows when the request came through it."""
    if by_htmx:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _autosave_answer(request, *, errors: list[dict], saved: Application | None = None):
    """The answer to an autosave, for the form's status region. Its `X-Autosave` header tells
    the page this answer from any other (an error page, a login page), which it shows as a
    failed save."""
    response = render(
        request,
        "grants/applications/_autosave.html",
        {
            "errors": errors,
            "saved_at": saved and timezone.localtime(saved.updated_at),
            "totals": saved and _totals(saved),
        },
    )
    response["X-Autosave"] = "refused" if errors else "saved"
    return response


def _totals(application: Application) -> dict:
    lines = Money.from_minor(selectors.budget_lines_minor(application), application.currency)
    return {
        "lines": lines,
        "requested": application.requested,
        "match": lines == application.requested,
    }


# --- submitting and withdrawing -----------------------------------------------------------


_EDIT_ANCHORS = {"title", "summary", "requested", "starts_on", "ends_on", "goals"}
_EDIT_ANCHORS |= {"target_groups", "indicators", "budget_lines", "partners"}


def _edit_link(application: Application, field: str | None) -> str | None:
    """The edit page's field a refusal names, to go and put it right."""
    if field and (field in _EDIT_ANCHORS or field.startswith("answer_")):
        return reverse("grants:application-edit", kwargs={"pk": application.pk}) + f"#id_{field}"
    return None


def submission_checklist(application: Application) -> list[dict]:
    """The service's own checklist (`selectors.submission_checklist`), each item not done
    linked to the field that puts it right."""
    return [
        {
            "done": check.done,
            "text": check.text,
            "field": check.field,
            "link": _edit_link(application, check.field),
        }
        for check in selectors.submission_checklist(application)
    ]


@permission_required("grants.apply", obj=_application)
def application_submit(request, pk: int):
    application = request.permission_object
    if not application.editable:
        messages.info(
            request,
            _("The application is %(status)s; there is nothing to submit.")
            % {"status": application.get_status_display().lower()},
        )
        return redirect("grants:application", pk=application.pk)
    error = None
    if request.method == "POST":
        with refusals(request, RefusalHolder()) as outcome:
            services.submit_application(actor=request.user, application=application)
        if outcome.error is not None:
            refused = outcome.error
            error = {"message": refused.message, "link": _edit_link(application, refused.field)}
        else:
            messages.success(
                request,
                _("Your application is submitted. You get an e-mail when it is decided."),
            )
            return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/applications/submit.html",
        {
            "application": application,
            "call": application.call,
            "deadline": _deadline(application.call, application.stage),
            "checklist": submission_checklist(application),
            "error": error,
        },
    )


@permission_required("grants.apply", obj=_application)
def application_withdraw(request, pk: int):
    application = request.permission_object
    if not _withdrawable(application):
        messages.info(
            request,
            _("The application is %(status)s and cannot be withdrawn.")
            % {"status": application.get_status_display().lower()},
        )
        return redirect("grants:application", pk=application.pk)
    if request.method == "POST":
        with refusals(request) as outcome:
            services.withdraw_application(actor=request.user, application=application)
        if outcome.ok:
            messages.success(request, _("The application is withdrawn."))
        return redirect("grants:application", pk=application.pk)
    return render(request, "grants/applications/withdraw.html", {"application": application})


# --- submitted versions ---------------------------------------------------------------------


def _version_number(value, numbers: list[int], default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in numbers else default


def _blinded(data: dict, application: Application) -> dict:
    """A submitted version as a blind call's reviewer reads it: no applicant, and file answers
    under their neutral names."""
    hidden = _("Hidden for blind review")
    files = {  # a file question's label (as the version keeps it): its answer's neutral name
        q.label.get("en") or q.display_label: Answer(question=q, file="x").neutral_filename
        for q in application.call.questions.filter(kind=Question.Kind.FILE)
    }
    answers = [
        {**row, "answer": files[row["question"]]}
        if row.get("question") in files and row.get("answer")
        else row
        for row in data.get("answers", [])
    ]
    return {**data, "lead": hidden, "partners": [hidden], "answers": answers}


@permission_required("grants.view_application", obj=_application)
def application_versions(request, pk: int):
    application = request.permission_object
    versions = list(selectors.versions(application))
    by_number = {v.number: v for v in versions}
    numbers = list(by_number)
    old = new = None
    diff = []
    if versions:
        new_number = _version_number(request.GET.get("b"), numbers, numbers[-1])
        default_old = numbers[-2] if len(numbers) > 1 else numbers[-1]
        old_number = _version_number(request.GET.get("a"), numbers, default_old)
        old, new = by_number[old_number], by_number[new_number]
        old_data, new_data = old.data, new.data
        if not has_perm(request.user, "grants.see_applicant", application):
            old_data = _blinded(old_data, application)
            new_data = _blinded(new_data, application)
        diff = sorted(
            selectors.version_diff(old_data, new=new_data), key=lambda f: not f["changed"]
        )
    return render(
        request,
        "grants/applications/versions.html",
        {
            "application": application,
            "versions": versions,
            "old": old,
            "new": new,
            "diff": diff,
            "same": old is not None and old.number == new.number,
        },
    )


# --- file answers ---------------------------------------------------------------------------


def _answer_application(request, pk: int) -> Application:
    request.answer = selectors.answer_detail(pk)
    return request.answer.application


@permission_required("grants.view_application", obj=_answer_application)
def answer_file(request, pk: int):
    """The PDF of a file answer, to whoever may see the application.

    Only `grants.view_application` is asked, not `grants.see_applicant`: in a blind call the
    assigned reviewers read the file answers too, under a neutral name (the uploaded name may
    name the applicant), and a file's content may name the applicant. Calls that review blind
    should ask applicants to keep their names out of uploaded files.
    """
    answer = request.answer
    if not answer.file:
        raise Http404(_("This answer has no file."))
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    see_applicant = has_perm(request.user, "grants.see_applicant", answer.application)
    return FileResponse(
        handle,
        as_attachment=False,
        content_type="application/pdf",
        filename=answer.filename_for(see_applicant=see_applicant),
    )


urlpatterns = [
    path("applications/", my_applications, name="my-applications"),
    path("calls/<int:pk>/apply/", application_start, name="application-start"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/edit/", application_edit, name="application-edit"),
    path("applications/<int:pk>/submit/", application_submit, name="application-submit"),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application-withdraw"),
    path("applications/<int:pk>/versions/", application_versions, name="application-versions"),
    path("answers/<int:pk>/file/", answer_file, name="answer-file"),
]
