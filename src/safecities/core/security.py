"""Middleware for what every response carries and how long a session lives.

- Content-Security-Policy and Permissions-Policy on every response (no inline script or style
  anywhere: htmx's own indicator style is switched off in base.html, scripts are static files).
- `Cache-Control: no-store` on every response to a signed-in person: their pages, downloads of
  personal data, decision PDFs and applications never stay in a shared or browser cache.
- Sessions end after SAFECITIES_SESSION_IDLE_MINUTES without a request (SESSION_COOKIE_AGE,
  refreshed at most every SAFECITIES_SESSION_REFRESH_SECONDS so a page view does not write the
  session each time) and after SAFECITIES_SESSION_MAX_HOURS in any case.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers, patch_vary_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)

SEEN = "_safecities_seen"
STARTED = "_safecities_started"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            patch_vary_headers(response, ["Cookie"])
        return response


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionLimitsMiddleware:
    """Ends sessions past their absolute age; keeps an active one alive past the idle limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(STARTED)
            if started is None:
                session[STARTED] = started = now
            if now - started > settings.SAFECITIES_SESSION_MAX_SECONDS:
                logout(request)
            elif now - session.get(SEEN, 0) > settings.SAFECITIES_SESSION_REFRESH_SECONDS:
                session[SEEN] = now  # modified: the session and its cookie get a new expiry
        return self.get_response(request)
