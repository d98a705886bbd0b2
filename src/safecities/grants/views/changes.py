"""Change request pages: the grantee's lead asks for a change to an accepted agreement (or
withdraws the request); the programme's runners decide it, seeing it against the agreement as
it stands. The award page lists the requests (`change_section`)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.permissions import has_perm, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services, states
from ..forms.changes import ChangeRequestForm, DecideChangeForm
from ..models import Award, ChangeRequest, GrantReport

CR = ChangeRequest.Status


def _award(request, pk):
    return selectors.award_detail(pk)


def _change_award(request, pk):
    """The award a change request belongs to (the rules are asked about awards); the request
    is kept on the request."""
    request.change = selectors.change_detail(pk)
    return request.change.award


def _award_page(request, pk) -> str:
    return reverse("grants:award", args=[request.change.award_id]) + "#changes-heading"


def change_section(user, award: Award, *, runner: bool) -> dict:
    """What the award page's "Changes" section shows `user`: the requests, and which of them
    they may withdraw or decide, and whether they may ask for a new one."""
    changes = selectors.change_requests(award)
    lead = has_perm(user, "grants.request_change", award)
    open_change = next((c for c in changes if states.CHANGE.may_move(c, CR.APPROVED)), None)
    for change in changes:
        change.can_withdraw = lead and states.CHANGE.may_move(change, CR.WITHDRAWN)
        change.can_decide = runner and states.CHANGE.may_move(change, CR.APPROVED)
    return {
        "changes": changes,
        "may_request_change": lead and states.may_request_change(award, open_change=open_change),
        "changes_possible": states.changes_possible(award),
    }


def _final_report(award: Award) -> GrantReport | None:
    return next((r for r in award.reports.all() if r.kind == GrantReport.Kind.FINAL), None)


def _line_rows(change, award: Award):
    return selectors.line_changes(
        change,
        lines=selectors.approved_budget_lines(award),
        spent=selectors.reported_spent(award),
        currency=award.application.currency,
    )


@permission_required("grants.request_change", obj=_award)
def change_request(request, pk: int):
    """The lead asks for a reallocation or an extension."""
    award = request.permission_object
    currency = award.application.currency
    open_change = selectors.open_change(award)
    allowed = states.may_request_change(award, open_change=open_change)
    lines = selectors.approved_budget_lines(award)
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None, lines=lines, currency=currency
    )
    if request.method == "POST" and allowed and form.is_valid():
        with refusals(request, form) as outcome:
            services.request_change(actor=request.user, award=award, **form.request())
        if outcome.ok:
            messages.success(
                request, _("Your change request is sent to the programme for its decision.")
            )
            return redirect(reverse("grants:award", args=[award.pk]) + "#changes-heading")
    rows = [
        (row, form.line_field(row.line))
        for row in selectors.line_changes(
            None, lines=lines, spent=selectors.reported_spent(award), currency=currency
        )
    ]
    return render(
        request,
        "grants/changes/request.html",
        {
            "award": award,
            "application": award.application,
            "form": form,
            "rows": rows,
            "typed_total": form.typed_total(),
            "allowed": allowed,
            "open_change": open_change,
            "changes_possible": states.changes_possible(award),
            "final_report": _final_report(award),
        },
    )


@permission_required("grants.decide", obj=_change_award)
def change_decide(request, pk: int):
    """The request against the agreement as it stands, and the runner's decision."""
    change = request.change
    award = change.award
    allowed = states.CHANGE.may_move(change, CR.APPROVED)
    form = DecideChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and allowed and form.is_valid():
        note = form.cleaned_data["note"]
        with refusals(request, form):
            if form.approves:
                services.approve_change(actor=request.user, change=change, note=note)
                done = _("The change is approved and applied to the agreement.")
            else:
                services.decline_change(actor=request.user, change=change, note=note)
                done = _("The change request is declined.")
            messages.success(request, done)
            return redirect(reverse("grants:award", args=[award.pk]) + "#changes-heading")
    return render(
        request,
        "grants/changes/decide.html",
        {
            "change": change,
            "award": award,
            "application": award.application,
            "form": form,
            "allowed": allowed,
            "rows": _line_rows(change, award),
            "final_report": _final_report(award),
        },
    )


@permission_required("grants.request_change", obj=_change_award)
@refused_to(_award_page)
def change_withdraw(request, pk: int):
    """What withdrawing does (GET), then (POST) the withdrawal."""
    change = request.change
    award = change.award
    return confirm(
        request,
        lambda: services.withdraw_change(actor=request.user, change=change),
        done=_("The change request is withdrawn."),
        template="grants/changes/withdraw.html",
        context={
            "change": change,
            "award": award,
            "application": award.application,
            "allowed": states.CHANGE.may_move(change, CR.WITHDRAWN),
            "rows": _line_rows(change, award),
            "final_report": _final_report(award),
        },
        then=_award_page(request, pk),
    )


urlpatterns = [
    path("awards/<int:pk>/changes/new/", change_request, name="change-request"),
    path("changes/<int:pk>/decide/", change_decide, name="change-decide"),
    path("changes/<int:pk>/withdraw/", change_withdraw, name="change-withdraw"),
]
