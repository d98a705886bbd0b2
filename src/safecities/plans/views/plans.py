"""Plan pages: the list of plans, a city's plans, a plan, writing a draft, adopting and
archiving it, its adopted document, and the network template.

Adopted plans (and archived ones that were adopted) are public; a draft is found only by those
who manage the city's plans (`plans.permissions.can_view`), for everyone else it does not exist
(404). Every write goes through `plans.services`.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.charter import selectors as charter_selectors
from safecities.core.confirm import confirm
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, permission_required, public
from safecities.core.refusals import refusals, refused_to
from safecities.network import selectors as network_selectors

from .. import permissions, predicates, selectors, services
from ..forms import AdoptForm, PlanCreateForm, PlanEditForm, PlanFilter, TemplateSectionForm
from ..models import ActionPlan

# --- helpers -----------------------------------------------------------------------------


def _plan(request, pk: int) -> ActionPlan:
    return selectors.plan_detail(pk)


def visible_plan(request, pk: int) -> ActionPlan:
    """The plan if the user may see it; a draft is a 404 for everyone else."""
    plan = selectors.plan_detail(pk)
    if not permissions.can_view(request.user, plan):
        raise Http404(_("No such action plan."))
    return plan


# --- lists -------------------------------------------------------------------------------


@public
def plan_list(request):
    user = request.user
    form = PlanFilter(
        request.GET or None,
        cities=selectors.cities_with_plans_visible_to(user),
        statuses=permissions.findable_statuses(user),
    )
    filters = form.filters()
    page, query = paginate(request, selectors.plans_filtered(user, **filters))
    return render(
        request,
        "plans/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": any(filters[k] for k in ("country", "city", "status")),
            "may_create": has_perm(user, "plans.manage"),
            "may_edit_template": has_perm(user, "plans.edit_template"),
        },
    )


@public
def city_plans(request, slug: str):
    municipality = network_selectors.municipality_by_slug(slug)
    user = request.user if request.user.is_authenticated else None
    page, query = paginate(request, selectors.plans_of(municipality, user=user))
    return render(
        request,
        "plans/city.html",
        {
            "municipality": municipality,
            "page": page,
            "query": query,
            "adopted": selectors.adopted_plan(municipality),
            "may_create": has_perm(request.user, "plans.manage", municipality),
        },
    )


# --- a plan ------------------------------------------------------------------------------


def grant_visible(user, award) -> bool:
    """May the user open the award's page in the grants app (`grants:award`)?"""
    return has_perm(user, "grants.decide", award) or has_perm(
        user, "grants.apply", award.application
    )


@public
def plan_detail(request, pk: int):
    plan = visible_plan(request, pk)
    manages = has_perm(request.user, "plans.manage", plan)
    measures = list(selectors.plan_measures_with_progress(plan))
    for measure in measures:
        measure.grant_link = measure.grant_id and grant_visible(request.user, measure.grant)
    sections = []
    for section in plan.sections.all():
        sections.append(
            {
                "section": section,
                "measures": [
                    m for m in measures if any(g.pk == section.goal_id for g in m.goals.all())
                ],
            }
        )
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "sections": sections,
            "measures": measures,
            "manages": manages,
            "may_edit": manages and plan.editable,
            "may_add_measure": manages and predicates.measures_open(plan),
            "may_adopt": manages and predicates.may_adopt(plan),
            "may_archive": manages and predicates.may_archive(plan),
        },
    )


@public
def plan_document(request, pk: int):
    """The adopted plan's PDF, for whoever may see the plan; never served from /media/."""
    plan = visible_plan(request, pk)
    if not plan.document:
        raise Http404(_("The plan has no adopted document."))
    return FileResponse(
        plan.document.open("rb"),
        content_type="application/pdf",
        filename=f"{plan.municipality.slug}-plan-{plan.pk}.pdf",
    )


