"""A partner's own page in an application: confirming (or taking back) its participation.

Only someone acting for the partner party (`grants.confirm_participation`) reaches it.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from safecities.core.permissions import permission_required
from safecities.core.refusals import refusals

from .. import selectors, services
from ..models import Partner


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


urlpatterns = [
    path("partners/<int:pk>/participation/", participation, name="participation"),
]
