"""A programme's budget lines, set up by who runs it: the list with each line's ledger, adding,
changing and deleting a line, and the pot a call draws on."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.permissions import permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services
from ..forms.lines import CallLineForm, ProgrammeLineForm
from ..models import Call, ProgrammeLine


def _programme(request, slug: str, **_ignored):
    return selectors.programme_by_slug(slug)


def _call(request, pk: int) -> Call:
    return selectors.call_detail(pk)


@permission_required("grants.manage_programme", obj=_programme)
def programme_lines(request, slug: str):
    """The lines with budget, awarded, paid and left, and the form that adds one."""
    programme = request.permission_object
    form = ProgrammeLineForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            line = services.add_programme_line(
                actor=request.user, programme=programme, **form.service_kwargs()
            )
        if outcome.ok:
            messages.success(request, _("The budget line “%(name)s” is added.") % {"name": line})
            return redirect("grants:programme-lines", slug=programme.slug)
    return render(
        request,
        "grants/programmes/lines.html",
        {"programme": programme, "form": form, **selectors.lines_overview(programme)},
    )


@permission_required("grants.manage_programme", obj=_programme)
def programme_line_edit(request, slug: str, pk: int):
    programme = request.permission_object
    line = get_object_or_404(ProgrammeLine, pk=pk, programme=programme)
    form = ProgrammeLineForm(
        request.POST or None,
        programme=programme,
        initial=None if request.method == "POST" else ProgrammeLineForm.initial_for(line),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.update_programme_line(actor=request.user, line=line, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, _("The budget line is saved."))
            return redirect("grants:programme-lines", slug=programme.slug)
    return render(
        request,
        "grants/programmes/line_form.html",
        {
            "programme": programme,
            "line": line,
            "form": form,
            "awarded": selectors.line_ledger(line)["awarded"],
        },
    )


@permission_required("grants.manage_programme", obj=_call)
def call_line(request, pk: int):
    """Which pot of its programme the call grants from."""
    call = request.permission_object
    lines = selectors.grantable_lines(call.programme_id)
    form = CallLineForm(request.POST or None, lines=lines, initial={"line": call.line_id})
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.draw_call_on(actor=request.user, call=call, line=form.cleaned_data["line"])
        if outcome.ok:
            messages.success(request, _("The call's budget line is saved."))
            return redirect("grants:call", pk=call.pk)
    return render(
        request,
        "grants/programmes/call_line.html",
        {
            "call": call,
            "programme": call.programme,
            "form": form,
            "has_lines": lines.exists(),
            "locked": services.call_line_locked(call),
        },
    )


@permission_required("grants.manage_programme", obj=_programme)
@refused_to("grants:programme-lines", slug="slug")
def programme_line_delete(request, slug: str, pk: int):
    """What deleting the line does (GET), or why it cannot be deleted; then (POST) the delete."""
    programme = request.permission_object
    line = get_object_or_404(ProgrammeLine, pk=pk, programme=programme)
    return confirm(
        request,
        lambda: services.delete_programme_line(actor=request.user, line=line),
        done=_("The budget line “%(name)s” is deleted.") % {"name": line.name},
        template="grants/programmes/line_delete.html",
        context={
            "programme": programme,
            "line": line,
            "in_use": None if request.method == "POST" else services.line_in_use(line),
        },
        then="grants:programme-lines",
        slug=programme.slug,
    )


urlpatterns = [
    path("programmes/<slug:slug>/lines/", programme_lines, name="programme-lines"),
    path(
        "programmes/<slug:slug>/lines/<int:pk>/edit/",
        programme_line_edit,
        name="programme-line-edit",
    ),
    path(
        "programmes/<slug:slug>/lines/<int:pk>/delete/",
        programme_line_delete,
        name="programme-line-delete",
    ),
    path("calls/<int:pk>/line/", call_line, name="call-line"),
]
