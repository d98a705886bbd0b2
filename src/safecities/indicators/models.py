"""Indicators: definitions, observations per city and period, their history, baselines, targets
and the imports that brought them in.

One value per indicator, place and period (`observation_one_per_place_period`): a second value
for the same cell is an update that leaves an `ObservationRevision` with what it replaced, never
a silent duplicate. Every value is a `Decimal`; whether it may be shown is decided by
`suppression`, not stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
from safecities.core.i18n import translated
from safecities.network.models import Municipality

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 6}


class Indicator(models.Model):
    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome")
        OUTPUT = "output", _("Output")

    class UnitType(models.TextChoices):
        PERCENTAGE = "percentage", _("Percentage")
        RATE_100K = "rate_100k", _("Rate per 100,000 inhabitants")
        COUNT = "count", _("Count")
        SCORE = "score", _("Score")

    class Better(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Source(models.TextChoices):
        UNGDATA = "ungdata", _("Ungdata")
        STATISTICS_OFFICE = "statistics_office", _("Statistics office")
        POLICE = "police", _("Police")
        CITY_SURVEY = "city_survey", _("The city's own survey")
        COMPUTED = "computed", _("Computed by the platform")
        OTHER = "other", _("Other")

    class PeriodType(models.TextChoices):
        YEAR = "year", _("Year (2024)")
        HALF_YEAR = "half_year", _("Half-year (2024-H1)")
        QUARTER = "quarter", _("Quarter (2024-Q3)")
        MONTH = "month", _("Month (2024-05)")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.JSONField(_("name"), default=dict, help_text=_("One value per language."))
    description = models.JSONField(
        _("description"), default=dict, help_text=_("One value per language.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit_type = models.CharField(_("unit"), max_length=12, choices=UnitType.choices)
    better = models.CharField(_("better when"), max_length=6, choices=Better.choices)
    numerator_description = models.JSONField(
        _("what the numerator counts"), default=dict, blank=True
    )
    denominator_description = models.JSONField(
        _("what the denominator counts"), default=dict, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_name = models.CharField(
        _("source name"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Statistics Norway, table 12345."),
    )
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("charter goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    interpretation = models.JSONField(_("notes on interpretation"), default=dict, blank=True)
    comparability_breaks = models.JSONField(
        _("notes on breaks in comparability"), default=dict, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(name__has_key="en"), name="indicator_name_en"),
            models.CheckConstraint(
                condition=Q(kind__in=["outcome", "output"]), name="indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit_type__in=["percentage", "rate_100k", "count", "score"]),
                name="indicator_unit_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(better__in=["higher", "lower"]), name="indicator_better_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_type__in=["year", "half_year", "quarter", "month"]),
                name="indicator_period_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return translated(self.name) or self.code

    @property
    def display_description(self) -> str:
        return translated(self.description)


def import_upload_to(instance, filename: str) -> str:
    """Uploaded statistics files, under the default storage but never served from /media/: only
    the import's pages read them (see safecities/urls.py)."""
    return f"indicators/imports/{get_random_string(16)}/{filename}"


class Import(models.Model):
    """An import of observations for one indicator, from the uploaded file to its result.

    A `draft` holds the uploaded file while the user maps it and looks at the preview; committing
    writes every row or none, in the request (`committed`) or, when large, through the worker
    (`queued`, `running`, then `committed` or `failed` with `error` naming the row or cell). A
    committed import can be undone as a whole (`undone`). Progress of a running import: see
    `services.run_import`.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        JSONSTAT = "jsonstat", _("JSON-stat 2.0")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")
        COMMITTED = "committed", _("Committed")
        UNDONE = "undone", _("Undone")

    class Phase(models.TextChoices):
        CHECK = "check", _("Checking the rows")
        WRITE = "write", _("Writing the observations")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="imports"
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=import_upload_to, blank=True, max_length=300)
    mapping = models.JSONField(
        _("mapping"),
        default=dict,
        blank=True,
        help_text=_("How the file's dimensions or columns were mapped to places and periods."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMMITTED
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("observations created"), default=0)
    updated_count = models.PositiveIntegerField(_("observations updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    # when the worker last reported, in either phase (each report its own short transaction, so
    # every server reads it): an import `running` with no progress for STALLED_TASK_MINUTES has
    # lost its worker
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    error = models.TextField(
        _("why it failed"), blank=True, help_text=_("Names the row or cell at fault.")
    )
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("municipalities"),
        blank=True,
        related_name="indicator_imports",
        help_text=_("The cities whose figures the import wrote."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="indicator_imports",
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=(Q(undone_at__isnull=True) & ~Q(status="undone"))
                | Q(status="undone", undone_at__isnull=False),
                name="indicator_import_undone_at_iff_undone",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "queued", "running", "failed", "committed", "undone"]
                ),
                name="indicator_import_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} import {self.pk} of {self.indicator_id}"

    # What the pages, the API and the services ask of an import's state (its moves are in
    # `states.IMPORT`); none of them compares the status itself.
    @property
    def in_progress(self) -> bool:
        """Queued or running: its page follows its progress."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_draft(self) -> bool:
        """Uploaded, not committed: it may still be mapped, previewed, committed or thrown away."""
        return self.status == self.Status.DRAFT

    @property
    def awaits_worker(self) -> bool:
        """Queued for the background worker, which has not started it yet."""
        return self.status == self.Status.QUEUED

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED

    @property
    def is_undone(self) -> bool:
        return self.status == self.Status.UNDONE


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


