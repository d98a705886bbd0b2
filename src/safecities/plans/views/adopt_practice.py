"""“Adopt this practice”: a coordinator puts a practice from the knowledge bank into one of
their draft or adopted plans as a measure that names it (`plans.services.adopt_practice`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.permissions import permission_required
from safecities.core.refusals import refusals
from safecities.practices import permissions as practice_permissions
from safecities.practices import selectors as practice_selectors

from .. import selectors, services
from ..forms import AdoptPracticeForm


@permission_required("plans.manage")
def adopt_practice(request, practice_pk: int):
    practice = practice_selectors.practice_detail(practice_pk)
    if not practice.published or not practice_permissions.can_view(request.user, practice):
        raise Http404(_("No such practice."))
    plans = selectors.plans_for_adopting_practice(request.user)
    # A members-only practice lends no text to the public measure (see the service).
    public = practice_permissions.can_view(None, practice)
    form = AdoptPracticeForm(
        request.POST or None,
        plans=plans,
        # The practice page passes the title in the reader's language.
        initial={"title": request.GET.get("title", "")[:300] if public else ""},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            measure = services.adopt_practice(
                actor=request.user,
                plan=form.cleaned_data["plan"],
                practice=practice,
                title=form.cleaned_data["title"],
            )
        if outcome.ok:
            messages.success(
                request,
                _("The practice is in the plan as a measure. Add its budget, owner and period."),
            )
            return redirect("plans:measure", pk=measure.pk)
    return render(
        request,
        "plans/adopt_practice.html",
        {"form": form, "practice": practice, "has_plans": plans.exists(), "public": public},
    )


urlpatterns = [
    path("adopt-practice/<int:practice_pk>/", adopt_practice, name="adopt-practice"),
]
