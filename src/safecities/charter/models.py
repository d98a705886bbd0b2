from django.db import models
from django.utils.translation import gettext_lazy as _

from safecities.core.i18n import translated
from safecities.network.models import Membership


class Goal(models.Model):
    """One of the charter's six goals. Names and descriptions carry every UI language."""

    code = models.SlugField(_("code"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict)

    class Meta:
        ordering = ["position"]
        verbose_name = _("charter goal")
        verbose_name_plural = _("charter goals")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return translated(self.name)

    @property
    def display_description(self) -> str:
        return translated(self.description)

    @property
    def name_languages(self) -> str:
        """The codes of the languages the name is given in: "en, nb, sv"."""
        return ", ".join(code for code, text in self.name.items() if text)


class CharterVersion(models.Model):
    version = models.CharField(_("version"), max_length=20, unique=True)
    adopted_on = models.DateField(_("adopted on"))
    preamble = models.JSONField(_("preamble"), default=dict, blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), related_name="versions")

    class Meta:
        ordering = ["-adopted_on"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")

    def __str__(self) -> str:
        return self.version


class Endorsement(models.Model):
    """A member's endorsement of a charter version, recorded when the membership is approved."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    charter_version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("charter version"),
        on_delete=models.PROTECT,
        related_name="endorsements",
    )
    endorsed_on = models.DateField(_("endorsed on"))

    class Meta:
        ordering = ["-endorsed_on"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "charter_version"], name="endorsement_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.member} — {self.charter_version}"


class Vocabulary(models.TextChoices):
    TARGET_GROUP = "target_group", _("Target groups")
    PHENOMENON = "phenomenon", _("Phenomena")
    ARENA = "arena", _("Arenas")


class Term(models.Model):
    """An entry of a shared vocabulary: target groups, phenomena, arenas."""

    vocabulary = models.CharField(_("vocabulary"), max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(_("code"), max_length=60)
    label = models.JSONField(_("label"), default=dict)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["vocabulary", "code"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return translated(self.label) or self.code
