from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safecities.core.confirm import confirm
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, login_required, permission_required, public
from safecities.core.refusals import refusals, refused_to
from safecities.core.selectors import active_tokens_of, user_by_email

from . import selectors, services, states
from .forms import (
    CityApplicationForm,
    DirectoryFilter,
    IndividualApplicationForm,
    OrganisationApplicationForm,
    OrganisationForm,
    PeopleFilter,
    ProfileForm,
    ReasonForm,
    RoleFilter,
    RoleForm,
)
from .models import (
    Membership,
    MembershipApplication,
    NationalProgramme,
    Organisation,
    RoleAssignment,
)


@public
def home(request):
    return render(
        request,
        "network/home.html",
        {"figures": selectors.network_figures(), "programmes": selectors.programmes()},
    )


@public
def directory(request):
    form = DirectoryFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_directory(**{k: v for k, v in filters.items() if v})
    page, query = paginate(request, members)
    groups = selectors.by_country(memberships=page.object_list)
    context = {"form": form, "page": page, "query": query, "groups": groups}
    return render(request, "network/directory.html", context)


@public
def people(request):
    form = PeopleFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page, query = paginate(
        request, selectors.people_directory(**{k: v for k, v in filters.items() if v})
    )
    return render(request, "network/people.html", {"form": form, "page": page, "query": query})


def _profile(request, member_profile, slug: str, *, name: str):
    """A member's public profile page, `name` being "municipality" or "organisation"."""
    try:
        member = member_profile(slug)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        f"network/{name}.html",
        {name: member, "can_manage": has_perm(request.user, f"network.manage_{name}", member)},
    )


@public
def municipality_detail(request, slug: str):
    return _profile(request, selectors.municipality_profile, slug, name="municipality")


@public
def organisation_detail(request, slug: str):
    return _profile(request, selectors.organisation_profile, slug, name="organisation")


def _organisation(request, slug):
    return get_object_or_404(Organisation, slug=slug)


