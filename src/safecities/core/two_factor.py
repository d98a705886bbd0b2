"""Two-factor sign-in with a TOTP app (django-otp) and single-use backup codes.

Who must use it is a permission rule, `core.require_two_factor`, declared by `network` (the
secretariat and funder officers). Anyone else may set it up; once a person has a device, every
sign-in asks for a code after the password. `TwoFactorMiddleware` holds a signed-in session that
still owes its second step to the code page (or, for a required person without a device, to
the set-up page) until it is given.
"""

import io
import secrets
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .permissions import has_perm

STEP = "_safecities_second_step"
VERIFY, SETUP = "verify", "setup"
BACKUP_CODES = 10
TOLERANCE = 1  # one 30-second step either side, for clocks a little off


def required(user) -> bool:
    return has_perm(user, "core.require_two_factor")


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_key() -> str:
    return secrets.token_hex(20)


def base32(key_hex: str) -> str:
    return b32encode(unhexlify(key_hex)).decode()


def config_url(user, key_hex: str) -> str:
    issuer = quote(settings.SITE_NAME)
    return (
        f"otpauth://totp/{issuer}:{quote(user.email)}?secret={base32(key_hex)}"
        f"&issuer={issuer}&algorithm=SHA1&digits=6&period=30"
    )


def qr_svg(data: str) -> str:
    """The QR code of `data` as inline SVG markup (no PIL needed, no style attributes)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def code_matches(key_hex: str, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    return code.isdigit() and TOTP(unhexlify(key_hex)).verify(int(code), tolerance=TOLERANCE)


@transaction.atomic
def add_device(*, actor, key_hex: str) -> tuple[TOTPDevice, list[str]]:
    """Keep the confirmed TOTP key and make fresh backup codes; returns the device and codes."""
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    device = TOTPDevice.objects.create(
        user=actor, name="app", key=key_hex, confirmed=True, tolerance=TOLERANCE
    )
    static = StaticDevice.objects.create(user=actor, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    audit.record(actor=actor, action="core.two_factor.set_up", target=actor)
    return device, codes


@transaction.atomic
def new_backup_codes(*, actor) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(
        user=actor, name="backup", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    audit.record(actor=actor, action="core.two_factor.backup_codes", target=actor)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def step_owed(user) -> str:
    """ "verify" (a code is due), "setup" (a required person without a device) or ""."""
    if has_device(user):
        return VERIFY
    return SETUP if required(user) else ""


@receiver(user_logged_in)
def _second_step_at_login(sender, request, user, **kwargs):
    """Decided once per sign-in and kept in the session, so later pages ask no query."""
    if request is not None and hasattr(request, "session"):
        request.session[STEP] = step_owed(user)


def verify(request, code: str) -> bool:
    """Check a code from the app or a backup code; on success the session is verified."""
    device = match_token(request.user, (code or "").strip().replace(" ", ""))
    if device is None:
        return False
    verify_device(request, device)
    return True


def verify_device(request, device) -> None:
    """Mark the session verified by `device` (a code given, or a device just confirmed)."""
    otp_login(request, device)
    request.session[STEP] = ""


def owes_second_step(request) -> str:
    """The step the signed-in session still owes ("verify", "setup"), or ""."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    step = request.session.get(STEP)
    if step is None:  # a session from before two-factor sign-in existed
        step = request.session[STEP] = step_owed(user)
    return step


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class TwoFactorMiddleware:
    """Until the second step is done, a signed-in session reaches only the code and set-up pages,
    logging out and the language switch; pages redirect there, the API answers 403."""

    OPEN = ("core:two-factor", "core:two-factor-setup", "core:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = owes_second_step(request)
        if step:
            open_paths = {reverse(name) for name in self.OPEN}
            path = request.path_info
            if path not in open_paths and not path.startswith(settings.STATIC_URL):
                if path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Finish signing in with your second step first.")},
                        status=403,
                    )
                target = "core:two-factor" if step == VERIFY else "core:two-factor-setup"
                return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
