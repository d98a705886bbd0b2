"""Writes that belong to the platform itself: personal API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .errors import DomainError, NotAllowed
from .models import ApiToken, User

MAX_TOKENS_PER_USER = 10


class TooManyTokens(DomainError):
    field = "name"


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token; returns it with the raw value, which is never stored and shown once."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            _("Give the token a name, e.g. the script that will use it."), field="name"
        )
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_TOKENS_PER_USER:
        raise TooManyTokens(
            _("You have %(n)d active tokens; revoke one first.") % {"n": MAX_TOKENS_PER_USER}
        )
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=raw[:10], digest=ApiToken.digest_of(raw)
    )
    audit.record(
        actor=actor, action="core.token.create", target=token, changes={"name": [None, token.name]}
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise NotAllowed(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="core.token.revoke",
            target=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Marks the token used."""
    if not raw or not raw.startswith("sc_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _send_signup_mail(user: User, *, kind: str, site: str) -> None:
    """The sign-up mail: a confirmation link for a new account, a notice to a taken address."""
    import logging

    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    context = {"site": site, "user": user}
    if kind == "confirm":
        path = reverse(
            "core:signup-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context["link"] = site + path
    context["login"] = site + reverse("core:login")
    context["reset"] = site + reverse("core:password-reset")
    with translation.override(user.preferred_language or "en"):
        subject = render_to_string(f"registration/signup_{kind}_subject.txt", context).strip()
        body = render_to_string(f"registration/signup_{kind}_mail.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the account stays; signing up again sends the link again
        logging.getLogger(__name__).exception("The sign-up mail to user %s failed.", user.pk)


@transaction.atomic
def register_user(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str = "en",
    site: str | None = None,
) -> User | None:
    """A new login, waiting for its owner to follow the link mailed to the address.

    The password has passed Django's validators in the form. Whether the address was free or
    not, the caller answers the same: a taken address gets a mail telling its owner (or, for an
    account still waiting for confirmation, the link again), at most
    SAFECITIES_RESET_MAILS_PER_ADDRESS such mails an hour. Returns the new user, or None.
    """
    from django.conf import settings

    from . import throttle
    from .models import User

    site = (site or settings.SITE_URL).rstrip("/")
    email = (email or "").strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.erased_at is None and throttle.allow_mail(
            bucket=throttle.SIGNUP_ADDRESS,
            address=email,
            client=None,
            per_address=settings.SAFECITIES_RESET_MAILS_PER_ADDRESS,
        ):
            kind = "taken" if existing.is_active or existing.last_login else "confirm"
            transaction.on_commit(lambda: _send_signup_mail(existing, kind=kind, site=site))
        return None
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name.strip(),
        preferred_language=preferred_language,
        is_active=False,
    )
    audit.record(
        actor=user,
        action="core.user.register",
        target=user,
        changes={"email": [None, user.email], "full_name": [None, user.full_name]},
    )
    throttle.record(throttle.SIGNUP_ADDRESS, email)
    transaction.on_commit(lambda: _send_signup_mail(user, kind="confirm", site=site))
    return user


@transaction.atomic
def confirm_signup(*, uidb64: str, token: str) -> User | None:
    """Activate the account the sign-up link names; None if the link is wrong or spent."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    from .models import User

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.select_for_update().filter(pk=pk).first()
    if (
        user is None
        or user.is_active
        or user.erased_at
        or user.last_login
        or not default_token_generator.check_token(user, token)
    ):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(
        actor=user, action="core.user.confirm", target=user, changes={"is_active": [False, True]}
    )
    return user


# --- personal data: export and erasure (the sections are in each app's personal_data.py) ------


class LastSecretariat(DomainError):
    """The account is the last one that can run the network."""

    status = 409


def _may_manage_personal_data(actor: User | None, user: User) -> bool:
    from .permissions import has_perm

    if actor is None:  # the retention rules
        return True
    if getattr(actor, "pk", None) == user.pk:
        return True
    return has_perm(actor, "core.erase_account", user)


@transaction.atomic
def export_personal_data(*, actor: User | None, user: User) -> dict[str, Any]:
    """Everything the platform holds about `user`, per app, as JSON-able data. A closed group's
    business (`Section.export_own`) is in the person's own download only."""
    from django.utils import timezone as tz

    from . import personal_data

    if not _may_manage_personal_data(actor, user):
        raise NotAllowed(_("You may only download your own data."))
    own = getattr(actor, "pk", None) == user.pk
    sections = {}
    for section in personal_data.sections():
        sections[section.name] = section.export(user)
        if own and section.export_own:
            sections[section.name] |= section.export_own(user)
    data = {"exported_at": tz.now().isoformat(), "sections": sections}
    audit.record(actor=actor, action="core.account.export", target=user)
    return data


@transaction.atomic
def erase_account(*, actor: User | None, user: User, now: datetime | None = None) -> None:
    """Erase `user`'s personal data everywhere, keeping the network's records.

    The User row stays, anonymised (the records an award, a review or a decision keeps point at
    it); each app's section blanks contact data and replaces the person's name and e-mail
    address wherever it is stored; one audit event `core.account.erase` records the erasure
    with numbers only. Refused for the last active secretariat account.
    """
    from django.utils import timezone as tz

    from . import personal_data
    from .models import User

    if not _may_manage_personal_data(actor, user):
        raise NotAllowed(_("You may not erase this account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at:
        raise DomainError(_("This account is erased already."))
    sections = personal_data.sections()
    for section in sections:
        message = section.refuse(user) if section.refuse else None
        if message:
            raise LastSecretariat(message)
    context = personal_data.ErasureContext(actor=actor, now=now or tz.now())
    for section in sections:
        if section.identifiers:
            context.add_identifiers(section.identifiers(user))
    for section in sections:
        section.erase(user, context)
    user.email = f"erased-{user.pk}@invalid"
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = context.now
    user.save(
        update_fields=[
            "email",
            "full_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "erased_at",
        ]
    )
    event = audit.record(
        actor=actor,
        action="core.account.erase",
        target=user,
        changes={name: [n, 0] for name, n in sorted(context.counts.items())},
    )
    if getattr(actor, "pk", None) == user.pk:  # self-erasure: shown as "Erased member"
        event.actor_label = ""
        event.save(update_fields=["actor_label"])
