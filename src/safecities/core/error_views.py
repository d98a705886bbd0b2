"""The pages a person meets when something fails: an expired form (CSRF), a server error, and
the site's icon asked for at `/favicon.ico`.

403 and 404 need no view of ours: Django's own handlers render `403.html` and `404.html` with
the request, so they extend `base.html`. Its 500 handler renders `500.html` with an empty
context; ours does the same, adding only the site's name from settings, so the page needs no
context processor and no database (see `core.middleware.server_error`).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static

from .permissions import public


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: a form sent with an expired or missing token (the session ended,
    the page was open too long, cookies are blocked). The person goes back, reloads and sends
    again; nothing was changed. `reason` is for logs (Django logs it), not for the page."""
    return render(request, "core/csrf_failure.html", status=403)


def server_error_page() -> HttpResponse:
    """The 500 page, made without the request: no context processor, no database query."""
    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)


@public
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the SVG icon."""
    response = HttpResponseRedirect(static("safecities/favicon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response
