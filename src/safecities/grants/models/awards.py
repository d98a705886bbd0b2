"""Awards, the payments that release them and the reports grantees owe."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecities.core.money import Money

from .applications import Application


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

    @property
    def is_due(self) -> bool:
        """Not submitted yet (or sent back to the grantee for more)."""
        return self.status == self.Status.DUE

    @property
    def is_submitted(self) -> bool:
        """Submitted and waiting for the programme to accept it."""
        return self.status == self.Status.SUBMITTED

    @property
    def overdue(self) -> bool:
        """Due, and its due date passed."""
        return self.is_due and self.due_on < timezone.localdate()
