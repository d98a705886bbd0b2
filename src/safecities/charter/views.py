from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from safecities.core.permissions import permission_required, public
from safecities.core.refusals import refusals

from . import selectors, services
from .forms import TermForm
from .models import Term, Vocabulary


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
