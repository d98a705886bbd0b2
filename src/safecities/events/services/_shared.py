"""What the events' services share: the actor's type, the event's lock, the audit fields."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from safecities.core.models import User

from ..inputs import SCALAR_FIELDS
from ..models import Event

Actor: TypeAlias = User | AnonymousUser
AUDIT_FIELDS = [*SCALAR_FIELDS, "status"]


def locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def user_or_none(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None
