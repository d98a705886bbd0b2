"""What open data reads, through the apps' own selectors: the records of each dataset (only what
an anonymous visitor may see) and when each dataset last changed.

A dataset's last change is the newest of its records' own times (`updated_at`, a decision's
time, a start date) and of the audit trail's events on its kinds of record, so a record that
was unpublished or deleted still moves it.
"""

from datetime import UTC, date, datetime, time

from django.db.models import Max, QuerySet

from safecities.charter import selectors as charter
from safecities.charter.models import CharterVersion, Goal
from safecities.core.models import AuditEvent
from safecities.events import selectors as events
from safecities.events.models import Event
from safecities.grants import selectors as grants
from safecities.grants.models import Award
from safecities.indicators import selectors as indicators
from safecities.indicators.models import Observation
from safecities.network import selectors as network
from safecities.network.models import MemberKind, Membership
from safecities.practices import selectors as practices
from safecities.practices.models import Practice


def _moment(value: datetime | date | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=UTC)


def _newest(*values: datetime | date | None) -> datetime | None:
    moments = [m for m in (_moment(v) for v in values) if m is not None]
    return max(moments) if moments else None


def _newest_saved(rows: QuerySet) -> datetime | None:
    """The newest `updated_at` of `rows`, read from the end of its index: the first row that
    passes the filter, instead of a MAX over every row (millions of observations)."""
    return rows.order_by("-updated_at").values_list("updated_at", flat=True).first()


def _audited(*target_types: str) -> datetime | None:
    return AuditEvent.objects.filter(target_type__in=target_types).aggregate(at=Max("at"))["at"]


# --- members -------------------------------------------------------------------------------


def members() -> QuerySet[Membership]:
    """The active member cities and organisations, as the directory lists them (never a
    person)."""
    return (
        network.member_directory()
        .select_related("municipality__country", "organisation__country")
        .exclude(kind=MemberKind.INDIVIDUAL)
        .filter(person__isnull=True)
        .order_by("country_code", "kind", "member_name", "id")
    )


def members_changed() -> datetime | None:
    started = members().aggregate(on=Max("started_on"))["on"]
    ended = Membership.objects.aggregate(on=Max("ended_on"))["on"]
    return _newest(
        started,
        ended,
        _audited("network.membership", "network.municipality", "network.organisation"),
    )


# --- charter -------------------------------------------------------------------------------


def charter_goals() -> QuerySet[Goal]:
    return charter.goals()


def charter_versions() -> QuerySet[CharterVersion]:
    return charter.versions().prefetch_related("goals")


def charter_changed() -> datetime | None:
    adopted = charter.versions().aggregate(on=Max("adopted_on"))["on"]
    return _newest(adopted, _audited("charter.goal", "charter.charterversion"))


# --- grants --------------------------------------------------------------------------------


def awarded_grants() -> QuerySet[Award]:
    """The awards the 360Giving files publish (real grants, not the demo's illustrative ones),
    as the API's 360Giving endpoints publish them."""
    return grants.giving360_awards()


def grants_changed() -> datetime | None:
    times = awarded_grants().aggregate(
        decided=Max("decided_at"),
        closed=Max("closed_at"),
        edited=Max("application__updated_at"),
    )
    return _newest(*times.values(), _audited("grants.award"))


# --- practices -----------------------------------------------------------------------------


def public_practices() -> QuerySet[Practice]:
    return practices.public_practices()


def practices_changed() -> datetime | None:
    saved = _newest_saved(public_practices())
    return _newest(saved, _audited("practices.practice"))


# --- events --------------------------------------------------------------------------------


def public_events() -> QuerySet[Event]:
    """Every public event out of draft, past ones too (the public feed keeps a year)."""
    return events.public_events().select_related("municipality__country")


def events_changed() -> datetime | None:
    saved = public_events().aggregate(at=Max("updated_at"))["at"]
    return _newest(saved, _audited("events.event"))


# --- indicators ----------------------------------------------------------------------------


def public_observations() -> QuerySet[Observation]:
    return indicators.public_observations()


def observations_changed() -> datetime | None:
    saved = indicators.public_saved_last()
    return _newest(saved, _audited("indicators.observation", "indicators.import"))
