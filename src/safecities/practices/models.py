"""The knowledge bank: practices that work, their translations and attachments, and reports
and publications.

A practice is written in one language (`language`) and may be translated into the others
(`PracticeTranslation`, one per language, naming who translated it). Its long texts are
Markdown, rendered through `core.markdown` (markdown-it-py, cleaned by nh3). A member drafts and
submits it; the secretariat returns it with feedback or publishes it, for everyone or for
members only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.grants.models import Award
from safecities.network.models import Municipality, Organisation

LANGUAGE_CHOICES = settings.LANGUAGES

# The Markdown fields a practice and each of its translations carry, in reading order.
TEXT_FIELDS = ["summary", "problem", "approach", "resources", "transfer", "results"]


class EvidenceLevel(models.TextChoices):
    DESCRIBED = "described", _("Described")
    DOCUMENTED = "documented", _("Documented results")
    PEER_REVIEWED = "peer_reviewed", _("Peer reviewed")
    EVALUATED = "evaluated", _("Externally evaluated")


class PracticeTexts(models.Model):
    """The words of a practice in one language: the original or a translation."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), help_text=_("Markdown."))
    problem = models.TextField(_("the problem it answers"), blank=True, help_text=_("Markdown."))
    approach = models.TextField(_("approach"), blank=True, help_text=_("Markdown."))
    resources = models.TextField(_("resources and cost"), blank=True, help_text=_("Markdown."))
    transfer = models.TextField(
        _("what it takes to transfer it"), blank=True, help_text=_("Markdown.")
    )
    results = models.TextField(_("evaluation results"), blank=True, help_text=_("Markdown."))

    class Meta:
        abstract = True


class Practice(PracticeTexts):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members only")

    class Activity(models.TextChoices):
        PILOT = "pilot", _("Pilot")
        ONGOING = "ongoing", _("Ongoing")
        ENDED = "ended", _("Ended")

    class EvaluationType(models.TextChoices):
        NONE = "none", _("Not evaluated")
        INTERNAL = "internal", _("Internal evaluation")
        EXTERNAL = "external", _("External evaluation")
        RESEARCH = "research", _("Research study")

    Evidence = EvidenceLevel

    language = models.CharField(
        _("written in"), max_length=5, choices=LANGUAGE_CHOICES, default="en"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("charter goals"), related_name="practices")
    target_groups = models.ManyToManyField(
        Term,
        verbose_name=_("target groups"),
        related_name="practices_for_group",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.TARGET_GROUP},
    )
    phenomena = models.ManyToManyField(
        Term,
        verbose_name=_("phenomena"),
        related_name="practices_on_phenomenon",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.PHENOMENON},
    )
    arenas = models.ManyToManyField(
        Term,
        verbose_name=_("arenas"),
        related_name="practices_in_arena",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.ARENA},
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("cities"), related_name="practices", blank=True
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), related_name="practices", blank=True
    )
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    starts_on = models.DateField(_("started"), null=True, blank=True)
    ends_on = models.DateField(_("ended"), null=True, blank=True)
    activity = models.CharField(
        _("state of the work"), max_length=10, choices=Activity.choices, default=Activity.ONGOING
    )
    evaluation_type = models.CharField(
        _("evaluation"), max_length=10, choices=EvaluationType.choices, default="none"
    )
    evaluation_measured = models.CharField(_("what was measured"), max_length=500, blank=True)
    evaluation_link = models.URLField(_("evaluation report (link)"), blank=True)
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=15,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.DESCRIBED,
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    grant = models.ForeignKey(
        Award,
        verbose_name=_("funded by grant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    outcome_indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("outcome indicators it aims to move"),
        related_name="practices",
        blank=True,
    )
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    feedback = models.TextField(_("feedback from the secretariat"), blank=True)
    illustrative = models.BooleanField(
        _("illustrative example"),
        default=False,
        help_text=_("Invented for the demonstration; not a real practice."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="practice_ends_after_start",
            ),
        ]
        # The open-data page's "last changed": the newest saved practice, read from the end;
        # a programme report's practices of one year, found by a range of the index.
        indexes = [
            models.Index(fields=["updated_at"], name="practice_updated"),
            models.Index(fields=["published_at"], name="practice_published"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def public(self) -> bool:
        return self.published and self.visibility == self.Visibility.PUBLIC


class PracticeTranslation(PracticeTexts):
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    translator = models.CharField(_("translated by"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["practice", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language"], name="practice_translation_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


def attachment_upload_to(instance, filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class Attachment(models.Model):
    """A PDF that goes with a practice (an evaluation report, a handbook), served by a view
    that asks whether the reader may see the practice."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file (PDF)"), upload_to=attachment_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["practice", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


def publication_upload_to(instance, filename: str) -> str:
    return f"publications/{filename}"


class Publication(models.Model):
    """A report or publication: a document with its metadata, found by the same search."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), help_text=_("Markdown."))
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    file = models.FileField(
        _("file (PDF)"), upload_to=publication_upload_to, blank=True, max_length=300
    )
    link = models.URLField(_("link"), blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("charter goals"), related_name="publications", blank=True
    )
    public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title
