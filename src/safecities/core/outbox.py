"""Mail a business action owes, kept until it went out.

A service that owes someone a mail calls `owe(kind, *ids)` inside its transaction: an
`OwedMail` row is written with the action, so the action and the fact that a mail is owed
commit together or not at all. After the commit the mail is sent at once. When the mail server
fails, the action stays done, the failure is logged and recorded on the row (`attempts`,
`error`), and the mail stays owed: `safecities sendmail` sends every owed mail again (run it
from cron; `make run` loops it), printing one line per mail that still fails.

Apps register a sender per kind in their `AppConfig.ready()` (`register("events.place_freed",
notifications.place_freed, label=..., record=Registration, link=...)`): a function taking the
ids that renders and sends the mail in the recipient's language and raises when the server
refuses it. A sender whose records are gone (`ObjectDoesNotExist`) drops the mail: there is
nothing left to tell. The kind's `label` (translatable), the model its first id names
(`record`) and that record's page (`link(row)`) are for the secretariat's page of owed mail
(`/mail/`), which never shows a mail's text.

A sender raises `Moot` when what the mail would say is no longer so (a confirmation of a
registration cancelled since): the mail is dropped too.

A mail is sent at least once: a sender that writes to several people and fails half-way sends
to all of them again on the retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from .mail_states import MAIL
from .models import OwedMail

log = logging.getLogger("safecities.mail")

# How long a sender may take before another run may try the same mail again.
LEASE = timedelta(minutes=10)

_senders: dict[str, Callable[..., None]] = {}


@dataclass(frozen=True)
class Kind:
    """How the secretariat's page names a kind of mail and what it is about."""

    label: str  # lazily translated: "Membership application decided"
    record: type[Model] | None = None  # the model the mail's first id names
    link: Callable[[Any], str | None] | None = None  # that record's page, from its row alone


_kinds: dict[str, Kind] = {}


class Moot(Exception):
    """Raised by a sender: what the mail would tell is no longer so; nothing is sent."""


def register(
    kind: str,
    send: Callable[..., None],
    *,
    label: str | None = None,
    record: type[Model] | None = None,
    link: Callable[[Any], str | None] | None = None,
) -> None:
    _senders[kind] = send
    _kinds[kind] = Kind(label=label or kind, record=record, link=link)


def kind_of(kind: str) -> Kind:
    """The registered description of `kind`; its raw name for a kind no app registers now."""
    return _kinds.get(kind) or Kind(label=kind)


def kinds() -> list[str]:
    return sorted(_senders)


def owe(kind: str, *args: int) -> OwedMail:
    """Record that `kind` is owed about `args` (ids), and send it once the transaction commits."""
    if kind not in _senders:
        raise LookupError(f"No sender is registered for the mail {kind!r}.")
    mail = OwedMail.objects.create(kind=kind, args=list(args))
    transaction.on_commit(lambda: deliver(mail.pk))
    return mail


def one_line(exc: BaseException) -> str:
    """An error in one line: its class and message, without the traceback."""
    text = " ".join(str(exc).split())
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def describe(mail: OwedMail) -> str:
    about = ", ".join(str(arg) for arg in mail.args)
    return f"mail {mail.pk} ({mail.kind} {about})"


def deliver(mail_id: int, *, report: bool = True) -> str | None:
    """Send one owed mail. Returns None when it went out, was dropped or is another run's to
    send; else the error in one line, recorded on the row (the mail stays owed) and logged as
    a warning unless the caller `report`s it itself. Never raises: it runs after the action
    committed, and a failed mail must not look like a failed action."""
    now = timezone.now()
    claimed = (
        OwedMail.objects.filter(pk=mail_id, status=OwedMail.Status.OWED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
    )
    if not claimed:
        return None
    mail = OwedMail.objects.get(pk=mail_id)
    done = {"attempts": mail.attempts + 1, "attempted_at": now, "claimed_until": None}
    try:
        send = _senders.get(mail.kind)
        if send is None:
            raise LookupError(f"No sender is registered for the mail {mail.kind!r}.")
        send(*mail.args)
    except (ObjectDoesNotExist, Moot) as exc:
        log.info("Dropped %s: %s", describe(mail), one_line(exc))
        MAIL.move_all(
            OwedMail.objects.filter(pk=mail_id),
            OwedMail.Status.DROPPED,
            **done,
            error=one_line(exc)[:500],
        )
        return None
    except Exception as exc:  # the mail server, the network, a template: the mail stays owed
        error = one_line(exc)
        log.debug("Sending %s failed", describe(mail), exc_info=True)  # the traceback, if asked
        if report:
            log.warning("%s not sent, still owed: %s", describe(mail), error)
        OwedMail.objects.filter(pk=mail_id).update(**done, error=error[:500])
        return error
    MAIL.move_all(
        OwedMail.objects.filter(pk=mail_id),
        OwedMail.Status.SENT,
        **done,
        sent_at=timezone.now(),
        error="",
    )
    return None


@dataclass
class Run:
    sent: int = 0
    failed: list[str] = field(default_factory=list)  # one line per mail still owed
    left: int = 0  # mails not tried because the run's time was up


def deliver_owed(*, kinds: list[str] | None = None, seconds: float | None = None) -> Run:
    """Send every owed mail (of `kinds`), oldest first; one failure does not stop the others.
    With `seconds`, stop trying once that much time has passed (`left` counts the rest)."""
    owed = OwedMail.objects.filter(status=OwedMail.Status.OWED)
    if kinds is not None:
        owed = owed.filter(kind__in=kinds)
    run = Run()
    deadline = None if seconds is None else time.monotonic() + seconds
    for mail in owed.order_by("created_at", "pk").iterator():
        if deadline is not None and time.monotonic() > deadline:
            run.left += 1
            continue
        error = deliver(mail.pk, report=False)
        if error is not None:
            run.failed.append(f"{describe(mail)} not sent: {error}")
        elif OwedMail.objects.filter(pk=mail.pk, status=OwedMail.Status.SENT).exists():
            run.sent += 1
    return run


def owed_count() -> int:
    return OwedMail.objects.filter(status=OwedMail.Status.OWED).count()


# --- the secretariat sends owed mail again from its page (`/mail/`) --------------------------

# How long "Send all owed now" may try before it leaves the rest to `safecities sendmail`, so a
# mail server that answers slowly never holds a page past the web server's timeout.
SEND_ALL_SECONDS = 20.0


@dataclass(frozen=True)
class Outcome:
    # what came of it: "sent", "dropped", "owed" (failed again), "busy" (another run is
    # sending it), "done" (no longer owed)
    result: str
    error: str = ""  # the error in one line, when it failed again


def send_again(mail: OwedMail) -> Outcome:
    """Send one owed mail now, as `safecities sendmail` does (`deliver`), and say what came of
    it: "sent", "dropped", "owed" with the error when it failed again, "busy" when another run
    holds it, "done" when it was no longer owed (sent or dropped since)."""
    if not mail.owed:
        return Outcome("done")
    before = mail.attempts
    error = deliver(mail.pk, report=False)
    mail.refresh_from_db()
    if error is not None:
        return Outcome("owed", error)
    if mail.attempts == before:  # not tried by us: another run holds it, or finished it
        return Outcome("busy" if mail.owed else "done")
    return Outcome(str(mail.status), mail.error)


def send_all_again() -> Run:
    """Send every owed mail now, oldest first, as `safecities sendmail` does, for at most
    SEND_ALL_SECONDS; what is left stays owed for the next run."""
    return deliver_owed(seconds=SEND_ALL_SECONDS)
