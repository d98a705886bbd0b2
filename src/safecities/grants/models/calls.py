"""Programmes, their calls, and what a call scores and asks."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
from safecities.core.i18n import translated
from safecities.core.money import Money, validate_currency
from safecities.network.models import (
    Country,
    NationalProgramme,
    Organisation,
    OrganisationType,
)


def currency_validator(value: str) -> None:
    try:
        validate_currency(value)
    except ValueError as exc:
        raise ValidationError(
            _("Give the currency as an ISO 4217 code of three capital letters, e.g. NOK.")
        ) from exc


class Programme(models.Model):
    """A funder's grant programme with a budget, e.g. Gjensidigestiftelsen's 2024–2026 round."""

    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="grant_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    budget_minor = models.BigIntegerField(_("budget (minor units)"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    # Kept true by `services.refresh_programme_totals` in the transaction of every award,
    # closed grant, payment and returned payment: the ledger reads them instead of summing.
    awarded_minor = models.BigIntegerField(
        _("awarded (minor units)"),
        default=0,
        editable=False,
        help_text=_("Awards less what closed grants gave back."),
    )
    paid_minor = models.BigIntegerField(_("paid (minor units)"), default=0, editable=False)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("grant programme")
        verbose_name_plural = _("grant programmes")
        constraints = [
            models.CheckConstraint(condition=Q(budget_minor__gt=0), name="programme_budget_gt_0"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="programme_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def budget(self) -> Money:
        return Money.from_minor(self.budget_minor, self.currency)

    @property
    def years(self) -> list[int]:
        """The calendar years of the programme's period, newest first (a report each)."""
        return list(range(self.ends_on.year, self.starts_on.year - 1, -1))

    @property
    def display_description(self) -> str:
        return translated(self.description)


class Stage(models.TextChoices):
    CONCEPT = "concept", _("Concept note")
    FULL = "full", _("Full proposal")


