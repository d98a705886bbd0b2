"""The bench's indicators scenario: a million-row statistics import, against a raw insert.

`time_import` makes N = 1,000,000 × scale observation rows of one yearly indicator (every
municipality × the years 2000–2024 × as many districts as N needs, each (municipality,
district, period) once) and writes them twice in the same database and run:

- through `indicators.services.commit_import`, as the secretariat, into an empty indicator:
  the path of a real import (permission per city, period and value checks, the preview's
  plan, the audit row), in batches of `WRITE_BATCH` rows, each its own transaction;
- with one raw `cursor.executemany` INSERT of the same rows and the same columns, into a
  second empty indicator, also in one transaction: the floor an import cannot go below. Its
  rows name the timed import and the secretariat as the import's own rows do (the database
  checks those references for each row, so the floor pays for them too), into the same table
  with the same indexes.

Both indicators are made for the run and removed after it, rows and all, so a database kept
with `--keep` holds the same rows from run to run.

`generate` is a `Generator` step: it fills the database with observations for the city
dashboard to be timed against (2,000,000 × scale over `DASHBOARD_INDICATORS`). Those rows are
written with a raw `executemany`, not through the services: they are test data for timing;
each indicator's rows and its summary (`indicators.summary.refresh`) in one transaction.
"""

import gc
import itertools
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count

from safecities.core.models import AuditEvent, User
from safecities.indicators import services, summary
from safecities.indicators.models import Import, Indicator, Observation
from safecities.indicators.rows import Row
from safecities.network.models import Municipality, Role

SCALE_1 = {"imported": 1_000_000, "dashboard": 2_000_000}
YEARS = range(2000, 2025)
BATCH = 10_000
IMPORT_CODE = "bench-import"
RAW_CODE = "bench-import-raw"
# One value per tenth of a percent, made once: the rows share them.
VALUES = [Decimal(n) / 10 for n in range(1001)]
UPDATED_AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
DASHBOARD_INDICATORS = [
    ("bench-feel-safe", "Share who feel safe in their neighbourhood", "outcome", "percentage",
     "higher"),
    ("bench-trust-police", "Share who trust the police", "outcome", "percentage", "higher"),
    ("bench-hate-crime", "Reported hate crimes per 100,000", "outcome", "rate_100k", "lower"),
    ("bench-youth-participation", "Share of young people in leisure activities", "outcome",
     "percentage", "higher"),
    ("bench-meetings", "Dialogue meetings held", "output", "count", "higher"),
    ("bench-people-reached", "People reached by prevention work", "output", "count", "higher"),
]  # fmt: skip
# The columns the import writes (`services.commit_import`), in the order the raw insert gives.
COLUMNS = [
    "indicator_id", "municipality_id", "district", "period", "period_start", "value",
    "numerator", "denominator", "sample_size", "ci_low", "ci_high", "status", "note",
    "source_import_id", "created_by_import_id", "source_url", "retrieved_at", "entered_by_id",
    "updated_at",
]  # fmt: skip
ROW_MODELS = [Observation]


def scaled(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in SCALE_1.items()}


def cells(n: int, cities: list[tuple[int, str]]) -> Iterator[tuple[int, str, str, str]]:
    """`n` distinct (municipality id, official code, district, year): every city and year for
    the whole city first, then for "District 1", "District 2" … as far as `n` needs."""
    per_district = len(cities) * len(YEARS)
    districts = [""] + [f"District {k}" for k in range(1, math.ceil(n / per_district))]
    product = itertools.product(districts, cities, YEARS)
    for district, (city, code), year in itertools.islice(product, n):
        yield city, code, district, str(year)


def _cities() -> list[tuple[int, str]]:
    return list(Municipality.objects.order_by("pk").values_list("pk", "code"))


def import_rows(n: int) -> list[Row]:
    """The rows of the import, as `rows_from_csv` would make them from a file."""
    return [
        Row(
            ref=f"line {i + 2}",
            municipality_id=city,
            place=code,
            period=period,
            value=VALUES[i % len(VALUES)],
            district=district,
            status="final",
        )
        for i, (city, code, district, period) in enumerate(cells(n, _cities()))
    ]


