"""What the grants services share: the audited field lists, the clock, money parsing."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.errors import InvalidInput
from safecities.core.money import Money

from ..errors import (
    WrongCurrency,
)

log = logging.getLogger(__name__)


PROGRAMME_FIELDS = ["funder", "name", "currency", "budget_minor", "starts_on", "ends_on"]
CALL_FIELDS = [
    "programme",
    "title",
    "opens_at",
    "closes_at",
    "min_amount_minor",
    "max_amount_minor",
    "requires_partnership",
    "national_programme",
    "organisation_types",
    "stages",
    "concept_closes_at",
    "blind_review",
    "time_zone",
    "status",
]
APPLICATION_FIELDS = [
    "call",
    "lead_municipality",
    "lead_organisation",
    "title",
    "requested_minor",
    "stage",
    "status",
]
EDIT_FIELDS = ["title", "summary", "requested_minor", "starts_on", "ends_on"]


def _now() -> datetime:
    return timezone.now()


def _money(value: object, currency: str, field: str) -> Money:
    """`value` as Money in `currency`, refusing another currency or a non-Money."""
    if not isinstance(value, Money):
        raise InvalidInput(_("Give the amount with its currency."), field=field)
    if value.currency != currency:
        raise WrongCurrency(
            _("Give the amount in %(currency)s, not %(other)s.")
            % {"currency": currency, "other": value.currency},
            field=field,
        )
    return value
