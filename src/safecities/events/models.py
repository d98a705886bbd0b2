"""Events of the network (summits, workshops, exchanges, public debates), registration with a
capacity and a waiting list, attendance, and the closed small groups with their notes.

An event's title and description carry one text per language (`{"en": ..., "nb": ...}`, read
through `core.i18n.translated`). Its times are stored aware (UTC in the database) together with
the IANA time zone it happens in, which the calendar files use. The online link is shown to the
registered people only (`permissions.can_see_online_url`).

A small group's notes are under the Chatham House rule: only the group's members read them
(`selectors.notes_for`), the audit trail records that a note was written but never its text, and
the notes are erased after the number of days the group decides.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
from safecities.core.i18n import translated
from safecities.network.models import Municipality, Organisation
from safecities.practices.models import Practice


class EventType(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    STUDY_VISIT = "study_visit", _("Study visit")
    PEER_EXCHANGE = "peer_exchange", _("Peer exchange")
    CLOSED_GROUP_MEETING = "closed_group_meeting", _("Closed group meeting")
    PUBLIC_DEBATE = "public_debate", _("Public debate")


class Group(models.Model):
    """A small closed peer-learning group of invited members, meeting in a series."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        through="GroupMembership",
        related_name="event_groups",
    )
    notes_retention_days = models.PositiveIntegerField(
        _("keep notes for (days)"),
        default=365,
        help_text=_("The group decides how long its notes are kept; older notes are erased."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("small group")
        verbose_name_plural = _("small groups")

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.group})"


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members of the network")
        GROUP = "group", _("An invited group")

    Type = EventType

    type = models.CharField(_("type"), max_length=25, choices=EventType.choices)
    title = models.JSONField(_("title"), default=dict, help_text=_("One value per language."))
    description = models.JSONField(
        _("description"), default=dict, blank=True, help_text=_("One value per language.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Oslo", help_text=_("E.g. Europe/Oslo.")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, help_text=_("Shown to registered people.")
    )
    organising_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organising organisations"),
        related_name="organised_events",
        blank=True,
    )
    organising_municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("organising cities"),
        related_name="organised_events",
        blank=True,
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    invited_group = models.ForeignKey(
        Group,
        verbose_name=_("invited group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: when published.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when it starts.")
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("charter goals"), related_name="events", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    needs_retention_days = models.PositiveIntegerField(
        _("keep participants' needs for (days after the event)"), default=30
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    # What closing the event records.
    report = models.TextField(_("report"), blank=True, help_text=_("Markdown."))
    follow_ups = models.TextField(_("follow-ups"), blank=True, help_text=_("Markdown."))
    practices_presented = models.ManyToManyField(
        Practice,
        verbose_name=_("practices presented"),
        related_name="presented_at_events",
        blank=True,
    )
    attendee_count = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    attending_municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("attending cities"),
        related_name="attended_events",
        blank=True,
    )
    attending_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("attending organisations"),
        related_name="attended_events",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_events",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # The calendar reads events in their order, a page at a time.
        indexes = [models.Index(fields=["starts_at", "id"], name="event_starts_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(audience="group", invited_group__isnull=False)
                | (~Q(audience="group") & Q(invited_group__isnull=True)),
                name="event_invited_group_with_group_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return translated(self.title) or f"#{self.pk}"

    @property
    def display_description(self) -> str:
        return translated(self.description)

    @property
    def listed(self) -> bool:
        """Out of draft: published, cancelled or closed."""
        return self.status != self.Status.DRAFT

    @property
    def public(self) -> bool:
        """Listed and for everyone: anyone may read it, visitors too."""
        return self.listed and self.audience == self.Audience.PUBLIC

    @property
    def cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def closed(self) -> bool:
        """Taken place, with its report."""
        return self.status == self.Status.CLOSED


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.REGISTERED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    attended = models.BooleanField(_("attended"), default=False)
    needs = models.TextField(
        _("needs (diet, access)"),
        blank=True,
        help_text=_("Kept until a set number of days after the event, then erased."),
    )
    needs_erased_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(
        _("order of signing up"), help_text=_("The waiting list is served in this order.")
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status="registered"),
                name="registration_attended_when_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"


class GroupMeeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_meetings",
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["group", "date", "id"]
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")

    def __str__(self) -> str:
        return f"{self.group} {self.date:%Y-%m-%d}"


class GroupNote(models.Model):
    """What a member wrote down from the group. Its text never leaves the group: `str()` names
    the group only, so no label (audit trail, admin, logs) carries the text."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="notes")
    meeting = models.ForeignKey(
        GroupMeeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["group", "created_at", "id"]
        verbose_name = _("group note")
        verbose_name_plural = _("group notes")

    def __str__(self) -> str:
        return self.group.name


class FeedToken(models.Model):
    """The secret in the address of a member's private calendar feed. Only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "cal_" + secrets.token_urlsafe(32)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
