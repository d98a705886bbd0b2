"""Grant pages: an award and what follows it — scheduling and recording payments, accepting
reports, closing the grant.

Who may open what: the programme's funder officers and the secretariat ("runners") pay, accept
and close; the grantee follows their award. Every write goes through `grants.services`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.permissions import has_perm, login_required, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services, states
from ..forms.awards import PaidForm, PaymentForm, ReturnForm
from ..forms.fields import RefusalHolder
from ..models import GrantReport, Payment
from .changes import change_section

# --- object getters for the permission decorators ------------------------------------------


def _award(request, pk):
    return selectors.award_detail(pk)


def _report(request, pk):
    return selectors.report_detail(pk)


def _payment_award(request, pk):
    """The award a payment belongs to (the rules are asked about awards); the payment is kept
    on the request."""
    request.payment = selectors.payment_detail(pk)
    return request.payment.award


def _may_move(payment: Payment, new: str) -> bool:
    """Whether the payment may move to `new` from where it is (`states.PAYMENT`)."""
    return states.PAYMENT.may_move(payment, new)


# --- the award and its payments ------------------------------------------------------------


@login_required
def award(request, pk: int):
    """An award, its payments and its reports: for runners and for the grantees (lead and partners)."""
    award = selectors.award_detail(pk)
    runner = has_perm(request.user, "grants.decide", award)
    if not runner and not has_perm(request.user, "grants.take_part", award.application):
        raise PermissionDenied
    payments = list(award.payments.all())
    payable = states.payable(award)
    for payment in payments:
        payment.can_pay = payable and _may_move(payment, Payment.Status.PAID)
        payment.can_cancel = _may_move(payment, Payment.Status.CANCELLED)
        payment.can_return = _may_move(payment, Payment.Status.RETURNED)
    return render(
        request,
        "grants/reviews/award.html",
        {
            "award": award,
            "application": award.application,
            "runner": runner,
            "agreement": getattr(award, "agreement", None),
            "payable": payable,
            "totals": selectors.award_totals(award),
            "payments": payments,
            "reports": award.reports.all(),
            "today": timezone.localdate(),
            **change_section(request.user, award, runner=runner),
            "spending": selectors.line_spending(award),
            "results": selectors.award_results(award),
        },
    )


@permission_required("grants.decide", obj=_award)
def payment_schedule(request, pk: int):
    award = request.permission_object
    currency = award.application.currency
    totals = selectors.award_totals(award)
    form = PaymentForm(
        request.POST or None,
        currency=currency,
        initial={"amount": totals["unscheduled"].amount},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            payment = services.schedule_payment(
                award=award,
                amount=form.money(),
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
                label=form.cleaned_data["label"],
            )
        if outcome.ok:
            messages.success(
                request,
                _("A payment of %(amount)s is scheduled for %(due)s.")
                % {"amount": payment.amount, "due": payment.due_on.isoformat()},
            )
            return redirect("grants:award", pk=award.pk)
    return render(
        request,
        "grants/reviews/payment_schedule.html",
        {"award": award, "form": form, "totals": totals},
    )


def _payment_step(
    request,
    *,
    form,
    allowed: bool,
    act,
    done: str,
    title: str,
    button: str,
    happens: str,
    why_not: str = "",
):
    """A payment's confirm page (GET), saying what will happen, and its action (POST)."""
    payment = request.payment
    if request.method == "POST" and allowed and form.is_valid():
        with refusals(request, form) as outcome:
            act(payment, form.cleaned_data)
        if outcome.ok:
            messages.success(request, done)
            return redirect("grants:award", pk=payment.award_id)
    return render(
        request,
        "grants/reviews/payment_action.html",
        {
            "payment": payment,
            "award": payment.award,
            "form": form,
            "allowed": allowed,
            "title": title,
            "button": button,
            "happens": happens,
            "why_not": why_not,
        },
    )


