"""A database that stays locked is answered "try again" (503), never a server error.

SQLite lets one writer at a time; another waits up to the busy timeout (settings' `timeout`),
and past it the write fails with "database is locked". That is no fault of the request: it is
answered with 503 and `Retry-After`, as a short page or, for the API and clients asking for
JSON, as the API's error body. The middleware answers what a view raises; `server_error`
(the project's handler500) answers the same when the lock is met outside a view (e.g. saving
the session after signing in).
"""

import sys

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .error_views import server_error_page
from .errors import is_database_locked

RETRY_AFTER_SECONDS = 5


def busy_response(request):
    """503 "try again in a moment": JSON for the API, else a page."""
    message = _("The database is busy with another change. Try again in a moment.")
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        response = JsonResponse({"message": message, "field": None}, status=503)
    else:
        response = render(request, "core/busy.html", {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_locked(exception):
            return busy_response(request)
        return None


def server_error(request, *args, **kwargs):
    """The handler for uncaught errors: a locked database is a 503 (see above), else the site's
    500 page, made without the database (it may be what failed)."""
    if is_database_locked(sys.exc_info()[1]):
        return busy_response(request)
    return server_error_page()
