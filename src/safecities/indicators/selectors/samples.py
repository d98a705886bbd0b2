"""Sample files to import for an indicator: a CSV file and a JSON-stat 2.0 dataset built from
its definition (its code, its period type and unit), with a few rows for member cities the
person may import, so that the file imports cleanly through the wizard as it is. See
docs/imports.md ("Sample files")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from safecities.core.permissions import has_perm
from safecities.network.models import MemberKind, Membership, Municipality

from ..models import Indicator
from ..rows import CSV_COLUMNS

if TYPE_CHECKING:
    from safecities.core.models import User

SAMPLE_CITIES = 2  # cities in a sample file
# (numerator, denominator) of each example figure of a percentage, by city and period
_SHARES = [[(250, 400), (262, 400)], [(142, 200), (147, 200)]]
# example values of the other units, by city and period
_VALUES: dict[str, list[list[Decimal]]] = {
    Indicator.UnitType.COUNT: [[Decimal(24), Decimal(19)], [Decimal(11), Decimal(13)]],
    Indicator.UnitType.RATE_100K: [
        [Decimal("8.4"), Decimal("7.9")],
        [Decimal("5.2"), Decimal("6.1")],
    ],
    Indicator.UnitType.SCORE: [[Decimal("3.8"), Decimal("4.1")], [Decimal("3.5"), Decimal("3.6")]],
}


@dataclass(frozen=True)
class SampleRow:
    municipality: Municipality
    period: str
    value: Decimal
    numerator: int | None
    denominator: int | None
    status: str


def importable(*, indicator: Indicator) -> bool:
    """May figures of `indicator` be imported at all (the platform counts computed ones)?"""
    return indicator.source != Indicator.Source.COMPUTED


def importable_indicators() -> QuerySet[Indicator]:
    """The indicators whose figures may be imported, by code."""
    return Indicator.objects.exclude(source=Indicator.Source.COMPUTED).order_by("code")


def sample_periods(*, period_type: str, today: Any = None) -> list[str]:
    """The two most recent whole periods of `period_type` before last year's end, oldest
    first: plausible periods for figures a statistics office has published."""
    year = (today or timezone.localdate()).year - 1
    periods: dict[str, list[str]] = {
        Indicator.PeriodType.YEAR: [str(year - 1), str(year)],
        Indicator.PeriodType.HALF_YEAR: [f"{year}-H1", f"{year}-H2"],
        Indicator.PeriodType.QUARTER: [f"{year}-Q3", f"{year}-Q4"],
        Indicator.PeriodType.MONTH: [f"{year}-11", f"{year}-12"],
    }
    return periods[period_type]


def sample_cities(*, actor: User) -> list[Municipality]:
    """Up to SAMPLE_CITIES member cities of one country whose figures `actor` may import:
    a coordinator's own cities, the secretariat's first member cities (by code) of the country
    with the most members. None of them a member: the cities they may import."""

    def allowed(queryset: QuerySet[Municipality]) -> list[Municipality]:
        ordered = queryset.select_related("country").distinct().order_by("country__code", "code")
        return [m for m in ordered if has_perm(actor, "indicators.write_city", m.pk)]

    cities = allowed(
        Municipality.objects.filter(
            memberships__kind=MemberKind.CITY, memberships__status=Membership.Status.ACTIVE
        )
    ) or allowed(Municipality.objects.all())
    if not cities:
        return []
    by_country: dict[int, list[Municipality]] = {}
    for m in cities:
        by_country.setdefault(m.country_id, []).append(m)
    # the country with the most of them (JSON-stat codes are read in one country)
    return max(by_country.values(), key=len)[:SAMPLE_CITIES]


def sample_rows(*, indicator: Indicator, actor: User, today: Any = None) -> list[SampleRow]:
    """The sample's rows: every city by every period, the last period provisional."""
    periods = sample_periods(period_type=indicator.period_type, today=today)
    rows = []
    for c, city in enumerate(sample_cities(actor=actor)):
        for p, period in enumerate(periods):
            status = "provisional" if p == len(periods) - 1 else "final"
            if indicator.unit_type == Indicator.UnitType.PERCENTAGE:
                numerator, denominator = _SHARES[c][p]
                value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"))
                rows.append(SampleRow(city, period, value, numerator, denominator, status))
            else:
                value = _VALUES[indicator.unit_type][c][p]
                rows.append(SampleRow(city, period, value, None, None, status))
    return rows


def sample_csv_rows(*, indicator: Indicator, actor: User) -> tuple[list[str], list[list]]:
    """The sample CSV file's header (every column the import reads) and rows."""
    rows = []
    for r in sample_rows(indicator=indicator, actor=actor):
        cells: dict[str, Any] = {
            "municipality_code": r.municipality.code,
            "country": r.municipality.country.code,
            "period": r.period,
            "value": r.value,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "sample_size": r.denominator,
            "status": r.status,
        }
        rows.append([cells.get(column) for column in CSV_COLUMNS])
    return list(CSV_COLUMNS), rows


def sample_jsonstat(*, indicator: Indicator, actor: User) -> dict[str, Any]:
    """The sample as a JSON-stat 2.0 dataset the way the Nordic statistics offices serve it
    (PxWeb's json-stat2): the municipalities (role geo), one content code, the indicator's
    code (role metric), and the periods (role time); the values dense, row-major."""
    rows = sample_rows(indicator=indicator, actor=actor)
    cities = list(dict.fromkeys(r.municipality for r in rows))
    periods = list(dict.fromkeys(r.period for r in rows))
    value = {(r.municipality.pk, r.period): r.value for r in rows}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": indicator.display_name,
        "source": "safecities",
        "updated": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(cities), 1, len(periods)],
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": [c.code for c in cities],
                    "label": {c.code: c.name for c in cities},
                },
            },
            "ContentsCode": {
                "label": "contents",
                "category": {
                    "index": [indicator.code],
                    "label": {indicator.code: indicator.display_name},
                },
            },
            "Tid": {"label": "time", "category": {"index": periods}},
        },
        "value": [float(value[(c.pk, p)]) for c in cities for p in periods],
    }
