"""Grants: programmes with budgets, calls, applications, awards and payments.

Every amount is stored as integer minor units (`*_minor`, BigIntegerField) in the currency of
its programme; the `Money` properties read them back. No running totals are stored: the ledger
(`selectors.programme_ledger`) is summed from awards and payments, so it always matches the rows.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.i18n import translated
from safecities.core.money import Money, validate_currency
from safecities.network.models import Municipality, Organisation


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
    requires_partnership = models.BooleanField(
        _("requires a partnership"),
        default=False,
        help_text=_("A member municipality and a civil-society organisation apply together."),
    )
    eligibility = models.JSONField(
        _("who may apply"), default=dict, blank=True, help_text=_("One value per language.")
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
        if stage == Stage.CONCEPT:
            return self.concept_closes_at
        return self.closes_at


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


_ONE_LEAD = Q(lead_municipality__isnull=False, lead_organisation__isnull=True) | Q(
    lead_municipality__isnull=True, lead_organisation__isnull=False
)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        INVITED = "invited", _("Invited to a full proposal")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")

    EDITABLE = (Status.DRAFT, Status.INVITED)

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.FULL)
    lead_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("lead municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    requested_minor = models.BigIntegerField(_("amount requested (minor units)"), default=0)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("charter goals"), related_name="grant_applications", blank=True
    )
    target_groups = models.ManyToManyField(
        Term,
        verbose_name=_("target groups"),
        related_name="grant_applications",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.TARGET_GROUP},
    )
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="grant_applications",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(condition=_ONE_LEAD, name="grant_application_one_lead"),
            models.CheckConstraint(
                condition=Q(requested_minor__gte=0), name="grant_application_requested_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "invited", "awarded", "declined"])
                | Q(submitted_at__isnull=False),
                name="grant_application_submitted_at_set",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="grant_application_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lead(self):
        return self.lead_municipality or self.lead_organisation

    @property
    def currency(self) -> str:
        return self.call.programme.currency

    @property
    def requested(self) -> Money:
        return Money.from_minor(self.requested_minor, self.currency)

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


def answer_upload_to(instance, filename: str) -> str:
    return f"grants/answers/{instance.application_id}/{instance.question_id}-{filename}"


class Answer(models.Model):
    """An application's answer to one of its call's questions."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.TextField(_("answer"), blank=True)
    file = models.FileField(_("file"), upload_to=answer_upload_to, blank=True, max_length=300)

    class Meta:
        ordering = ["question__position", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_once")
        ]

    def __str__(self) -> str:
        return self.value or self.file.name

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1].split("-", 1)[-1] if self.file else ""

    @property
    def neutral_filename(self) -> str:
        """The name a blind call's reviewers see: an uploaded file's own name may name who
        applies ("Stockholm-stad-support-letter.pdf")."""
        return f"attachment-{self.question_id}.pdf" if self.file else ""

    def filename_for(self, *, see_applicant: bool) -> str:
        return self.filename if see_applicant else self.neutral_filename


class ApplicationVersion(models.Model):
    """What an application said when it was submitted: kept, never changed, diffable."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("content"))

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class Review(models.Model):
    """A reviewer's assignment to an application, and then their scores and recommendation."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        SUBMITTED = "submitted", _("Submitted")
        CONFLICT = "conflict", _("Conflict declared")

    class Recommendation(models.TextChoices):
        FUND = "fund", _("Fund")
        FUND_WITH_CHANGES = "fund_with_changes", _("Fund with changes")
        DO_NOT_FUND = "do_not_fund", _("Do not fund")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="grant_reviews",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    conflict_reason = models.TextField(_("conflict"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_once"),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(submitted_at__isnull=False) & ~Q(recommendation="")),
                name="review_submitted_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.reviewer}"


class Score(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"))

    MAX = 5

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(value__lte=5), name="score_0_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


_ONE_PARTNER = Q(municipality__isnull=False, organisation__isnull=True) | Q(
    municipality__isnull=True, organisation__isnull=False
)


class Partner(models.Model):
    """A municipality or an organisation taking part in an application: one link for both."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="partners",
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role in the project"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(condition=_ONE_PARTNER, name="grant_partner_one_party"),
            models.UniqueConstraint(
                fields=["application", "municipality"],
                condition=Q(municipality__isnull=False),
                name="grant_partner_municipality_once",
            ),
            models.UniqueConstraint(
                fields=["application", "organisation"],
                condition=Q(organisation__isnull=False),
                name="grant_partner_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.party)

    @property
    def party(self):
        return self.municipality or self.organisation


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("item"), max_length=300)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="budget_line_amount_gt_0")
        ]

    def __str__(self) -> str:
        return self.label


class Award(models.Model):
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="award"
    )
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    conditions = models.TextField(_("conditions"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))
    released_minor = models.BigIntegerField(
        _("released back to the programme (minor units)"),
        default=0,
        help_text=_("Money not paid out when the grant was closed."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="award_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(released_minor__gte=0) & Q(released_minor__lte=F("amount_minor")),
                name="award_released_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def amount(self) -> Money:
        return Money.from_minor(self.amount_minor, self.application.currency)

    @property
    def released(self) -> Money:
        return Money.from_minor(self.released_minor, self.application.currency)

    @property
    def net(self) -> Money:
        """What the grant is worth after unspent money went back to the programme."""
        return Money.from_minor(self.amount_minor - self.released_minor, self.application.currency)


class Payment(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PAID = "paid", _("Paid")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="payments"
    )
    label = models.CharField(_("tranche"), max_length=200, blank=True)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    due_on = models.DateField(_("due"))
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled"]) | Q(paid_on__isnull=False),
                name="payment_paid_on_set",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_on__isnull=False),
                name="payment_returned_on_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} — {self.get_status_display()}"

    @property
    def amount(self) -> Money:
        return Money.from_minor(self.amount_minor, self.award.application.currency)


class GrantReport(models.Model):
    """A grantee's interim or final report: what was done, what came of it, what was spent."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="due")
    narrative = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results"), blank=True)
    spent_minor = models.BigIntegerField(_("money spent (minor units)"), null=True, blank=True)
    links = models.JSONField(
        _("practices and measures"),
        default=list,
        blank=True,
        help_text=_("Links to the practices and measures the project produced."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="due") | (Q(submitted_at__isnull=False) & Q(spent_minor__gte=0)),
                name="grant_report_submitted_complete",
            ),
            models.UniqueConstraint(
                fields=["award"], condition=Q(kind="final"), name="grant_report_one_final"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.award}"

    @property
    def spent(self) -> Money | None:
        if self.spent_minor is None:
            return None
        return Money.from_minor(self.spent_minor, self.award.application.currency)