@permission_required("network.manage_organisation", obj=_organisation)
def organisation_edit(request, slug: str):
    organisation = request.permission_object
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.update_organisation(
                actor=request.user,
                organisation=Organisation.objects.get(pk=organisation.pk),
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        if outcome.ok:
            messages.success(request, _("The organisation is saved."))
            return redirect("network:organisation", slug=organisation.slug)
    return render(
        request, "network/organisation_form.html", {"form": form, "organisation": organisation}
    )


@public
def programmes(request):
    return render(request, "network/programmes.html", {"programmes": selectors.programmes()})


@public
def programme_detail(request, slug: str):
    try:
        programme = selectors.programme_detail(slug)
    except NationalProgramme.DoesNotExist as exc:
        raise Http404 from exc
    may_edit = has_perm(request.user, "network.secretariat")
    return render(request, "network/programme.html", {"programme": programme, "may_edit": may_edit})


@public
def apply(request):
    return render(
        request,
        "network/apply.html",
        {
            "can_apply_for_city": has_perm(request.user, "network.apply_for_city"),
        },
    )


def _submit(request, form, service, *, title: str):
    """Validate the application form, call the service with its data, show refusals on it."""
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            application = service(actor=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(
                request, _("Your application is submitted. The secretariat will decide on it.")
            )
            return redirect("network:application-detail", pk=application.pk)
    return render(request, "network/apply_form.html", {"form": form, "title": title})


@permission_required("network.apply_for_city")
def apply_city(request):
    form = CityApplicationForm(
        request.POST or None,
        request.FILES or None,
        municipalities=selectors.municipalities_for_application(request.user),
        initial={"contact_name": request.user.full_name, "contact_email": request.user.email},
    )
    return _submit(
        request,
        form,
        services.submit_city_application,
        title=_("Apply for a city"),
    )


def _apply_for_organisation(*, actor, organisation=None, **data):
    """An existing organisation applies, or a new one is registered and applies in one step."""
    new = {k: data.pop(k) for k in ("name", "type", "country", "org_id_number", "website")}
    if organisation is not None:
        return services.submit_organisation_application(
            actor=actor, organisation=organisation, **data
        )
    return services.apply_for_new_organisation(
        actor=actor,
        name=new["name"],
        type=new["type"],
        country=selectors.countries().get(code=new["country"]),
        org_id_number=new["org_id_number"],
        website=new["website"],
        **data,
    )


@login_required
def apply_organisation(request):
    form = OrganisationApplicationForm(
        request.POST or None,
        organisations=selectors.organisations_for_application(request.user),
        initial={"contact_name": request.user.full_name, "contact_email": request.user.email},
    )
    return _submit(
        request,
        form,
        _apply_for_organisation,
        title=_("Apply for an organisation"),
    )


@login_required
def apply_individual(request):
    person = selectors.person_for(request.user)
    form = IndividualApplicationForm(
        request.POST or None,
        instance=person,
        initial={"full_name": request.user.full_name} if person is None else None,
    )
    return _submit(
        request,
        form,
        services.submit_individual_application,
        title=_("Apply as an individual"),
    )


@login_required
def applications(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    page, query = paginate(
        request, selectors.applications_visible_to(request.user, status=status, kind=kind)
    )
    return render(
        request,
        "network/applications.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "kind": kind,
            "statuses": MembershipApplication.Status.choices,
            "can_decide": has_perm(request.user, "network.decide_application"),
        },
    )


def _application(request, pk):
    try:
        return selectors.application_detail(pk)
    except MembershipApplication.DoesNotExist as exc:
        raise Http404 from exc


def _application_page(request, application):
    """The application with what the user may do to it now: decide, or withdraw it."""
    open_ = states.awaits_decision(application)
    return render(
        request,
        "network/application.html",
        {
            "application": application,
            "status_tone": states.APPLICATION.tone(application.status),
            "may_decide": open_
            and has_perm(request.user, "network.decide_application", application),
            "can_withdraw": open_
            and has_perm(request.user, "network.withdraw_application", application),
        },
    )


@permission_required("network.view_application", obj=_application)
def application_detail(request, pk: int):
    return _application_page(request, request.permission_object)


@permission_required("network.view_application", obj=_application)
def application_document(request, pk: int):
    application = request.permission_object
    if not application.decision_document:
        raise Http404
    return FileResponse(
        application.decision_document.open("rb"),
        content_type="application/pdf",
        filename=f"{application.case_slug}.pdf",
    )


@permission_required("network.decide_application", obj=_application)
@refused_to("network:application-detail")
def application_approve(request, pk: int):
    """What approving does, then (POST) the approval."""
    application = request.permission_object
    return confirm(
        request,
        lambda: services.approve_application(actor=request.user, application=application),
        done=_("Approved: %(member)s is now a member.") % {"member": application.applicant},
        template="network/application_approve.html",
        context={
            "application": application,
            "open": states.awaits_decision(application),
            "role": services.role_on_approval(application),
        },
        then="network:application-detail",
        pk=application.pk,
    )


@permission_required("network.decide_application", obj=_application)
def application_decline(request, pk: int):
    """What declining does and the reason for it (GET), then (POST) the decline; a missing
    reason is named on its field, the typed text kept and nothing changed."""
    application = request.permission_object
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.decline_application(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(request, _("The application is declined and the applicant is told."))
            return redirect("network:application-detail", pk=application.pk)
    return render(
        request,
        "network/application_decline.html",
        {"application": application, "form": form, "open": states.awaits_decision(application)},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("network.withdraw_application", obj=_application)
def application_withdraw(request, pk: int):
    application = request.permission_object
    with refusals(request) as outcome:
        services.withdraw_application(actor=request.user, application=application)
    if outcome.ok:
        messages.success(request, _("The application is withdrawn."))
    return redirect("network:application-detail", pk=application.pk)


def _membership(request, pk):
    return get_object_or_404(
        Membership.objects.select_related("municipality", "organisation", "person"), pk=pk
    )


@permission_required("network.end_membership", obj=_membership)
def membership_end(request, pk: int):
    membership = request.permission_object
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.end_membership(
                actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(request, _("The membership has ended. Its history is kept."))
            return redirect("network:profile")
    return render(request, "network/membership_end.html", {"form": form, "membership": membership})


@login_required
def profile(request):
    person = selectors.person_for(request.user)
    form = ProfileForm(
        request.POST or None,
        instance=person,
        initial={"full_name": request.user.full_name} if person is None else None,
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.save_profile(actor=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Your profile is saved."))
            return redirect("network:profile")
    return render(
        request,
        "network/profile.html",
        {
            "form": form,
            "person": person,
            "memberships": selectors.memberships_of_user(request.user),
            "applications": selectors.applications_visible_to(request.user)[:10],
            "tokens": active_tokens_of(request.user),
        },
    )


@permission_required("network.secretariat")
def roles(request):
    """The secretariat gives users their roles: coordinators, contacts, reviewers, officers."""
    filters = RoleFilter(request.GET or None)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_by_email(form.cleaned_data["email"])
        if user is None:
            form.add_error(
                "email",
                _("No account uses this e-mail address. Ask the person to create one first."),
            )
        else:
            with refusals(request, form) as outcome:
                services.assign_role(
                    actor=request.user,
                    user=user,
                    role=form.cleaned_data["role"],
                    municipality=form.cleaned_data["municipality"],
                    organisation=form.cleaned_data["organisation"],
                )
            if outcome.ok:
                messages.success(request, _("The role is given."))
                return redirect("network:roles")
    data = filters.cleaned_data if filters.is_valid() else {}
    page, query = paginate(
        request, selectors.role_assignments(**{k: v for k, v in data.items() if v})
    )
    return render(
        request,
        "network/roles.html",
        {"filters": filters, "form": form, "page": page, "query": query},
    )


def _assignment(request, pk):
    return get_object_or_404(
        RoleAssignment.objects.select_related("user", "municipality", "organisation"), pk=pk
    )


@permission_required("network.secretariat")
@refused_to(lambda request, pk: reverse("network:roles"))
def role_revoke(request, pk: int):
    assignment = _assignment(request, pk)
    return confirm(
        request,
        lambda: services.revoke_role(actor=request.user, assignment=assignment),
        done=_("The role is taken back."),
        template="network/role_revoke.html",
        context={"assignment": assignment},
        then="network:roles",
    )
