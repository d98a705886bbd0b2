"""Grant pages: the reports grantees owe, listed and written, and read by those who decide.

Every write goes through `grants.services`; a refusal is shown on the field it names and
changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.money import Money
from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, login_required
from safecities.core.refusals import refusals

from .. import selectors, services
from ..forms.applications import (
    LinkFormSet,
    ReportFilter,
)
from ..forms.reports import LineReportForm

# --- grantee reports ----------------------------------------------------------------------


@login_required
def reports(request):
    filters = ReportFilter(request.GET or None)
    overdue = bool(filters.is_valid() and filters.cleaned_data["overdue"])
    page, query = paginate(
        request, selectors.reports_visible_to(request.user, overdue_only=overdue)
    )
    return render(
        request,
        "grants/applications/reports.html",
        {"filters": filters, "page": page, "query": query, "today": timezone.localdate()},
    )


@login_required
def report_detail(request, pk: int):
    report = selectors.report_detail(pk)
    may_see = has_perm(request.user, "grants.report", report)
    may_decide = has_perm(request.user, "grants.decide", report)
    if not (may_see or may_decide):
        raise PermissionDenied
    # The lead and its confirmed partners write (save) a due report; only the lead submits it.
    may_report = has_perm(request.user, "grants.write_report", report)
    may_submit = has_perm(request.user, "grants.submit_report", report)
    award = report.award
    currency = award.application.currency
    form = links = None
    saving = request.method == "POST" and (not may_submit or "save" in request.POST)
    if may_report and report.is_due:
        data = request.POST if request.method == "POST" else None
        form = LineReportForm(
            data,
            currency=currency,
            award_amount=award.amount,
            lines=selectors.line_spending(award, report=report),
            results=selectors.report_results(report),
            city=award.application.lead_municipality,
            initial={
                "narrative": report.narrative,
                "results": report.results,
                "spent": report.spent.amount if report.spent is not None else None,
            },
        )
        links = LinkFormSet(data, prefix="links", initial=report.links)
        if saving:  # a saved report may be incomplete: what a submission needs is asked then
            for name in ("narrative", "spent"):
                if name in form.fields:
                    form.fields[name].required = False
        if saving and form.is_valid() and links.is_valid():
            spent = form.cleaned_data.get("spent")
            with refusals(request, form) as outcome:
                services.save_report(
                    actor=request.user,
                    report=report,
                    narrative=form.cleaned_data["narrative"],
                    results=form.cleaned_data["results"],
                    spent=Money(spent, currency) if spent is not None else None,
                    links=[row for row in links.cleaned_data if row],
                    spends=form.spends(currency),
                    indicator_results=form.indicator_results(),
                )
            if outcome.ok:
                messages.success(request, _("The report is saved. The lead submits it."))
                return redirect("grants:report", pk=report.pk)
        elif data is not None and form.is_valid() and links.is_valid():
            with refusals(request, form) as outcome:
                services.submit_report(
                    actor=request.user,
                    report=report,
                    narrative=form.cleaned_data["narrative"],
                    results=form.cleaned_data["results"],
                    spent=(
                        Money(form.cleaned_data["spent"], currency)
                        if "spent" in form.fields
                        else None
                    ),
                    spends=form.spends(currency),
                    indicator_results=form.indicator_results(),
                    links=[row for row in links.cleaned_data if row],
                )
            if outcome.ok:
                messages.success(request, _("Your report is submitted. Thank you."))
                return redirect("grants:report", pk=report.pk)
    elif request.method == "POST":
        if not may_report:
            raise PermissionDenied
        messages.info(request, _("This report is already submitted."))
        return redirect("grants:report", pk=report.pk)
    return render(
        request,
        "grants/applications/report.html",
        {
            "report": report,
            "award": award,
            "application": award.application,
            "form": form,
            "links": links,
            "overdue": report.overdue,
            "can_accept": may_decide and report.is_submitted,
            "may_submit": may_submit,
            "spending": (None if form else selectors.line_spending(award, report=report)),
            "indicator_results": None if form else selectors.report_results(report),
        },
    )


urlpatterns = [
    path("reports/", reports, name="reports"),
    path("reports/<int:pk>/", report_detail, name="report"),
]
