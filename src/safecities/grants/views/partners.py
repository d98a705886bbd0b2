"""The partners of an application: who writes which question (the lead gives and takes back,
everyone taking part sees it), and each partner's own page, confirming (or taking back) its
participation, reached only by someone acting for the partner (`grants.confirm_participation`).
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.forms import Form, Renderer
from safecities.core.permissions import has_perm, permission_required
from safecities.core.refusals import refusals

from .. import selectors, services
from ..models import Application, Partner


def _partner(request, pk: int) -> Partner:
    return selectors.partner_detail(pk)


@permission_required("grants.confirm_participation", obj=_partner)
def participation(request, pk: int):
    """GET: what the partner confirms (or takes back), and the button. POST: do it."""
    partner = request.permission_object
    application = partner.application
    if request.method == "POST":
        confirm = not partner.confirmed
        with refusals(request) as outcome:
            if confirm:
                services.confirm_participation(actor=request.user, partner=partner)
            else:
                services.withdraw_participation(actor=request.user, partner=partner)
        if outcome.ok:
            done = (
                _("%(party)s's participation is confirmed.")
                if confirm
                else _(
                    "%(party)s's confirmation is taken back: the application cannot be submitted until it confirms again."
                )
            )
            messages.success(request, done % {"party": partner.party})
        return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/applications/participation.html",
        {"partner": partner, "application": application},
    )


class WritesForm(Form):
    """One set of checkboxes per partner: the questions it writes."""

    default_renderer = Renderer()

    def __init__(self, *args, partners: list[Partner], questions: list, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(q.pk, q.display_label) for q in questions]
        asked = {q.pk for q in questions}
        self.partners = partners
        for partner in partners:
            self.fields[f"writes_{partner.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Questions %(party)s writes") % {"party": partner.party},
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[int(q) for q in partner.writes_questions if int(q) in asked],
            )

    def rows(self):
        return [(partner, self[f"writes_{partner.pk}"]) for partner in self.partners]


def _application(request, pk: int) -> Application:
    return selectors.application_detail(pk)


@permission_required("grants.take_part", obj=_application)
def application_partners(request, pk: int):
    """Who writes which question. The lead changes it while the application is editable."""
    application = request.permission_object
    partners = list(application.partners.all())
    questions = selectors.questions_asked(application)
    may_change = has_perm(request.user, "grants.apply", application) and application.editable
    form = WritesForm(
        request.POST if request.method == "POST" else None,
        partners=partners,
        questions=questions,
    )
    if request.method == "POST":
        if not may_change:
            messages.info(request, _("Only the lead applicant changes this, while it is a draft."))
            return redirect("grants:application-partners", pk=application.pk)
        if form.is_valid():
            with refusals(request, form) as outcome, transaction.atomic():
                for partner in partners:
                    services.grant_questions(
                        actor=request.user,
                        partner=partner,
                        question_ids=form.cleaned_data[f"writes_{partner.pk}"],
                    )
            if outcome.ok:
                messages.success(request, _("Who writes which question is saved."))
                return redirect("grants:application-partners", pk=application.pk)
    return render(
        request,
        "grants/applications/partners.html",
        {
            "application": application,
            "form": form,
            "partners": partners,
            "questions": questions,
            "may_change": may_change,
        },
    )


urlpatterns = [
    path("applications/<int:pk>/partners/", application_partners, name="application-partners"),
    path("partners/<int:pk>/participation/", participation, name="participation"),
]
