"""A page that asks before a button's action, written once for every view.

GET shows the confirmation page; POST runs the action, says it is done and sends the person on.
A service's refusal is not caught here: the view's `refused_to` shows it and sends them back.

    @refused_to("practices:detail")
    def practice_submit(request, pk):
        practice = request.permission_object
        return confirm(
            request,
            lambda: services.submit_practice(actor=request.user, practice=practice),
            done=_("The practice is submitted."),
            template="practices/submit.html",
            context={"practice": practice, "may_submit": states.submittable(practice)},
            then="practices:detail",
            pk=practice.pk,
        )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def confirm(
    request: HttpRequest,
    act: Callable[[], object],
    *,
    done: str,
    template: str,
    context: Mapping[str, Any],
    then: str,
    **url_kwargs: Any,
) -> HttpResponse:
    """On POST: `act()`, the message `done`, and a redirect to `then` (a URL name reversed with
    `url_kwargs`, or an address). Otherwise: `template` rendered with `context`, which should
    cost no queries, as it is built on POST too."""
    if request.method == "POST":
        act()
        messages.success(request, done)
        return redirect(then, **url_kwargs)
    return render(request, template, dict(context))
