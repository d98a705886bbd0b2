"""A service's refusal shown on a page, written once for every view.

A service refuses with a `DomainError`. A page shows it either on the form that was posted (on
the field the error names, when the form has it) or, for a button with no form, as a message
after which the person is sent back. Views say which with one of the two below, never with an
`except` block of their own:

    with refusals(request, form) as outcome:
        group = services.create_group(actor=request.user, data=form.cleaned_data)
    if outcome.ok:
        return redirect(...)
    return render(...)          # the form, now carrying the refusal

    @refused_to("events:detail")  # on refusal: the message, then back to the event
    def cancel(request, pk): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .errors import DomainError
from .forms import add_domain_error


class refusals:  # noqa: N801 - used as a context manager, named as the thing it catches
    """Catch a service's refusal: add it to `form` (or as a message when there is no form)."""

    def __init__(
        self,
        request: HttpRequest,
        form: forms.Form | None = None,
        *,
        on_field: dict[str, str] | None = None,
    ) -> None:
        self.request = request
        self.form = form
        self.on_field = on_field or {}
        self.error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __enter__(self) -> refusals:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if not isinstance(exc, DomainError):
            return False
        self.error = exc
        show(self.request, exc, form=self.form, on_field=self.on_field)
        return True


def show(
    request: HttpRequest,
    error: DomainError,
    *,
    form: forms.Form | None = None,
    on_field: dict[str, str] | None = None,
) -> None:
    """Show `error` on `form` (renaming its field through `on_field`) or as a message."""
    if form is None:
        messages.error(request, error.message)
        return
    field = (on_field or {}).get(error.field or "", error.field)
    if field and field in form.fields:
        form.add_error(field, error.message)
    else:
        add_domain_error(form, error)


def refused_to(
    to: str | Callable[..., str], **url_kwargs_from: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """On a refusal from the view, show the message and redirect to `to`: a URL name reversed
    with the view's own URL arguments (renamed through `url_kwargs_from`, `pk="event_pk"`), or a
    callable given the request and the view's arguments that returns the address."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except DomainError as error:
                messages.error(request, error.message)
                if callable(to):
                    return redirect(to(request, *args, **kwargs))
                names = {key: kwargs[source] for key, source in url_kwargs_from.items()}
                return redirect(to, *args, **(names or kwargs))

        return wrapped

    return decorate
