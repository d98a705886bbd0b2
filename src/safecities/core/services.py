"""Writes that belong to the platform itself: personal API tokens."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .errors import DomainError, NotAllowed
from .models import ApiToken

MAX_TOKENS_PER_USER = 10


class TooManyTokens(DomainError):
    field = "name"


@transaction.atomic
def create_api_token(*, actor, name: str) -> tuple[ApiToken, str]:
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
def revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
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


def user_for_token(raw: str):
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


class EmailTaken(DomainError):
    field = "email"
    status = 409


@transaction.atomic
def register_user(*, email: str, full_name: str, password: str, preferred_language: str = "en"):
    """A new login. The password has passed Django's validators in the form."""
    from .models import User

    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken(
            _("An account with this e-mail address exists already. Log in, or reset the password.")
        )
    user = User.objects.create_user(
        email, password, full_name=full_name.strip(), preferred_language=preferred_language
    )
    audit.record(
        actor=user,
        action="core.user.register",
        target=user,
        changes={"email": [None, user.email], "full_name": [None, user.full_name]},
    )
    return user