class CallQuerySet(models.QuerySet["Call"]):
    def accepting_applications(self, *, at: datetime | None = None) -> CallQuerySet:
        """The calls `Call.accepts_applications` holds for, decided in the query: open, opened,
        and before the deadline of their first stage (concept notes, in a two-stage call)."""
        now = at or timezone.now()
        before_first_deadline = Q(stages=1, closes_at__gt=now) | Q(
            stages=2, concept_closes_at__gt=now
        )
        return self.filter(before_first_deadline, status=Call.Status.OPEN, opens_at__lte=now)


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("One value per language."))
    text = models.JSONField(_("text"), default=dict, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    min_amount_minor = models.BigIntegerField(_("smallest grant (minor units)"), default=0)
    max_amount_minor = models.BigIntegerField(_("largest grant (minor units)"))
    goals = models.ManyToManyField(
        Goal, verbose_name=_("charter goals"), related_name="grant_calls", blank=True
    )
    line = models.ForeignKey(
        "grants.ProgrammeLine",
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="calls",
        null=True,
        blank=True,
        help_text=_("The pot of the programme this call grants from; empty: the whole budget."),
    )
    requires_partnership = models.BooleanField(
        _("requires a partnership"),
        default=False,
        help_text=_("A member municipality and a civil-society organisation apply together."),
    )
    eligibility = models.JSONField(
        _("who may apply"), default=dict, blank=True, help_text=_("One value per language.")
    )
    # Who may apply, checked at submission for every party, lead and partners
    # (`selectors.submission.eligibility_problems`); empty: no limit.
    national_programme = models.ForeignKey(
        NationalProgramme,
        verbose_name=_("national programme"),
        on_delete=models.PROTECT,
        related_name="grant_calls",
        null=True,
        blank=True,
        help_text=_("Every party's city must be one of the programme's member cities."),
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="grant_calls", blank=True
    )
    organisation_types = models.JSONField(
        _("organisation types"),
        default=list,
        blank=True,
        help_text=_("The types every organisation taking part must have; empty: any type."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        default="Europe/Oslo",
        help_text=_("Opening and closing times are shown in this time zone."),
    )
    stages = models.PositiveSmallIntegerField(
        _("stages"),
        choices=[(1, _("One stage: full proposals")), (2, _("Two stages: concept note first"))],
        default=1,
    )
    concept_closes_at = models.DateTimeField(
        _("concept notes close"),
        null=True,
        blank=True,
        help_text=_("Two-stage calls only: the deadline for concept notes."),
    )
    blind_review = models.BooleanField(
        _("hide applicants from reviewers"),
        default=False,
        help_text=_("Reviewers see the project, not who applies."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Kept true by `services.refresh_call_counts` in the transaction of every write that adds
    # an application or changes its status, stage or amount: the pages read them, not count.
    received_count = models.PositiveIntegerField(
        _("applications received"), default=0, editable=False, help_text=_("Drafts not counted.")
    )
    waiting_count = models.PositiveIntegerField(
        _("full proposals waiting"), default=0, editable=False
    )
    waiting_requested_minor = models.BigIntegerField(
        _("requested by waiting proposals (minor units)"), default=0, editable=False
    )
    awarded_count = models.PositiveIntegerField(_("awarded"), default=0, editable=False)
    declined_count = models.PositiveIntegerField(_("declined"), default=0, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(min_amount_minor__gte=0)
                & Q(max_amount_minor__gt=0)
                & Q(max_amount_minor__gte=F("min_amount_minor")),
                name="call_amount_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(stages=1, concept_closes_at__isnull=True)
                | Q(
                    stages=2,
                    concept_closes_at__gt=F("opens_at"),
                    concept_closes_at__lt=F("closes_at"),
                ),
                name="call_concept_deadline_in_two_stages",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return translated(self.title) or f"call {self.pk}"

    @property
    def display_text(self) -> str:
        return translated(self.text)

    @property
    def display_eligibility(self) -> str:
        return translated(self.eligibility)

    @property
    def organisation_type_labels(self) -> list[str]:
        """The organisation types the call is open to, as people read them."""
        labels = dict(OrganisationType.choices)
        return [str(labels.get(t, t)) for t in self.organisation_types]

    @property
    def two_stage(self) -> bool:
        return self.stages == 2

    @property
    def min_amount(self) -> Money:
        return Money.from_minor(self.min_amount_minor, self.programme.currency)

    @property
    def max_amount(self) -> Money:
        return Money.from_minor(self.max_amount_minor, self.programme.currency)

    def deadline(self, stage: str) -> datetime:
        """When submissions close for an application at `stage`."""
        if stage == Stage.CONCEPT and self.concept_closes_at is not None:
            return self.concept_closes_at
        return self.closes_at

    @property
    def first_stage(self) -> str:
        """The stage a new application starts at: a concept note in a two-stage call."""
        return Stage.CONCEPT if self.two_stage else Stage.FULL

    def accepts(self, stage: str, *, at: datetime | None = None) -> bool:
        """Whether the call takes submissions at `stage` now: the one rule the services, the
        pages and the API ask (`CallQuerySet.accepting_applications` is it in a query)."""
        now = at or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.deadline(stage)

    @property
    def accepts_applications(self) -> bool:
        """Whether a new application may be started now, at the call's first stage."""
        return self.accepts(self.first_stage)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def not_yet_open(self) -> bool:
        """Open, but before its opening time."""
        return self.status == self.Status.OPEN and timezone.now() < self.opens_at

    def past_deadline(self, stage: str) -> bool:
        """Open, but past the deadline for `stage`."""
        return self.status == self.Status.OPEN and timezone.now() >= self.deadline(stage)

    @property
    def concept_notes_closed(self) -> bool:
        """A two-stage call past its concept deadline: it takes no new applications, only the
        full proposals of those invited, until it closes."""
        return (
            self.two_stage
            and self.past_deadline(Stage.CONCEPT)
            and not self.past_deadline(Stage.FULL)
        )


class Criterion(models.Model):
    """A scoring criterion of a call; reviewers score 0–5 and the weights rank the pack."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.JSONField(_("name"), default=dict, help_text=_("One value per language."))
    description = models.JSONField(_("description"), default=dict, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_1_100"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return translated(self.name) or f"criterion {self.pk}"

    @property
    def display_description(self) -> str:
        return translated(self.description)


class Question(models.Model):
    """An application question defined per call, as data: no code for a new form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")
        FILE = "file", _("File (PDF)")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    stage = models.CharField(
        _("asked in"),
        max_length=10,
        choices=Stage.choices,
        default=Stage.FULL,
        help_text=_("In two-stage calls, concept-note questions are asked first."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.JSONField(_("question"), default=dict, help_text=_("One value per language."))
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_("For choice questions: a list of {value, label: {language: text}}."),
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return translated(self.label) or f"question {self.pk}"

    @property
    def display_help(self) -> str:
        return translated(self.help_text)

    @property
    def display_choices(self) -> list[tuple[str, str]]:
        return [(c["value"], translated(c.get("label")) or c["value"]) for c in self.choices]

    def asked_at(self, stage: str) -> bool:
        """Is the question part of the form at `stage`? Concept questions stay in the full one."""
        return stage == Stage.FULL or self.stage == Stage.CONCEPT
