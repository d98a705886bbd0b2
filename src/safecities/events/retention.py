"""The events' retention rules (see `safecities.core.retention`): participants' needs after the
event, small groups' notes after the time the group chose. Both periods are set per record."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecities.core.retention import Rule, register

from . import services
from .models import Event, Group

RULES = ("event-needs", "group-notes")


def _field_default(model, name: str) -> int:
    return model._meta.get_field(name).default


def register_rules() -> None:
    register(
        Rule(
            name="event-needs",
            description=gettext_lazy(
                "What participants tell an organiser about their needs (diet, access) is erased "
                "this long after the event ends."
            ),
            period=lambda: (
                _("%(days)d days after the event by default; each event may set its own")
                % {"days": _field_default(Event, "needs_retention_days")}
            ),
            setting="needs_retention_days",
            run=lambda now: services.erase_expired_needs(now=now),
        )
    )
    register(
        Rule(
            name="group-notes",
            description=gettext_lazy(
                "Notes written in a closed small group are deleted once they are older than the "
                "group decided to keep them."
            ),
            period=lambda: (
                _("%(days)d days by default; each group decides")
                % {"days": _field_default(Group, "notes_retention_days")}
            ),
            setting="notes_retention_days",
            run=lambda now: services.erase_expired_notes(now=now),
        )
    )