@permission_required("grants.decide", obj=_payment_award)
def payment_paid(request, pk: int):
    payment = request.payment
    payable = states.payable(payment.award)
    return _payment_step(
        request,
        form=PaidForm(request.POST or None),
        allowed=payable and _may_move(payment, Payment.Status.PAID),
        why_not=""
        if payable
        else _(
            "The grant agreement is not accepted yet: a payment is marked paid once the grantee "
            "has accepted it."
        ),
        act=lambda p, data: services.mark_paid(
            payment=p, actor=request.user, paid_on=data["paid_on"]
        ),
        done=_("The payment of %(amount)s is marked as paid.") % {"amount": payment.amount},
        title=_("Mark the payment as paid"),
        button=_("Mark as paid"),
        happens=_(
            "%(amount)s is recorded as paid to %(lead)s on the day you give, and counts as paid "
            "in the grant and the programme's ledger. No e-mail is sent. A paid payment cannot "
            "be unpaid: if the money comes back, record a return."
        )
        % {"amount": payment.amount, "lead": payment.award.application.lead},
    )


@permission_required("grants.decide", obj=_payment_award)
def payment_return(request, pk: int):
    payment = request.payment
    return _payment_step(
        request,
        form=ReturnForm(request.POST or None),
        allowed=_may_move(payment, Payment.Status.RETURNED),
        act=lambda p, data: services.return_payment(
            payment=p, actor=request.user, returned_on=data["returned_on"]
        ),
        done=_("The return of %(amount)s is recorded; the money may be paid again.")
        % {"amount": payment.amount},
        title=_("Record a returned payment"),
        button=_("Record the return"),
        happens=_(
            "%(amount)s no longer counts as paid: it is the grant's again, to schedule and pay "
            "once more. No e-mail is sent. A return cannot be taken back."
        )
        % {"amount": payment.amount},
    )


@permission_required("grants.decide", obj=_payment_award)
def payment_cancel(request, pk: int):
    payment = request.payment
    return _payment_step(
        request,
        form=Form(request.POST if request.method == "POST" else None),
        allowed=_may_move(payment, Payment.Status.CANCELLED),
        act=lambda p, data: services.cancel_payment(payment=p, actor=request.user),
        done=_("The payment of %(amount)s is cancelled.") % {"amount": payment.amount},
        title=_("Cancel the payment"),
        button=_("Cancel this payment"),
        happens=_(
            "The payment of %(amount)s is not made; its money may be scheduled again, or goes "
            "back to the programme when the grant is closed. No e-mail is sent. A cancelled "
            "payment cannot be restored: schedule a new one instead."
        )
        % {"amount": payment.amount},
    )


@permission_required("grants.decide", obj=_report)
@refused_to("grants:report")
def report_accept(request, pk: int):
    """What accepting a report does (GET), then (POST) the acceptance."""
    report = request.permission_object
    return confirm(
        request,
        lambda: services.accept_report(actor=request.user, report=report),
        done=_("The %(kind)s is accepted.") % {"kind": report.get_kind_display().lower()},
        template="grants/reviews/report_accept.html",
        context={
            "report": report,
            "award": report.award,
            "may_accept": states.REPORT.may_move(report, GrantReport.Status.ACCEPTED),
        },
        then="grants:award",
        pk=report.award_id,
    )


@permission_required("grants.decide", obj=_award)
def award_close(request, pk: int):
    award = request.permission_object
    error = None
    if request.method == "POST":
        with refusals(request, RefusalHolder()) as outcome:
            closed = services.close_award(actor=request.user, award=award)
        if outcome.error is not None:
            error = outcome.error.message
        else:
            messages.success(
                request,
                _("The grant is closed. %(released)s went back to the programme.")
                % {"released": closed.released},
            )
            return redirect("grants:award", pk=award.pk)
    return render(
        request,
        "grants/reviews/award_close.html",
        {"award": award, "totals": selectors.award_totals(award), "error": error},
    )


urlpatterns = [
    path("awards/<int:pk>/", award, name="award"),
    path("awards/<int:pk>/payments/new/", payment_schedule, name="payment-schedule"),
    path("payments/<int:pk>/paid/", payment_paid, name="payment-paid"),
    path("payments/<int:pk>/return/", payment_return, name="payment-return"),
    path("payments/<int:pk>/cancel/", payment_cancel, name="payment-cancel"),
    path("awards/<int:pk>/close/", award_close, name="award-close"),
    path("reports/<int:pk>/accept/", report_accept, name="report-accept"),
]
