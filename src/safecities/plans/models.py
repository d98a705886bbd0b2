"""Action plans: a city's plan per period, its sections per charter goal, measures and progress.

The network template (one section per charter goal, written by the secretariat) is copied into
each new plan. A measure names the charter goals it serves, the grant that funds it and the
indicators it produces or aims to move (the logic model, `MeasureIndicator`). Budgets are stored
as integer minor units with their currency, as grants does.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.i18n import translated
from safecities.core.money import Money
from safecities.grants.models import Award, currency_validator
from safecities.network.models import Municipality, Organisation


class PlanTemplate(models.Model):
    """The network's template for local action plans: one section per charter goal.

    There is one template for the whole network (`key` "network"); the secretariat edits it.
    """

    NETWORK = "network"

    key = models.SlugField(_("key"), max_length=40, unique=True, default=NETWORK)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return str(_("Network action plan template"))


class TemplateSection(models.Model):
    template = models.ForeignKey(
        PlanTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("charter goal"), on_delete=models.PROTECT, related_name="+"
    )
    heading = models.JSONField(_("heading"), default=dict, help_text=_("One value per language."))
    guidance = models.JSONField(
        _("guidance"), default=dict, blank=True, help_text=_("One value per language.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "goal"], name="plan_template_section_once_per_goal"
            )
        ]

    def __str__(self) -> str:
        return self.display_heading

    @property
    def display_heading(self) -> str:
        return translated(self.heading) or str(self.goal)

    @property
    def display_guidance(self) -> str:
        return translated(self.guidance)


def plan_document_upload_to(instance, filename: str) -> str:
    return f"plans/adopted/{instance.municipality_id}/{instance.pk}-{filename}"


class ActionPlan(models.Model):
    """A city's local action plan for a period: drafted, adopted by a political body, archived."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        ARCHIVED = "archived", _("Archived")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    adopted_by_body = models.CharField(
        _("adopted by"), max_length=200, blank=True, help_text=_("E.g. “City council”.")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    document = models.FileField(
        _("adopted plan (PDF)"), upload_to=plan_document_upload_to, blank=True, max_length=300
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["municipality__name", "-starts_on", "-id"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="action_plan_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted")
                | (
                    Q(adopted_on__isnull=False)
                    & ~Q(adopted_by_body="")
                    & ~Q(case_number="")
                    & ~Q(document="")
                ),
                name="action_plan_adoption_complete",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(status="adopted"),
                name="action_plan_one_adopted_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.title}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def in_force(self) -> bool:
        """Adopted and not yet archived: the city's plan now."""
        return self.status == self.Status.ADOPTED

    @property
    def public(self) -> bool:
        """Adopted plans, and archived ones that were adopted, are public."""
        return self.status == self.Status.ADOPTED or (
            self.status == self.Status.ARCHIVED and self.adopted_on is not None
        )


class PlanSection(models.Model):
    """A plan's own words for one charter goal, created from the template with the plan."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("charter goal"), on_delete=models.PROTECT, related_name="+"
    )
    heading = models.JSONField(
        _("heading"), default=dict, blank=True, help_text=_("Copied from the template.")
    )
    text = models.TextField(_("text"), blank=True, help_text=_("The plan's own words."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "goal"], name="plan_section_once_per_goal")
        ]

    def __str__(self) -> str:
        return self.display_heading

    @property
    def display_heading(self) -> str:
        return translated(self.heading) or str(self.goal)


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class Measure(models.Model):
    """Something the city does under its plan, for one or more of the plan's charter goals."""

    Status = MeasureStatus

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("charter goals"), related_name="measures")
    target_groups = models.ManyToManyField(
        Term,
        verbose_name=_("target groups"),
        related_name="measures_for_group",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.TARGET_GROUP},
    )
    phenomena = models.ManyToManyField(
        Term,
        verbose_name=_("phenomena"),
        related_name="measures_on_phenomenon",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.PHENOMENON},
    )
    owner_department = models.CharField(_("owning department"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        related_name="plan_measures",
        blank=True,
    )
    budget_minor = models.BigIntegerField(_("budget (minor units)"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[currency_validator]
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    grant = models.ForeignKey(
        Award,
        verbose_name=_("funded by grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    # The practice a measure adopts (the upper app keeps the link; the practice finds its
    # measures back through `adopting_measures`).
    practice = models.ForeignKey(
        "practices.Practice",
        verbose_name=_("adopts the practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopting_measures",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=(Q(budget_minor__isnull=True) & Q(currency=""))
                | (Q(budget_minor__gte=0) & ~Q(currency="")),
                name="measure_budget_with_currency",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="measure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def budget(self) -> Money | None:
        if self.budget_minor is None:
            return None
        return Money.from_minor(self.budget_minor, self.currency)


class ProgressUpdate(models.Model):
    """What happened with a measure by a date, and the measure's status then."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["measure", "-reported_on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.measure} — {self.reported_on}"


class MeasureIndicator(models.Model):
    """The logic model: an output indicator a measure produces or an outcome it aims to move."""

    class Role(models.TextChoices):
        OUTPUT = "output", _("Output it produces")
        OUTCOME = "outcome", _("Outcome it aims to move")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="measure_links",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    direction = models.CharField(_("expected direction"), max_length=10, choices=Direction.choices)

    class Meta:
        ordering = ["measure", "role", "id"]
        verbose_name = _("measure indicator")
        verbose_name_plural = _("measure indicators")
        constraints = [
            models.UniqueConstraint(fields=["measure", "indicator"], name="measure_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure} → {self.indicator} ({self.get_role_display()})"
