"""How long personal data is kept: the retention rules, one registry all apps add theirs to.

A rule has a name, a description for the privacy page, its period in words (read from the
setting or the records that set it) and a function that erases what is past it. `safecities
retention` runs every rule; the privacy page lists them. Apps register their rules in their
`AppConfig.ready()`; core registers the rules for accounts, login records and the records of
mail sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Rule:
    name: str
    description: str  # lazily translated: what is erased
    period: Callable[[], str]  # the period in words, in the current language
    setting: str  # the setting or the field that sets the period
    run: Callable[[datetime], int]  # erases what is past the period at `now`; returns how many


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    _rules[rule.name] = rule


def rules() -> list[Rule]:
    return [_rules[name] for name in sorted(_rules)]


def run_all(
    *, now: datetime | None = None, names: Iterable[str] | None = None
) -> list[tuple[Rule, int]]:
    """Run every rule, or those `names`; (rule, how many records it erased) for each."""
    now = now or timezone.now()
    chosen = rules() if names is None else [_rules[name] for name in names]
    return [(rule, rule.run(now)) for rule in chosen]


# --- core's rules ---------------------------------------------------------------------------


def _days(value: int) -> str:
    return _("%(days)d days") % {"days": value}


def erase_inactive_accounts(now: datetime) -> int:
    """Erase the accounts nobody has logged in to for SAFECITIES_INACTIVE_ACCOUNT_DAYS (those
    that never logged in count from when they joined). The last secretariat account is kept."""
    from django.db.models import Q

    from .errors import DomainError
    from .models import User
    from .services import erase_account

    cutoff = now - timedelta(days=settings.INACTIVE_ACCOUNT_DAYS)
    stale = User.objects.filter(erased_at__isnull=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    erased = 0
    for user in stale.order_by("pk"):
        try:
            erase_account(actor=None, user=user, now=now)
        except DomainError:
            continue  # the last secretariat account: never erased by a rule
        erased += 1
    return erased


def erase_old_login_records(now: datetime) -> int:
    """Delete django-axes' records of logins and failed logins (e-mail address, IP address)
    older than SAFECITIES_LOGIN_RECORD_DAYS."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = now - timedelta(days=settings.LOGIN_RECORD_DAYS)
    return sum(
        model.objects.filter(attempt_time__lt=cutoff).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def delete_old_mail_records(now: datetime) -> int:
    """Delete the records of mail sent or dropped more than SAFECITIES_SENT_MAIL_DAYS ago (by
    its last attempt). A mail still owed is kept however old: it is work not done yet."""
    from django.db.models import Q

    from .models import OwedMail

    cutoff = now - timedelta(days=settings.SENT_MAIL_DAYS)
    done = OwedMail.objects.filter(status__in=[OwedMail.Status.SENT, OwedMail.Status.DROPPED])
    old = done.filter(
        Q(attempted_at__lt=cutoff) | Q(attempted_at__isnull=True, created_at__lt=cutoff)
    )
    return old.delete()[0]


def register_core() -> None:
    register(
        Rule(
            name="inactive-accounts",
            description=gettext_lazy(
                "Accounts nobody has logged in to for this long are erased, as if their owner "
                "had asked: the name and e-mail address go, the network's records stay."
            ),
            period=lambda: _days(settings.INACTIVE_ACCOUNT_DAYS),
            setting="SAFECITIES_INACTIVE_ACCOUNT_DAYS",
            run=erase_inactive_accounts,
        )
    )
    register(
        Rule(
            name="login-records",
            description=gettext_lazy(
                "Records of logins and failed logins (e-mail address and IP address), kept to "
                "stop password guessing, are deleted after this long."
            ),
            period=lambda: _days(settings.LOGIN_RECORD_DAYS),
            setting="SAFECITIES_LOGIN_RECORD_DAYS",
            run=erase_old_login_records,
        )
    )
    register(
        Rule(
            name="sent-mail",
            description=gettext_lazy(
                "Records that a mail was sent or dropped (its kind and the record it was about, "
                "never its address or text) are deleted this long after it went. A mail not "
                "sent yet is kept until it is."
            ),
            period=lambda: _days(settings.SENT_MAIL_DAYS),
            setting="SAFECITIES_SENT_MAIL_DAYS",
            run=delete_old_mail_records,
        )
    )
