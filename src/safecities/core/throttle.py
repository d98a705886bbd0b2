"""Throttles: how often a mail may go to an address or a client, and how long an account whose
password was guessed wrong too often waits before the next try.

Counted in the database (`ThrottleEvent`), so every app server sees the same counts. Keys are
keyed hashes of the lower-cased e-mail address or the client address.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import ThrottleEvent

LOGIN_FAILURE = "login-failure"
RESET_ADDRESS = "reset-address"
RESET_CLIENT = "reset-client"
SIGNUP_ADDRESS = "signup-address"
WINDOW = timedelta(hours=1)
KEEP = timedelta(days=1)


def _key(value: str) -> str:
    return salted_hmac("safecities.throttle", (value or "").strip().lower()).hexdigest()


def _prune(now) -> None:
    ThrottleEvent.objects.filter(at__lt=now - KEEP).delete()


def record(bucket: str, value: str) -> None:
    now = timezone.now()
    _prune(now)
    ThrottleEvent.objects.create(bucket=bucket, key=_key(value), at=now)


def count(bucket: str, value: str, *, within: timedelta = WINDOW) -> int:
    since = timezone.now() - within
    return ThrottleEvent.objects.filter(bucket=bucket, key=_key(value), at__gte=since).count()


def allow_mail(*, bucket: str, address: str, client: str | None, per_address: int) -> bool:
    """True (and counted) if one more mail of `bucket` may go to `address` for `client` this hour."""
    if count(bucket, address) >= per_address:
        return False
    if client and count(RESET_CLIENT, client) >= settings.SAFECITIES_RESET_MAILS_PER_CLIENT:
        return False
    record(bucket, address)
    if client:
        record(RESET_CLIENT, client)
    return True


# --- failed logins: a growing wait per account -------------------------------------------------


def login_failed(username: str) -> None:
    record(LOGIN_FAILURE, username)


def login_succeeded(username: str) -> None:
    ThrottleEvent.objects.filter(bucket=LOGIN_FAILURE, key=_key(username)).delete()


def login_wait(username: str) -> int:
    """Seconds the account must wait before the next password is checked (0: none).

    The first SAFECITIES_LOGIN_FREE_FAILURES failures within a day cost nothing; after k more,
    the next try waits 2^k seconds from the last failure (capped by SAFECITIES_LOGIN_MAX_WAIT).
    """
    events = ThrottleEvent.objects.filter(
        bucket=LOGIN_FAILURE, key=_key(username), at__gte=timezone.now() - KEEP
    )
    failures = events.count()
    extra = failures - settings.SAFECITIES_LOGIN_FREE_FAILURES
    if extra < 0:
        return 0
    last = events.order_by("-at").values_list("at", flat=True).first()
    wait = min(2 ** (extra + 1), settings.SAFECITIES_LOGIN_MAX_WAIT)
    left = wait - (timezone.now() - last).total_seconds()
    return max(0, int(left + 0.999))
