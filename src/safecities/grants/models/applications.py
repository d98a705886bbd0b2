"""Applications: the lead, partners, budget lines, answers and submitted versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, FloatField, Func, Q
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.money import Money
from safecities.network.models import Municipality, Organisation

from .calls import Call, Question, Stage


def pack_score() -> Func:
    """The weighted score the decision pack ranks by, -1 when unscored (scores are 0–5, so -1
    sorts below them; SQLite indexes no NULLS LAST). The -1 is written into the SQL, not passed
    as a parameter, so that the query's expression is the index's and the index is used."""
    return Func(
        F("score_mean"), template="COALESCE(%(expressions)s, -1.0)", output_field=FloatField()
    )


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
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("indicators"),
        related_name="grant_applications",
        blank=True,
        help_text=_(
            "The indicators the project expects to move; its reports give results against them."
        ),
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
    # Kept true by `services.refresh_scores` in the transaction of every write that changes
    # them: over the submitted reviews, Σ score × weight, Σ weight, their number, and the
    # weighted mean (NULL before any) the decision pack ranks by.
    score_sum = models.BigIntegerField(_("Σ score × weight"), default=0, editable=False)
    weight_sum = models.BigIntegerField(_("Σ weight"), default=0, editable=False)
    finished_reviews = models.PositiveIntegerField(_("finished reviews"), default=0, editable=False)
    score_mean = models.FloatField(_("weighted score"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The decision pack's ranking (`selectors.PACK_ORDER`): best weighted score first,
            # unscored last, ties in submission order.
            models.Index(
                F("call_id"),
                F("status"),
                F("stage"),
                pack_score().desc(),
                F("submitted_at"),
                F("id"),
                name="grant_application_pack_rank",
            ),
        ]
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

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_invited(self) -> bool:
        """A concept note accepted: the applicants write the full proposal."""
        return self.status == self.Status.INVITED

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def decided(self) -> bool:
        """Awarded, declined, or (a concept note) invited to a full proposal."""
        return self.status in (self.Status.AWARDED, self.Status.DECLINED, self.Status.INVITED)


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
    # Set when someone acting for the partner party confirms that it takes part (as the role
    # says): a submission needs every partner's confirmation. Cleared when the role changes.
    confirmed_at = models.DateTimeField(_("participation confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The ids of the call's questions the lead gives this partner to write (co-writing): whoever
    # acts for the partner edits those answers while the application is editable, no others.
    writes_questions = models.JSONField(_("questions the partner writes"), default=list, blank=True)

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

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


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
    approved_minor = models.BigIntegerField(
        _("approved amount (minor units)"),
        null=True,
        blank=True,
        help_text=_("Set in the grant agreement; changed only by an approved change request."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="budget_line_amount_gt_0")
        ]

    def __str__(self) -> str:
        return self.label
