from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from safecities.core.permissions import permission_required, public
from safecities.core.refusals import refusals

from . import selectors, services
from .forms import CharterVersionForm, GoalForm, TermForm
from .models import CharterVersion, Goal, Term, Vocabulary


@public
def charter(request):
    return render(
        request,
        "charter/charter.html",
        {"goals": selectors.goals(), "versions": selectors.versions()},
    )


@permission_required("charter.edit_vocabulary")
def vocabularies(request):
    terms = selectors.terms()
    grouped = [
        (value, label, [t for t in terms if t.vocabulary == value])
        for value, label in Vocabulary.choices
    ]
    return render(request, "charter/vocabularies.html", {"vocabularies": grouped})


def _term_form(request, *, vocabulary: str, term: Term | None):
    form = TermForm(request.POST or None, initial=TermForm.initial_for(term) if term else None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.save_term(
                actor=request.user,
                vocabulary=vocabulary,
                code=form.cleaned_data["code"],
                label=form.labels(),
                active=form.cleaned_data["active"],
                term=term,
            )
        if outcome.ok:
            messages.success(request, _("The term is saved."))
            return redirect("charter:vocabularies")
    return render(
        request,
        "charter/term_form.html",
        {"form": form, "term": term, "vocabulary": Vocabulary(vocabulary)},
    )


@permission_required("charter.edit_vocabulary")
def term_create(request, vocabulary: str):
    if vocabulary not in Vocabulary.values:
        raise Http404
    return _term_form(request, vocabulary=vocabulary, term=None)


@permission_required("charter.edit_vocabulary")
def term_edit(request, pk: int):
    term = get_object_or_404(Term, pk=pk)
    return _term_form(request, vocabulary=term.vocabulary, term=term)


# --- the secretariat's set-up of the charter: versions and goals ------------------------------


@permission_required("charter.edit_vocabulary")
def setup(request):
    return render(
        request,
        "charter/setup.html",
        {"goals": selectors.goals(), "versions": selectors.versions()},
    )


def _setup_form(request, *, form_class, record, service, saved: str, template: str, key: str):
    initial = form_class.initial_for(record) if record and request.method != "POST" else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            service(actor=request.user, **{key: record}, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, saved)
            return redirect("charter:setup")
    return render(request, template, {"form": form, "record": record})


@permission_required("charter.edit_vocabulary")
def goal_form(request, pk: int | None = None):
    return _setup_form(
        request,
        form_class=GoalForm,
        record=get_object_or_404(Goal, pk=pk) if pk else None,
        service=services.save_goal,
        saved=_("The goal is saved."),
        template="charter/goal_form.html",
        key="goal",
    )


@permission_required("charter.edit_vocabulary")
def version_form(request, pk: int | None = None):
    return _setup_form(
        request,
        form_class=CharterVersionForm,
        record=get_object_or_404(CharterVersion, pk=pk) if pk else None,
        service=services.save_charter_version,
        saved=_("The charter version is saved."),
        template="charter/version_form.html",
        key="charter_version",
    )
