"""Measure pages: a measure with its progress and logic model; adding and changing measures,
posting progress, linking and unlinking indicators. Every write goes through `plans.services`;
a measure is seen by whoever may see its plan, changed by those who manage the city's plans.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safecities.core.permissions import has_perm, permission_required, public
from safecities.core.refusals import refusals, refused_to
from safecities.indicators import selectors as indicator_selectors

from .. import permissions, predicates, selectors, services
from ..forms import LinkIndicatorForm, MeasureForm, ProgressForm
from ..models import ActionPlan, Measure
from .plans import grant_visible


def _plan(request, pk: int) -> ActionPlan:
    return selectors.plan_detail(pk)


def _measure(request, pk: int, **kwargs) -> Measure:
    return selectors.measure_detail(pk)


def _open(measure_or_plan) -> bool:
    """Measures change while their plan is a draft or adopted; an archived plan is closed."""
    return predicates.measures_open(getattr(measure_or_plan, "plan", measure_or_plan))


def _measure_form(plan: ActionPlan, data=None, *, initial=None) -> MeasureForm:
    goals = selectors.plan_goals(plan)
    return MeasureForm(
        data,
        initial=initial,
        goals=goals.order_by("position"),
        grants=selectors.grant_choices(plan),
    )


# --- a measure ---------------------------------------------------------------------------


@public
def measure_detail(request, pk: int):
    measure = selectors.measure_detail(pk)
    plan = measure.plan
    if not permissions.can_view(request.user, plan):
        raise Http404(_("No such measure."))
    manages = has_perm(request.user, "plans.manage", measure) and _open(plan)
    links = list(measure.indicators.all())
    return render(
        request,
        "plans/measure.html",
        {
            "measure": measure,
            "plan": plan,
            "outcomes": [x for x in links if x.role == "outcome"],
            "outputs": [x for x in links if x.role == "output"],
            "updates": list(measure.progress_updates.all()),
            "grant_link": bool(measure.grant_id and grant_visible(request.user, measure.grant)),
            "manages": manages,
            "progress_form": ProgressForm(
                initial={"reported_on": timezone.localdate(), "status": measure.status}
            )
            if manages
            else None,
            "link_form": LinkIndicatorForm() if manages else None,
        },
    )


@permission_required("plans.manage", obj=_plan)
def measure_add(request, pk: int):
    plan = request.permission_object
    form = _measure_form(plan, request.POST or None) if _open(plan) else None
    if form is not None and request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            measure = services.add_measure(actor=request.user, plan=plan, **form.service_kwargs())
        if outcome.ok:
            messages.success(request, _("The measure is added."))
            return redirect("plans:measure", pk=measure.pk)
    return render(request, "plans/measure_form.html", {"plan": plan, "measure": None, "form": form})


@permission_required("plans.manage", obj=_measure)
def measure_edit(request, pk: int):
    measure = request.permission_object
    plan = measure.plan
    form = None
    if _open(plan):
        if request.method == "POST":
            form = _measure_form(plan, request.POST)
            if form.is_valid():
                with refusals(request, form) as outcome:
                    services.update_measure(
                        actor=request.user, measure=measure, **form.service_kwargs()
                    )
                if outcome.ok:
                    messages.success(request, _("The measure is saved."))
                    return redirect("plans:measure", pk=measure.pk)
        else:
            form = _measure_form(plan, initial=MeasureForm.initial_for(measure))
    return render(
        request, "plans/measure_form.html", {"plan": plan, "measure": measure, "form": form}
    )


@permission_required("plans.manage", obj=_measure)
def measure_progress(request, pk: int):
    """The progress form on its own page (it is also on the measure's page)."""
    measure = request.permission_object
    form = None
    if _open(measure):
        form = ProgressForm(
            request.POST or None,
            initial={"reported_on": timezone.localdate(), "status": measure.status},
        )
        if request.method == "POST" and form.is_valid():
            with refusals(request, form) as outcome:
                services.post_progress(actor=request.user, measure=measure, **form.service_kwargs())
            if outcome.ok:
                messages.success(request, _("The progress update is posted."))
                return redirect("plans:measure", pk=measure.pk)
    return render(
        request,
        "plans/measure_action.html",
        {
            "measure": measure,
            "plan": measure.plan,
            "form": form,
            "title": _("Post a progress update"),
            "button": _("Post the update"),
        },
    )


@permission_required("plans.manage", obj=_measure)
def measure_link(request, pk: int):
    """Name an indicator in the measure's logic model (the form is also on the measure page)."""
    measure = request.permission_object
    form = None
    if _open(measure):
        form = LinkIndicatorForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form) as outcome:
                services.link_indicator(
                    actor=request.user, measure=measure, **form.service_kwargs()
                )
            if outcome.ok:
                messages.success(request, _("The indicator is linked to the measure."))
                return redirect("plans:measure", pk=measure.pk)
    return render(
        request,
        "plans/measure_action.html",
        {
            "measure": measure,
            "plan": measure.plan,
            "form": form,
            "title": _("Link an indicator"),
            "button": _("Link the indicator"),
        },
    )


@require_POST
@permission_required("plans.manage", obj=_measure)
@refused_to("plans:measure", pk="pk")
def measure_unlink(request, pk: int, code: str):
    measure = request.permission_object
    indicator = indicator_selectors.indicator_by_code(code)
    services.unlink_indicator(actor=request.user, measure=measure, indicator=indicator)
    messages.success(
        request,
        _("The measure no longer names %(indicator)s.") % {"indicator": indicator},
    )
    return redirect("plans:measure", pk=measure.pk)


urlpatterns = [
    path("<int:pk>/measures/new/", measure_add, name="measure-add"),
    path("measures/<int:pk>/", measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", measure_edit, name="measure-edit"),
    path("measures/<int:pk>/progress/", measure_progress, name="measure-progress"),
    path("measures/<int:pk>/indicators/", measure_link, name="measure-link"),
    path("measures/<int:pk>/indicators/<slug:code>/unlink/", measure_unlink, name="measure-unlink"),
]
