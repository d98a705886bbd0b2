"""Kept summaries of a programme's awards, so that its overview and its reports need not group
every award on each request: what was awarded per year of decision (in the site's time zone)
and lead, and per year and charter goal.

`services.sums.refresh_awarded` makes a programme's rows again from its awards in the
transaction of every write that changes them (an award, a closed grant giving money back); the
migration that added them, the demo loader and the bench generator call it over every
programme. The lead is kept as the application names it (a city or an organisation), so an
organisation that moves city counts under its new city the moment it moves: the city is
joined when the rows are read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from safecities.charter.models import Goal
from safecities.network.models import Municipality, Organisation

from .calls import Programme


class AwardedByLead(models.Model):
    """A programme's awards decided in `year` with one lead: how many, and their net worth."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year of decision"))
    lead_municipality = models.ForeignKey(
        Municipality, null=True, on_delete=models.CASCADE, related_name="+"
    )
    lead_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+"
    )
    awards = models.PositiveIntegerField(_("awards"))
    net_minor = models.BigIntegerField(_("awarded less given back (minor units)"))

    class Meta:
        verbose_name = _("awarded by year and lead")
        verbose_name_plural = _("awarded by year and lead")
        indexes = [models.Index(fields=["programme", "year"], name="awarded_lead_programme_year")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}: {self.awards}"


class AwardedByGoal(models.Model):
    """A programme's awards decided in `year` that name `goal` (an award naming several goals
    counts under each): how many, and their net worth."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year of decision"))
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")
    awards = models.PositiveIntegerField(_("awards"))
    net_minor = models.BigIntegerField(_("awarded less given back (minor units)"))

    class Meta:
        verbose_name = _("awarded by year and goal")
        verbose_name_plural = _("awarded by year and goal")
        indexes = [models.Index(fields=["programme", "year"], name="awarded_goal_programme_year")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year} {self.goal_id}: {self.awards}"
