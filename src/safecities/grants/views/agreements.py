"""Grant pages: the grant agreement of an award — read by the programme, the lead and the
partners; edited and sent by whoever runs the programme; accepted by the grantee's lead.

Every write goes through `grants.services`; what may be done now is asked of the rules
(`grants.permissions`) and the agreement's table (`states.AGREEMENT`).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.permissions import has_perm, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services, states
from ..forms.agreements import AgreementForm, ReportDateForm, ReportDateFormSet, report_rows
from ..models import Agreement


def _agreement(request, pk: int) -> Agreement:
    return selectors.agreement_detail(pk)


def _context(request, agreement: Agreement) -> dict:
    """What every agreement page shows, and what the person may do with it now."""
    award = agreement.award
    application = award.application
    lines = selectors.approved_lines(agreement)
    user = request.user
    runner = has_perm(user, "grants.draft_agreement", agreement)
    lead = has_perm(user, "grants.accept_agreement", agreement)
    S = Agreement.Status
    return {
        "agreement": agreement,
        "award": award,
        "application": application,
        "lines": lines,
        "totals": selectors.approved_totals(lines, currency=application.currency),
        "reports": list(award.reports.all()),
        "runner": runner,
        "may_edit": runner and states.agreement_editable(agreement),
        "may_send": runner and states.AGREEMENT.may_move(agreement, S.SENT),
        "may_reopen": runner and states.AGREEMENT.may_move(agreement, S.DRAFT),
        "may_accept": lead and states.AGREEMENT.may_move(agreement, S.ACCEPTED),
    }


@permission_required("grants.view_agreement", obj=_agreement)
def agreement(request, pk: int):
    """The agreement as it stands: terms, approved budget per line, reporting dates."""
    return render(
        request, "grants/agreements/agreement.html", _context(request, request.permission_object)
    )


@permission_required("grants.draft_agreement", obj=_agreement)
def agreement_edit(request, pk: int):
    """The draft's terms, approved amounts and reporting dates, saved together."""
    agreement = request.permission_object
    context = _context(request, agreement)
    currency = context["application"].currency
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(
        data, initial={"terms": agreement.terms}, lines=context["lines"], currency=currency
    )
    formset = ReportDateFormSet(
        data,
        prefix="reports",
        initial=[ReportDateForm.initial_for(r) for r in context["reports"]],
    )
    if data is not None and context["may_edit"] and form.is_valid() and formset.is_valid():
        with refusals(request, form) as outcome:
            services.update_agreement(
                actor=request.user,
                agreement=agreement,
                terms=form.cleaned_data["terms"],
                approved=form.approved(),
                reports=report_rows(formset),
            )
        if outcome.ok:
            messages.success(request, _("The agreement is saved."))
            return redirect("grants:agreement", pk=pk)
    return render(
        request,
        "grants/agreements/edit.html",
        {**context, "form": form, "formset": formset},
    )


@permission_required("grants.draft_agreement", obj=_agreement)
@refused_to("grants:agreement")
def agreement_send(request, pk: int):
    """What sending does (GET), then (POST) the sending."""
    agreement = request.permission_object
    return confirm(
        request,
        lambda: services.send_agreement(actor=request.user, agreement=agreement),
        done=_("The agreement is sent to the grantee."),
        template="grants/agreements/send.html",
        context=_context(request, agreement),
        then="grants:agreement",
        pk=pk,
    )


@permission_required("grants.draft_agreement", obj=_agreement)
@refused_to("grants:agreement")
def agreement_reopen(request, pk: int):
    """What taking the sent agreement back does (GET), then (POST) it."""
    agreement = request.permission_object
    return confirm(
        request,
        lambda: services.reopen_agreement(actor=request.user, agreement=agreement),
        done=_("The agreement is back to draft: edit it and send it again."),
        template="grants/agreements/reopen.html",
        context=_context(request, agreement),
        then="grants:agreement",
        pk=pk,
    )


@permission_required("grants.accept_agreement", obj=_agreement)
@refused_to("grants:agreement")
def agreement_accept(request, pk: int):
    """What accepting binds the grantee to (GET), then (POST) the acceptance."""
    agreement = request.permission_object
    return confirm(
        request,
        lambda: services.accept_agreement(actor=request.user, agreement=agreement),
        done=_("You have accepted the grant agreement."),
        template="grants/agreements/accept.html",
        context=_context(request, agreement),
        then="grants:agreement",
        pk=pk,
    )


urlpatterns = [
    path("awards/<int:pk>/agreement/", agreement, name="agreement"),
    path("awards/<int:pk>/agreement/edit/", agreement_edit, name="agreement-edit"),
    path("awards/<int:pk>/agreement/send/", agreement_send, name="agreement-send"),
    path("awards/<int:pk>/agreement/reopen/", agreement_reopen, name="agreement-reopen"),
    path("awards/<int:pk>/agreement/accept/", agreement_accept, name="agreement-accept"),
]
