"""The decision pack as files for the board meeting: the ranking as CSV (streamed, every
typed cell formula-safe) and the whole pack as a PDF (a cover, the ranking, a short page per
proposal with its budget, its scores per criterion and the reviewers' comments)."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone

from safecities.core import csvfiles
from safecities.core.pdf import html_to_pdf
from safecities.core.permissions import permission_required

from .. import selectors


def _call(request, pk):
    return selectors.call_with_programme(pk)


@permission_required("grants.decide", obj=_call)
def decision_pack_csv(request, pk: int):
    """Every ranked proposal of the call, one row each, best first."""
    call = request.permission_object
    return csvfiles.response(
        f"decision-pack-call-{call.pk}.csv",
        selectors.CSV_HEADER,
        selectors.decision_pack_csv_rows(call),
    )


@permission_required("grants.decide", obj=_call)
def decision_pack_pdf(request, pk: int):
    """The pack for the board, drawn now: a call's proposals are a few dozen pages at most."""
    call = request.permission_object
    html = render_to_string(
        "grants/reviews/pdf/decision_pack.html",
        {
            "call": call,
            "pack": selectors.decision_pack_print(call),
            "ledger": selectors.programme_ledger(call.programme),
            "made": timezone.localdate(),
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-pack-call-{call.pk}.pdf"'
    return response


urlpatterns = [
    path("calls/<int:pk>/decision-pack.csv", decision_pack_csv, name="decision-pack-csv"),
    path("calls/<int:pk>/decision-pack.pdf", decision_pack_pdf, name="decision-pack-pdf"),
]
