"""Where personal data lives: the registry each app fills with its part of a member's data.

Personal data on the platform is members' contact data and what they did under their name. Each
app that keeps some registers a `Section` in its `AppConfig.ready()` (the app's own
`personal_data.py`), so `core` finds it without importing the app:

- `export(user)` returns what the app holds about the user, as JSON-able data;
- `erase(user, context)` removes or anonymises it, keeping the network's records (an award
  stays, the name of whoever decided it goes);
- `identifiers(user)` (optional) gives further strings that identify the person, e.g. the name
  on their network profile, so every section can blank or scrub them;
- `refuse(user)` (optional) returns a message when the account may not be erased;
- `export_own(user)` (optional) returns what only the person's own download carries, added to
  `export(user)`: a small group's business (who is in it, the notes they wrote) never reaches
  an export the secretariat makes of someone else.

The services that use the registry are `core.services.export_personal_data` and
`core.services.erase_account`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

# What replaces a name or an e-mail address inside a longer text (audit changes, free text).
ERASED = "[erased]"
MIN_SEARCHABLE = 5


@dataclass
class ErasureContext:
    """What an erasure knows while it runs: who asked, when, and the strings to remove."""

    actor: Any
    now: datetime
    identifiers: set[str] = field(default_factory=set)
    # Per section, how many records it changed: recorded in the audit event (numbers only).
    counts: dict[str, int] = field(default_factory=dict)

    def add_identifiers(self, values: Iterable[str]) -> None:
        self.identifiers |= {v.strip() for v in values if v and v.strip()}

    @property
    def searchable(self) -> list[str]:
        """The identifiers long enough to look for inside other text: a very short name
        ("Ola") would match unrelated words; it is still blanked where a field equals it."""
        return sorted((i for i in self.identifiers if len(i) >= MIN_SEARCHABLE), key=len)

    def count(self, name: str, n: int) -> None:
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    def matches(self, value: str | None) -> bool:
        """Whether `value` is one of the identifiers (case-insensitive), e.g. a contact name."""
        return bool(value) and value.strip().lower() in {i.lower() for i in self.identifiers}

    def _pattern(self) -> re.Pattern | None:
        if not self.searchable:
            return None
        words = sorted(self.searchable, key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def scrub(self, value: Any) -> Any:
        """`value` with every identifier replaced by ERASED, inside strings, lists and dicts."""
        pattern = self._pattern()
        if pattern is None:
            return value
        return _scrub(value, pattern)

    def text_query(self, *names: str) -> Q:
        """Rows where any of the text fields `names` contains an identifier."""
        query = Q(pk__in=[])
        for name in names:
            for identifier in self.searchable:
                query |= Q(**{f"{name}__icontains": identifier})
        return query

    def scrub_text(self, model: type[models.Model], *names: str, queryset=None) -> int:
        """Replace the identifiers inside the text fields `names` of every row holding one.
        Returns how many rows changed."""
        if not self.searchable:
            return 0
        rows = (queryset if queryset is not None else model.objects.all()).filter(
            self.text_query(*names)
        )
        changed = 0
        for row in rows:
            fields = []
            for name in names:
                value = getattr(row, name)
                clean = self.scrub(value)
                if clean != value:
                    setattr(row, name, clean)
                    fields.append(name)
            if fields:
                row.save(update_fields=fields)
                changed += 1
        return changed

    def erase_audit_of(
        self, model: type[models.Model], ids: Iterable, fields: Iterable[str] | None = None
    ) -> int:
        """Blank the values in the audit trail's change records of the person's own records
        (`model` rows `ids`, e.g. their profile): a job title or a field of expertise names no
        one but is theirs all the same. Every field, and the record's label, unless `fields`
        names the only ones that are the person's. The field names and the dates stay. Returns
        how many audit events changed."""
        from .models import AuditEvent

        events = AuditEvent.objects.filter(
            target_type=model._meta.label_lower, target_id__in=[str(i) for i in ids]
        )
        only = set(fields) if fields is not None else None
        changed = 0
        for event in events:
            changes = {
                name: _blank(values) if only is None or name in only else values
                for name, values in event.changes.items()
            }
            label = ERASED if only is None else event.target_label
            if changes != event.changes or label != event.target_label:
                event.changes, event.target_label = changes, label
                event.save(update_fields=["changes", "target_label"])
                changed += 1
        return changed

    def json_query(self, name: str) -> Q:
        """Rows whose JSON field `name` holds an identifier somewhere (as stored text: SQLite
        keeps non-ASCII letters escaped, PostgreSQL does not, so both forms are asked for)."""
        query = Q(pk__in=[])
        for identifier in self.searchable:
            query |= Q(**{f"_{name}_text__icontains": identifier})
            escaped = json.dumps(identifier)[1:-1]
            if escaped != identifier:
                query |= Q(**{f"_{name}_text__icontains": escaped})
        return query

    def scrub_json(self, model: type[models.Model], name: str, queryset=None) -> int:
        """Replace the identifiers inside the JSON field `name` of every row holding one."""
        if not self.searchable:
            return 0
        rows = (
            (queryset if queryset is not None else model.objects.all())
            .annotate(**{f"_{name}_text": Cast(name, TextField())})
            .filter(self.json_query(name))
        )
        changed = 0
        for row in rows:
            value = getattr(row, name)
            clean = self.scrub(value)
            if clean != value:
                setattr(row, name, clean)
                row.save(update_fields=[name])
                changed += 1
        return changed


def _blank(value: Any) -> Any:
    """ERASED in place of every value that is not empty, keeping the shape [old, new]."""
    if isinstance(value, list | tuple):
        return [_blank(v) for v in value]
    return value if value in (None, "", [], {}) else ERASED


def _scrub(value: Any, pattern: re.Pattern) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list | tuple):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any, ErasureContext], None]
    identifiers: Callable[[Any], Iterable[str]] | None = None
    refuse: Callable[[Any], str | None] | None = None
    export_own: Callable[[Any], dict] | None = None
    # Sections erase in descending order: apps above first, core (the audit trail) last.
    order: int = 0


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.name] = section


def sections() -> list[Section]:
    """Every registered section, in the order erasure runs them (core last)."""
    return sorted(_sections.values(), key=lambda s: (-s.order, s.name))


# --- core's own part: the login, its API tokens, sessions, failed logins and the audit trail ---


def _export_core(user) -> dict:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from .models import AuditEvent

    logins = [
        {"at": log.attempt_time.isoformat(), "ip_address": log.ip_address}
        for log in AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
    ]
    failures = [
        {"at": log.attempt_time.isoformat(), "ip_address": log.ip_address}
        for model in (AccessAttempt, AccessFailureLog)
        for log in model.objects.filter(username__iexact=user.email).order_by("attempt_time")
    ]
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "active": user.is_active,
        },
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in user.api_tokens.all()
        ],
        "logins": logins,
        "failed_logins": failures,
        "actions": _actions(AuditEvent.objects.filter(actor=user, confidential=False)),
    }


def _actions(events) -> list[dict]:
    return [
        {
            "at": event.at.isoformat(),
            "action": event.action,
            "record": event.target_label,
            "record_type": event.target_type,
            "changes": event.changes,
        }
        for event in events.order_by("at", "id")
    ]


def _export_core_own(user) -> dict:
    """What the person did in closed groups: in their own download only."""
    from .models import AuditEvent

    return {
        "actions_in_closed_groups": _actions(
            AuditEvent.objects.filter(actor=user, confidential=True)
        )
    }


def _sessions_of(user, now):
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            yield session.pk


def _erase_core(user, context: ErasureContext) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import AuditEvent

    context.count("api_tokens", user.api_tokens.all().delete()[0])
    for model in (TOTPDevice, StaticDevice):  # the authenticator key and the backup codes
        context.count("two_factor_devices", model.objects.filter(user=user).delete()[0])
    sessions = Session.objects.filter(pk__in=list(_sessions_of(user, context.now)))
    context.count("sessions", sessions.delete()[0])
    emails = [i for i in context.identifiers if "@" in i]
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        query = Q(pk__in=[])
        for email in emails:
            query |= Q(username__iexact=email)
        context.count("login_records", model.objects.filter(query).delete()[0])
    # The audit trail keeps what happened, not who it was: the actor is shown as the erased
    # account ("Erased member"), names and addresses inside labels and changes are replaced.
    context.count(
        "audit_events",
        AuditEvent.objects.filter(actor=user).exclude(actor_label="").update(actor_label=""),
    )
    account = ("email", "full_name", "preferred_language")
    context.count("audit_events", context.erase_audit_of(type(user), [user.pk], account))
    context.count("audit_events", context.scrub_text(AuditEvent, "actor_label", "target_label"))
    context.count("audit_events", context.scrub_json(AuditEvent, "changes"))
    user.groups.clear()
    user.user_permissions.clear()


def _core_identifiers(user) -> list[str]:
    return [user.email, user.full_name]


def register_core() -> None:
    register(
        Section(
            name="account",
            export=_export_core,
            export_own=_export_core_own,
            erase=_erase_core,
            identifiers=_core_identifiers,
            order=-100,
        )
    )
