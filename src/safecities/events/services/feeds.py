"""The secret addresses of the members' private calendar feeds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit
from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import User

from ..models import FeedToken
from ._shared import Actor


@transaction.atomic
def create_feed_token(*, actor: Actor) -> tuple[FeedToken, str]:
    """A secret address for the actor's private feed. Returns (token, raw): the raw token is
    shown once, only its hash is kept."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise NotAllowed(_("Sign in to have a private calendar."), field="token")
    raw = FeedToken.generate()
    token = FeedToken.objects.create(user=actor, prefix=raw[:10], digest=FeedToken.digest_of(raw))
    audit.record(
        actor=actor,
        action="events.feed_token.create",
        target=token,
        changes={"prefix": [None, token.prefix]},
    )
    return token, raw


@transaction.atomic
def revoke_feed_token(*, actor: Actor, token: FeedToken) -> FeedToken:
    if token.user_id != getattr(actor, "pk", None):
        raise NotAllowed(_("This is not your calendar address."), field="token")
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise InvalidInput(_("This calendar address is revoked already."), field="token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="events.feed_token.revoke",
        target=token,
        changes={"revoked_at": [None, token.revoked_at]},
    )
    return token
