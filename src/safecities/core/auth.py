"""Login hardening helpers: the client's address, the login name, the per-account wait."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext

from . import throttle


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind SAFECITIES_TRUSTED_PROXY_COUNT proxies, the
    address the outermost trusted proxy appended to X-Forwarded-For.

    Entries left of that one are whatever the client sent and are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.SAFECITIES_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    if len(chain) < proxies:
        return remote
    return chain[-proxies]


def axes_username(request, credentials=None) -> str | None:
    """The login name django-axes counts failures against: the e-mail address, lower-cased."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("username") or data.get("email")
    return name.strip().lower() if name else None


class LoginForm(AuthenticationForm):
    """Django's login form, refusing an account that must wait before another try.

    The wait is asked before the password is checked, so a guesser spread over many addresses
    gets no answer either; the real owner can reset the password meanwhile.
    """

    wait = 0  # seconds the account must wait, when the form was refused for that

    def clean(self):
        name = (self.cleaned_data.get("username") or "").strip().lower()
        if name:
            self.wait = throttle.login_wait(name)
            if self.wait:
                raise forms.ValidationError(
                    ngettext(
                        "Too many failed attempts for this account. Try again in %(n)d second, "
                        "or reset your password.",
                        "Too many failed attempts for this account. Try again in %(n)d seconds, "
                        "or reset your password.",
                        self.wait,
                    )
                    % {"n": self.wait},
                    code="wait",
                )
        try:
            data = super().clean()
        except forms.ValidationError:
            if name:
                throttle.login_failed(name)
            raise
        throttle.login_succeeded(name)
        return data
