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


# --- personal data: export and erasure (the sections are in each app's personal_data.py) ------


class LastSecretariat(DomainError):
    """The account is the last one that can run the network."""

    status = 409


def _may_manage_personal_data(actor, user) -> bool:
    from .permissions import has_perm

    if actor is None:  # the retention rules
        return True
    if getattr(actor, "pk", None) == user.pk:
        return True
    return has_perm(actor, "core.erase_account", user)


@transaction.atomic
def export_personal_data(*, actor, user) -> dict:
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
def erase_account(*, actor, user, now=None) -> None:
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
