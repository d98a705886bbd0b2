"""Grants: programmes with budgets, calls, applications, awards and payments.

Every amount is stored as integer minor units (`*_minor`, BigIntegerField) in the currency of
its programme; the `Money` properties read them back. No running totals are stored: the ledger
(`selectors.programme_ledger`) is summed from awards and payments, so it always matches the rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
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
    def display_description(self) -> str:
        return translated(self.description)


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
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return translated(self.title) or f"call {self.pk}"


_ONE_LEAD = Q(lead_municipality__isnull=False, lead_organisation__isnull=True) | Q(
    lead_municipality__isnull=True, lead_organisation__isnull=False
)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
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
    requested_minor = models.BigIntegerField(_("amount requested (minor units)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="grant_applications",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
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
                condition=~Q(status__in=["submitted", "awarded", "declined"])
                | Q(submitted_at__isnull=False),
                name="grant_application_submitted_at_set",
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

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="award_amount_gt_0")
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def amount(self) -> Money:
        return Money.from_minor(self.amount_minor, self.application.currency)


class Payment(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PAID = "paid", _("Paid")
        RETURNED = "returned", _("Returned")

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="payments"
    )
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
                condition=Q(status="scheduled") | Q(paid_on__isnull=False),
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