# The observation's content, compared to tell an update from an unchanged row.
VALUE_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "sample_size",
    "ci_low",
    "ci_high",
    "status",
    "note",
]


class Observation(models.Model):
    """The value of an indicator for a municipality (or one of its districts) in a period."""

    Status = ObservationStatus

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    district = models.CharField(
        _("district"), max_length=120, blank=True, help_text=_("Empty: the whole municipality.")
    )
    period = models.CharField(
        _("period"), max_length=10, help_text=_("Normalised: 2024, 2024-H1, 2024-Q3, 2024-05.")
    )
    period_start = models.DateField(_("period starts"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE_DIGITS)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    ci_low = models.DecimalField(
        _("confidence interval, low"), null=True, blank=True, **VALUE_DIGITS
    )
    ci_high = models.DecimalField(
        _("confidence interval, high"), null=True, blank=True, **VALUE_DIGITS
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROVISIONAL
    )
    note = models.TextField(_("note"), blank=True)
    source_import = models.ForeignKey(
        Import,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        help_text=_("The import that last wrote this value; empty when entered by hand."),
    )
    created_by_import = models.ForeignKey(
        Import,
        verbose_name=_("created by import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_observations",
        help_text=_("Undoing this import deletes the observation."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    retrieved_at = models.DateTimeField(_("retrieved"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        ordering = ["indicator", "municipality", "district", "period_start"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "district", "period"],
                name="observation_one_per_place_period",
            ),
            models.CheckConstraint(condition=~Q(period=""), name="observation_period_set"),
            models.CheckConstraint(
                condition=Q(status__in=["provisional", "final"]),
                name="observation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="observation_numerator_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="observation_denominator_gt_0",
            ),
            models.CheckConstraint(
                condition=Q(ci_low__isnull=True)
                | Q(ci_high__isnull=True)
                | Q(ci_high__gte=F("ci_low")),
                name="observation_ci_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start"], name="observation_indicator_period"),
            models.Index(
                fields=["municipality", "indicator", "period_start"],
                name="observation_city_series",
            ),
            # The open-data page's "last changed": the newest saved figure, read from the end.
            models.Index(fields=["updated_at"], name="observation_updated"),
        ]

    def __str__(self) -> str:
        place = f"{self.municipality_id}/{self.district}" if self.district else self.municipality_id
        return f"{self.indicator_id} {place} {self.period}"


class ObservationRevision(models.Model):
    """What an observation held before a change: the history behind every update."""

    observation = models.ForeignKey(
        Observation,
        verbose_name=_("observation"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    value = models.DecimalField(_("previous value"), **VALUE_DIGITS)
    numerator = models.DecimalField(_("previous numerator"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(
        _("previous denominator"), null=True, blank=True, **VALUE_DIGITS
    )
    sample_size = models.PositiveIntegerField(_("previous sample size"), null=True, blank=True)
    ci_low = models.DecimalField(_("previous CI low"), null=True, blank=True, **VALUE_DIGITS)
    ci_high = models.DecimalField(_("previous CI high"), null=True, blank=True, **VALUE_DIGITS)
    status = models.CharField(_("previous status"), max_length=12, choices=ObservationStatus)
    note = models.TextField(_("previous note"), blank=True)
    source_url = models.URLField(_("previous source address"), max_length=500, blank=True)
    retrieved_at = models.DateTimeField(_("previously retrieved"), null=True, blank=True)
    previous_import = models.ForeignKey(
        Import,
        verbose_name=_("previous import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_updated_at = models.DateTimeField(_("previously changed"))
    made_by_import = models.ForeignKey(
        Import,
        verbose_name=_("changed by import"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        help_text=_("The import whose update this revision records; undo restores from it."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["observation", "-changed_at", "-id"]
        verbose_name = _("observation revision")
        verbose_name_plural = _("observation revisions")

    def __str__(self) -> str:
        return f"revision {self.pk} of observation {self.observation_id}"


class CityReference(models.Model):
    """A value a city measures itself against on an indicator: its baseline or a target."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="indicator_%(class)ss",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period starts"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.indicator_id} {self.municipality_id} {self.period}"


class Baseline(CityReference):
    """Where a city starts on an indicator: the value change is measured from."""

    class Meta:
        ordering = ["indicator", "municipality"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator"], name="baseline_one_per_city_indicator"
            )
        ]


class Target(CityReference):
    """What a city aims for on an indicator by a period; one target per period."""

    class Meta:
        ordering = ["indicator", "municipality", "period_start"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "period"],
                name="target_one_per_city_indicator_period",
            )
        ]


# --- the summary the pages read instead of the observations (see `indicators.summary`) ---------
#
# Kept by `summary.refresh` in the same transaction as every write that changes whole-city
# observations, never edited otherwise: each row is what a fresh aggregate of the observations
# gives, so a page reading it reads the observations as they are.


class LatestObservation(models.Model):
    """A city's most recent whole-city observation of an indicator, its figures copied."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    period_start = models.DateField()
    value = models.DecimalField(**VALUE_DIGITS)
    numerator = models.DecimalField(null=True, **VALUE_DIGITS)
    denominator = models.DecimalField(null=True, **VALUE_DIGITS)
    status = models.CharField(max_length=12)  # a copy: its moves are the observation's

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality"], name="latest_observation_one_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"latest {self.indicator_id} {self.municipality_id} {self.period}"


class ObservedPeriod(models.Model):
    """A period an indicator has whole-city observations for, with how many cities have one."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    period_start = models.DateField()
    cities = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="observed_period_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.cities} cities"
