"""A programme's budget split into lines: pots that calls grant from, and reserved lines."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecities.core.money import Money

from .calls import Programme


class ProgrammeLine(models.Model):
    """A share of a programme's budget, e.g. "Collaboration projects 2021–2023" (a pot that
    calls draw on) or "Network activities and secretariat" (reserved: no call grants from it).

    The lines of a programme never add up to more than its budget; a line never drops below
    what its calls have awarded. A programme without lines is one implicit pot: its calls
    draw on the whole budget."""

    class Kind(models.TextChoices):
        POT = "pot", _("Grantable pot")
        RESERVED = "reserved", _("Reserved line")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POT)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("budget line of a programme")
        verbose_name_plural = _("budget lines of a programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="programme_line_amount_gt_0"
            ),
            models.UniqueConstraint(fields=["programme", "name"], name="programme_line_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount(self) -> Money:
        return Money.from_minor(self.amount_minor, self.programme.currency)

    @property
    def grantable(self) -> bool:
        return self.kind == self.Kind.POT
