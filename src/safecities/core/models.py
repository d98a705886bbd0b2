import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. What the network knows about the person is their `network.Person`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the account was erased: its personal data is gone, the row stays so the network's
    # records (an award's decision, a review) keep pointing at it.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("Erased member"))
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return str(self) if self.erased_at else self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditEvent(models.Model):
    """Who did what to which record, and which fields changed. Written by services only."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("record type"), max_length=100, db_index=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=300, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    # A small group's business (docs/events.md, "The Chatham House rule"): the trail shows what
    # happened to which group, never who did it; only the person's own data export lists it.
    confidential = models.BooleanField(_("confidential"), default=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # "When did anything of these kinds last change?" (the open-data page's dates),
            # answered from the index alone.
            models.Index(fields=["target_type", "at"], name="audit_type_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "sc_" + secrets.token_urlsafe(32)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class OwedMail(models.Model):
    """A mail a business action owes someone: written in the action's own transaction, sent
    after it commits and kept until it went out, so a mail server that fails never loses it
    (see `core.outbox`). It names what to send and about which records, never an address or a
    text: the mail is written when it is sent, to whoever it concerns then."""

    class Status(models.TextChoices):
        OWED = "owed", _("owed")
        SENT = "sent", _("sent")
        DROPPED = "dropped", _("dropped")  # what it was about no longer exists

    kind = models.CharField(_("kind"), max_length=100)
    args = models.JSONField(_("about"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OWED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("owed since"), default=timezone.now)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("owed mail")
        verbose_name_plural = _("owed mails")

    def __str__(self) -> str:
        about = ", ".join(str(arg) for arg in self.args)
        return f"{self.kind}({about})"

    @property
    def owed(self) -> bool:
        """Not sent yet: it may be sent (again)."""
        return self.status == self.Status.OWED


class ThrottleEvent(models.Model):
    """One counted event (a failed login, a mail sent) for a throttle's key.

    The key is a keyed hash of the e-mail address or client address, so the table holds no
    address itself; rows older than a day are pruned as new ones arrive.
    """

    bucket = models.CharField(_("kind"), max_length=32)
    key = models.CharField(_("key"), max_length=64)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("throttle event")
        verbose_name_plural = _("throttle events")
        indexes = [models.Index(fields=["bucket", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.bucket} {self.at:%Y-%m-%d %H:%M}"
