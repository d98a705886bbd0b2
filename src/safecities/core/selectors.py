"""Reads of the platform's own records: the audit trail, API tokens and owed mail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from .models import ApiToken, AuditEvent, OwedMail, User


def audit_events(
    *,
    q: str = "",
    action: str = "",
    target_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if q:
        # A closed group's events are never found by who did them.
        qs = qs.filter(
            Q(actor_label__icontains=q, confidential=False) | Q(target_label__icontains=q)
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def audit_target_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct())


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def active_tokens_of(user: User) -> QuerySet[ApiToken]:
    return tokens_of(user).filter(revoked_at__isnull=True)


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=(email or "").strip()).first()


def erasable_account(pk: int) -> User:
    """An account not yet erased, or a 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(User, pk=pk, erased_at__isnull=True)


# --- mail owed (the secretariat's page, `/mail/`) -------------------------------------------

MAIL_FILTERS = ("owed", "failed", "dropped", "sent")
MAIL_SORTS = {
    "since": ("created_at", "id"),
    "-since": ("-created_at", "-id"),
    "attempts": ("-attempts", "created_at", "id"),
    "last": ("-attempted_at", "-id"),
    "kind": ("kind", "created_at", "id"),
}


def owed_mails(*, status: str = "owed", sort: str = "since") -> QuerySet[OwedMail]:
    """Mails by what came of them: `owed` (every one not sent yet), `failed` (owed after at
    least one attempt that failed), `dropped`, `sent`; sorted by `MAIL_SORTS[sort]`."""
    from .models import OwedMail

    qs = OwedMail.objects.all()
    if status == "failed":
        qs = qs.filter(status=OwedMail.Status.OWED, attempts__gt=0)
    elif status in ("dropped", "sent"):
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status=OwedMail.Status.OWED)
    return qs.order_by(*MAIL_SORTS.get(sort, MAIL_SORTS["since"]))


@dataclass(frozen=True)
class MailRow:
    mail: OwedMail
    kind: str  # its kind, in words
    about: str  # the record it is about, in words ("" when the mail names none)
    url: str | None  # that record's page, if it still exists and has one


def mail_rows(mails: Iterable[OwedMail]) -> list[MailRow]:
    """The page's mails with their kind in words and a link to the record each is about: one
    query per kind of record on the page, whatever the number of mails."""
    from . import outbox

    mails = list(mails)
    wanted: dict[type[Model], set[int]] = {}
    for mail in mails:
        kind = outbox.kind_of(mail.kind)
        if kind.record is not None and mail.args:
            wanted.setdefault(kind.record, set()).add(mail.args[0])
    found: dict[type[Model], dict[Any, Model]] = {
        model: model._default_manager.in_bulk(sorted(pks)) for model, pks in wanted.items()
    }
    rows = []
    for mail in mails:
        kind = outbox.kind_of(mail.kind)
        about, url = ", ".join(str(a) for a in mail.args), None
        if kind.record is not None and mail.args:
            name = str(kind.record._meta.verbose_name)
            about = f"{name[:1].upper()}{name[1:]} {mail.args[0]}"
            record = found[kind.record].get(mail.args[0])
            if record is None:
                about = _("%(record)s (no longer exists)") % {"record": about}
            elif kind.link is not None:
                url = kind.link(record)
        rows.append(MailRow(mail=mail, kind=str(kind.label), about=about, url=url))
    return rows