@permission_required("plans.manage")
def plan_create(request):
    municipalities = selectors.managed_municipalities(request.user)
    initial = {}
    if request.GET.get("city"):
        initial["municipality"] = municipalities.filter(slug=request.GET["city"]).first()
    form = PlanCreateForm(request.POST or None, initial=initial, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            plan = services.create_plan(actor=request.user, **form.service_kwargs())
        if outcome.ok:
            messages.success(
                request, _("The plan is saved as a draft. Write its text for each charter goal.")
            )
            return redirect("plans:edit", pk=plan.pk)
    return render(request, "plans/create.html", {"form": form})


def _guidance() -> dict[int, str]:
    """The template's guidance per goal, shown under each section of a plan being written."""
    return {s.goal_id: s.display_guidance for s in selectors.template_sections()}


@permission_required("plans.manage", obj=_plan)
def plan_edit(request, pk: int):
    plan = request.permission_object
    sections = list(plan.sections.all())
    form = None
    if plan.editable:
        if request.method == "POST":
            form = PlanEditForm(request.POST, sections=sections, guidance=_guidance())
            if form.is_valid():
                with refusals(request, form) as outcome:
                    services.update_plan(actor=request.user, plan=plan, **form.service_kwargs())
                if outcome.ok:
                    messages.success(request, _("The plan is saved."))
                    return redirect("plans:detail", pk=plan.pk)
        else:
            form = PlanEditForm(
                initial=PlanEditForm.initial_for(plan, sections),
                sections=sections,
                guidance=_guidance(),
            )
    return render(
        request,
        "plans/edit.html",
        {"plan": plan, "form": form},
    )


@permission_required("plans.manage", obj=_plan)
def plan_adopt(request, pk: int):
    """The adoption's facts and document, with a box to tick that confirms the adoption (the
    confirmation is part of the one form: an uploaded file cannot wait between two requests
    without being stored first)."""
    plan = request.permission_object
    # What stands in the way of adoption: the page lists it, the service refuses with it.
    problems = predicates.adoption_problems(plan)
    form = None
    if not problems:
        form = AdoptForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form) as outcome:
                services.adopt_plan(actor=request.user, plan=plan, **form.service_kwargs())
            if outcome.ok:
                messages.success(request, _("The plan is adopted and now public."))
                return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/adopt.html", {"plan": plan, "form": form, "problems": problems})


@permission_required("plans.manage", obj=_plan)
@refused_to("plans:detail")
def plan_archive(request, pk: int):
    """GET: what archiving means, with the button; POST: archive."""
    plan = request.permission_object
    return confirm(
        request,
        lambda: services.archive_plan(actor=request.user, plan=plan),
        done=_("The plan is archived."),
        template="plans/archive.html",
        context={"plan": plan, "may_archive": predicates.may_archive(plan)},
        then="plans:detail",
        pk=plan.pk,
    )


# --- the network template ----------------------------------------------------------------


@permission_required("plans.edit_template")
def template(request):
    sections = {s.goal_id: s for s in selectors.template_sections()}
    goals = [{"goal": g, "section": sections.get(g.pk)} for g in charter_selectors.goals()]
    return render(request, "plans/template.html", {"goals": goals})


@permission_required("plans.edit_template")
def template_section(request, code: str):
    goal = get_object_or_404(charter_selectors.goals(), code=code)
    section = selectors.template_sections().filter(goal=goal).first()
    if request.method == "POST":
        form = TemplateSectionForm(request.POST)
        if form.is_valid():
            # The service names "heading": the English heading is the one required.
            with refusals(
                request, form, on_field={"heading": "heading_en", "guidance": "guidance_en"}
            ) as outcome:
                services.save_template_section(
                    actor=request.user, goal=goal, **form.service_kwargs()
                )
            if outcome.ok:
                messages.success(request, _("The template's section is saved."))
                return redirect("plans:template")
    else:
        form = TemplateSectionForm(initial=TemplateSectionForm.initial_for(section))
    return render(
        request,
        "plans/template_section.html",
        {"goal": goal, "section": section, "form": form},
    )


urlpatterns = [
    path("", plan_list, name="list"),
    path("new/", plan_create, name="create"),
    path("template/", template, name="template"),
    path("template/<slug:code>/", template_section, name="template-section"),
    path("cities/<slug:slug>/", city_plans, name="city"),
    path("<int:pk>/", plan_detail, name="detail"),
    path("<int:pk>/edit/", plan_edit, name="edit"),
    path("<int:pk>/adopt/", plan_adopt, name="adopt"),
    path("<int:pk>/archive/", plan_archive, name="archive"),
    path("<int:pk>/document/", plan_document, name="document"),
]