def _insert(params) -> None:
    q = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        q(Observation._meta.db_table),
        ", ".join(q(c) for c in COLUMNS),
        ", ".join(["%s"] * len(COLUMNS)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _raw_params(
    indicator: Indicator, rows: list[Row], *, import_id: int | None, user_id: int | None
) -> Iterator[tuple]:
    """The rows as the import writes them, naming an import and a person as its rows do (the
    database checks each of those references, for the raw insert too)."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(UPDATED_AT)
    for row in rows:
        yield (
            indicator.pk,
            row.municipality_id,
            row.district,
            row.period,
            ops.adapt_datefield_value(date(int(row.period), 1, 1)),
            ops.adapt_decimalfield_value(row.value, 18, 6),
            None,
            None,
            None,
            None,
            None,
            row.status,
            row.note,
            import_id,
            import_id,
            row.source_url,
            None,
            user_id,
            stamp,
        )


@dataclass(frozen=True)
class ImportTiming:
    rows: int  # rows given to each write
    import_seconds: float
    raw_seconds: float
    imported: int  # observations of each indicator, counted after its write
    raw: int
    table_rows: int  # observations in the table before the writes

    @property
    def ratio(self) -> float:
        return self.import_seconds / self.raw_seconds if self.raw_seconds else float("nan")


def _indicator(actor, code: str) -> Indicator:
    return services.create_indicator(
        actor=actor,
        code=code,
        name={"en": "Bench import"},
        description={"en": "Made by `safecities bench` for one run and removed after it."},
        kind=Indicator.Kind.OUTCOME,
        unit_type=Indicator.UnitType.PERCENTAGE,
        better=Indicator.Better.HIGHER,
        source=Indicator.Source.STATISTICS_OFFICE,
        period_type=Indicator.PeriodType.YEAR,
    )


def remove_indicators(codes=(IMPORT_CODE, RAW_CODE)) -> None:
    """Remove the scenario's indicators with their observations, imports and audit rows."""
    indicators = list(Indicator.objects.filter(code__in=codes))
    if not indicators:
        return
    ids = [i.pk for i in indicators]
    imports = list(Import.objects.filter(indicator__in=ids).values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:  # a million rows: not through the ORM's collector
            q = connection.ops.quote_name
            cursor.execute(
                "DELETE FROM {} WHERE {} IN ({})".format(
                    q(Observation._meta.db_table),
                    q("indicator_id"),
                    ", ".join(["%s"] * len(ids)),
                ),
                ids,
            )
        for pk in ids:
            summary.refresh(pk)
        for model, pks in ((Indicator, ids), (Import, imports)):
            AuditEvent.objects.filter(
                target_type=model._meta.label_lower, target_id__in=[str(pk) for pk in pks]
            ).delete()
        Import.objects.filter(pk__in=imports).delete()
        Indicator.objects.filter(pk__in=ids).delete()


def time_import(*, scale: float, out=None) -> ImportTiming:
    """Time `commit_import` and a raw `executemany` of the same rows (see the docstring)."""
    n = scaled(scale)["imported"]
    secretariat = User.objects.filter(role_assignments__role=Role.SECRETARIAT).first()
    remove_indicators()  # left by a run that failed part-way
    table_rows = Observation.objects.count()
    rows = import_rows(n)
    imported, raw = _indicator(secretariat, IMPORT_CODE), _indicator(secretariat, RAW_CODE)
    try:
        gc.collect()
        started = time.perf_counter()
        import_ = services.commit_import(
            secretariat, indicator=imported, rows=rows, format="csv", filename="bench.csv"
        )
        import_seconds = time.perf_counter() - started
        if out:
            out.write(f"  import: {import_seconds:.1f} s")
        gc.collect()
        started = time.perf_counter()
        with transaction.atomic():
            _insert(_raw_params(raw, rows, import_id=import_.pk, user_id=secretariat.pk))
            # the summary is kept in the same transaction, off the clock: the floor is the insert
            inserted = time.perf_counter()
            summary.refresh(raw.pk)
            summarised = time.perf_counter() - inserted
        raw_seconds = time.perf_counter() - started - summarised
        if out:
            out.write(f"  raw executemany: {raw_seconds:.1f} s")
        counts = {
            row["indicator"]: row["n"]
            for row in Observation.objects.filter(indicator__in=[imported, raw])
            .order_by()
            .values("indicator")
            .annotate(n=Count("pk"))
        }
    finally:
        del rows
        remove_indicators()
    return ImportTiming(
        rows=n,
        import_seconds=import_seconds,
        raw_seconds=raw_seconds,
        imported=counts.get(imported.pk, 0),
        raw=counts.get(raw.pk, 0),
        table_rows=table_rows,
    )


def report(timing: ImportTiming) -> str:
    """The "Imports" table: both writes, rows per second and the import's cost over raw."""
    lines = [
        f"Imports: {timing.rows:,} observations of one yearly indicator, into a table of {timing.table_rows:,}.",
        "",
        "| write | rows written | seconds | rows per second | × raw |",
        "|---|--:|--:|--:|--:|",
    ]
    for label, seconds, written, ratio in (
        ("import (`commit_import`)", timing.import_seconds, timing.imported, timing.ratio),
        ("raw `executemany`", timing.raw_seconds, timing.raw, 1.0),
    ):
        rate = timing.rows / seconds if seconds else float("nan")
        lines.append(f"| {label} | {written:,} | {seconds:.2f} | {rate:,.0f} | {ratio:.1f} |")
    return "\n".join(lines) + "\n"


def generate(generator) -> None:
    """Observations for the city dashboard: 2,000,000 × scale over `DASHBOARD_INDICATORS`,
    every city and year first, then districts. Written raw, as test data for timing."""
    n = scaled(generator.scale)["dashboard"]
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                code=code,
                name={"en": name},
                description={"en": "A synthetic indicator of the benchmark network."},
                kind=kind,
                unit_type=unit,
                better=better,
                source=Indicator.Source.STATISTICS_OFFICE,
                period_type=Indicator.PeriodType.YEAR,
            )
            for code, name, kind, unit, better in DASHBOARD_INDICATORS
        ]
    )
    cities = _cities()
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(UPDATED_AT)
    starts = {str(y): ops.adapt_datefield_value(date(y, 1, 1)) for y in YEARS}
    values = [ops.adapt_decimalfield_value(v, 18, 6) for v in VALUES]
    share = math.ceil(n / len(indicators))
    for k, indicator in enumerate(indicators):
        count = min(share, n - k * share)
        params = (
            (indicator.pk, city, district, period, starts[period],
             values[generator.rng.randrange(len(values))], None, None, None, None, None,
             "final", "", None, None, "", None, None, stamp)
            for city, _code, district, period in cells(count, cities)
        )  # fmt: skip
        with transaction.atomic():  # the rows and their summary, together
            while batch := list(itertools.islice(params, BATCH)):
                _insert(batch)
            summary.refresh(indicator.pk)


def page_paths() -> dict[str, str]:
    """What the bench's indicator pages name: the city with the most observations (its
    dashboard has the most to read past) and the dashboard's rate indicator; on a database
    without the bench's data (the demo), the city with the most observations there and its
    first indicator."""
    busiest = (
        Observation.objects.values("municipality")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality")
        .values_list("municipality", flat=True)
        .first()
    )
    city = (
        Municipality.objects.filter(pk=busiest).first()
        if busiest is not None
        else Municipality.objects.order_by("pk").first()
    )
    rate = next(code for code, _n, _k, unit, _b in DASHBOARD_INDICATORS if unit == "rate_100k")
    indicator = (
        Indicator.objects.filter(code=rate).first()
        or Indicator.objects.filter(observations__municipality=city).order_by("code").first()
        or Indicator.objects.order_by("code").first()
    )
    return {
        "indicator_city": city.slug if city else "",
        "indicator": indicator.code if indicator else "",
    }
