"""After an award: the grant agreement the grantee accepts, the changes asked for during the
project, and what each report says per approved budget line and per indicator the
application named."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecities.core.money import Money
from safecities.indicators.models import Indicator

from .applications import BudgetLine
from .awards import Award, GrantReport


class Agreement(models.Model):
    """The terms of a grant: drafted by the programme when the grant is awarded, sent to the
    grantee and accepted by the lead in the product. The approved budget is the application's
    budget lines with their `approved_minor`; the reporting dates are the award's reports."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent to the grantee")
        ACCEPTED = "accepted", _("Accepted")

    award = models.OneToOneField(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="agreement"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    terms = models.TextField(_("terms"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("grant agreement")
        verbose_name_plural = _("grant agreements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="agreement_accepted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.award)


class ChangeRequest(models.Model):
    """A grantee's request to change an accepted agreement: money moved between the approved
    budget lines (`lines`: budget line id → new approved amount in minor units) or a later end
    date (`new_ends_on`, and perhaps the final report's `new_final_due_on`). The programme
    approves it (the change is then applied) or declines it."""

    class Kind(models.TextChoices):
        REALLOCATION = "realloc", _("Budget reallocation")
        EXTENSION = "extension", _("Extension")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reason = models.TextField(_("reason"))
    lines = models.JSONField(_("new approved amounts"), default=dict, blank=True)
    new_ends_on = models.DateField(_("new end date"), null=True, blank=True)
    new_final_due_on = models.DateField(
        _("new due date of the final report"),
        null=True,
        blank=True,
        help_text=_("An extension may move the final report's due date with the end date."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="extension") | Q(new_ends_on__isnull=False),
                name="change_extension_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.award}"


class ReportSpend(models.Model):
    """What a report says was spent on one approved budget line."""

    report = models.ForeignKey(
        GrantReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="spends"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.CASCADE, related_name="spends"
    )
    spent_minor = models.BigIntegerField(_("spent (minor units)"))

    class Meta:
        ordering = ["budget_line__position", "budget_line_id"]
        verbose_name = _("spending per budget line")
        verbose_name_plural = _("spending per budget line")
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="report_spend_once"),
            models.CheckConstraint(condition=Q(spent_minor__gte=0), name="report_spend_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line} — {self.report}"

    @property
    def spent(self) -> Money:
        return Money.from_minor(self.spent_minor, self.report.award.application.currency)


class ReportResult(models.Model):
    """What a report says came of the project for one indicator the application named: the
    value reached (in the indicator's unit) and a comment."""

    report = models.ForeignKey(
        GrantReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="results_by_indicator",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        _("value reached"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    note = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["indicator__code", "indicator_id"]
        verbose_name = _("result per indicator")
        verbose_name_plural = _("results per indicator")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.report}"
