"""Observations written out: a CSV in the import's columns and a JSON-stat 2.0 dataset that
`jsonstat` and the import read back.

The caller chooses the observations (open data passes `selectors.public_observations()`, which
leaves out what the small-number rule hides); the writers still refuse a suppressed one, so no
caller can publish a small count by passing the wrong queryset.

## The JSON-stat dataset

One dataset, four dimensions in this order:

| id | role | categories |
|---|---|---|
| `indicator` | metric | indicator codes, labelled with their English names, with their unit |
| `country` | | ISO 3166-1 alpha-2 codes |
| `municipality` | geo | official municipality codes |
| `period` | time | normalised periods: 2024, 2024-H1, 2024-Q3, 2024-05 |

`value` is sparse (an object keyed by the flat cell index), since most cells of the cube are
empty. Given a queryset, the file is written as it is read (`jsonstat_chunks`): the categories
first, from a few small queries, then one value per observation, read in chunks, so a network's
millions of observations never sit in memory at once; the values then follow the queryset's
order (JSON leaves an object's order free). Numbers are JSON numbers when a float holds them exactly, else decimal strings. Only
whole-city observations are written: the JSON-stat import has no district, so a district's
figure would come back as the city's. The CSV holds the district ones too.

To import it, one indicator and one country at a time: dataset 0, geo dimension
`municipality`, time dimension `period`, and fixed categories `indicator` = the indicator's code
and `country` = the country's code (`services.map_import`).
"""

import decimal
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db import connections
from django.db.models import Max, QuerySet
from django.db.models.sql.constants import MULTI

from safecities.core import csvfiles
from safecities.core.i18n import translated
from safecities.network.models import Municipality

from . import suppression
from .models import VALUE_FIELDS, Indicator, Observation
from .rows import CSV_COLUMNS

LANGUAGE = "en"  # files are written in one language, whoever asks
CSV_FIELDS = ["indicator", *CSV_COLUMNS]
DIMENSIONS = ["indicator", "country", "municipality", "period"]
CHUNK = 2000  # rows read from the database at a time


class SuppressedObservation(ValueError):
    """A writer was handed an observation the small-number rule hides."""


def _checked(observations: Iterable[Observation]) -> Iterable[Observation]:
    for observation in observations:
        if suppression.is_suppressed(observation):
            raise SuppressedObservation(f"observation {observation.pk} is suppressed")
        yield observation


def _text(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(Decimal(number).normalize(), "f")


def _figure(number: Decimal | None) -> Decimal | None:
    """A stored number for the CSV: written as a number, without trailing zeros."""
    return None if number is None else number.normalize()


# SQLite hands a decimal back as a float (or an int), which Django turns into a Decimal of 15
# significant digits quantized to the field's places; for the CSV, that Decimal normalized.
_SQLITE_DIGITS = decimal.Context(prec=15)
_PLACES = Observation._meta.get_field("value").decimal_places
_QUANTUM = Decimal(1).scaleb(-_PLACES)
_CONTEXT = Observation._meta.get_field("value").context


def _stored_figure(number) -> Decimal | float | int | None:
    """`_figure` of a number as the database handed it back, unconverted (a Decimal, or from
    SQLite a float or an int), written the same: where the float's shortest text (`repr`, what
    the CSV writer writes of a float) is that Decimal's, the float itself, else the Decimal.
    Most of a large file's figures take the short way, without a Decimal."""
    kind = type(number)
    if kind is float:
        if number.is_integer():
            if number and abs(number) < 1e15:
                return int(number)  # 0.0 (maybe -0.0) the long way
        else:
            text = repr(number)
            dot = text.find(".")
            # no exponent, no more places than the field's, no more than 15 digits
            places = len(text) - dot - 1
            if dot > 0 and "e" not in text and places <= _PLACES and len(text.lstrip("-")) <= 16:
                return number
        stored = _SQLITE_DIGITS.create_decimal_from_float(number)
        return stored.quantize(_QUANTUM, context=_CONTEXT).normalize()
    if kind is int:
        return number
    if number is None:
        return None
    return Decimal(number).normalize()


def _raw_rows(queryset: QuerySet, fields) -> Iterator[tuple]:
    """The queryset's `fields` as the database hands them back, `CHUNK` rows at a time, with
    none of Django's conversions (a Decimal field from SQLite is a float: `_stored_figure`)."""
    query = queryset.values_list(*fields).query
    compiler = query.get_compiler(using=queryset.db)
    chunked = not connections[queryset.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    for rows in compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=CHUNK):
        yield from rows


# What a CSV row reads of an observation, in this order: read from a queryset as plain values
# (no model instances, which would cost most of a large file's time), or from the instances.
CSV_VALUES = (
    "pk",
    "indicator_id",
    "indicator__code",
    "municipality__code",
    "municipality__country__code",
    "district",
    "period",
    *VALUE_FIELDS,
)


def _values(observations: Iterable[Observation]) -> tuple[dict[int, Indicator], Iterable]:
    """The indicators the observations belong to (for the small-number rule) and the
    observations as `CSV_VALUES` tuples, a queryset read in chunks."""
    if isinstance(observations, QuerySet):
        used = observations.order_by().values("indicator_id")
        found = {i.pk: i for i in Indicator.objects.filter(pk__in=used)}
        return found, _raw_rows(observations, CSV_VALUES)
    observations = list(observations)
    found = {o.indicator_id: o.indicator for o in observations}
    rows = (
        (
            o.pk,
            o.indicator_id,
            o.indicator.code,
            o.municipality.code,
            o.municipality.country.code,
            *(getattr(o, name) for name in CSV_VALUES[5:]),
        )
        for o in observations
    )
    return found, rows


def _csv_rows(observations: Iterable[Observation]) -> Iterator[list]:
    indicators, rows = _values(observations)
    suppressed = suppression.suppressed_rows(indicators.values())
    small = suppression.threshold()
    figure = _stored_figure
    for pk, indicator_id, *row in rows:
        value, numerator = row[5], row[6]
        if suppressed(indicator_id, value, numerator):
            raise SuppressedObservation(f"observation {pk} is suppressed")
        # a numerator under the threshold ("<5" where shown) is left empty
        row[6] = None if numerator is None or 0 < numerator < small else figure(numerator)
        row[5], row[7], row[9], row[10] = (
            figure(value),
            figure(row[7]),
            figure(row[9]),
            figure(row[10]),
        )
        yield row


def observation_lines(observations: Iterable[Observation]) -> Iterator[str]:
    """The CSV (see `write_observations_csv`) one line at a time, read in chunks."""
    return csvfiles.lines(CSV_FIELDS, _csv_rows(observations), lineterminator="\n")


def write_observations_csv(observations: Iterable[Observation], out: IO[str]) -> None:
    """One row per observation: `indicator` and the columns the CSV import reads (see `rows`).
    A numerator under the threshold is left empty, as the API leaves it out. Numbers are
    written as numbers; text starting with a formula character is quoted (`core.csvfiles`)."""
    for line in observation_lines(observations):
        out.write(line)


def _number(value: Decimal) -> int | float | str:
    """A JSON number when one holds the decimal exactly, else the decimal as text."""
    value = Decimal(value).normalize()
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return _text(value)


def _category(codes: list[str], labels: dict[str, str]) -> dict:
    return {"index": codes, "label": {code: labels.get(code, code) for code in codes}}


def _dimensions(
    names: dict[str, dict[str, str]],
) -> tuple[dict[str, list[str]], list[int], dict[str, dict[str, int]]]:
    """Each dimension's codes in the dataset's order (periods by year, then as spelt), its
    size, and each code's position: the same for the whole and the streamed writer."""
    codes = {
        "indicator": sorted(names["indicator"]),
        "country": sorted(names["country"]),
        "municipality": sorted(names["municipality"]),
        "period": sorted(names["period"], key=lambda p: (p[:4], p)),
    }
    sizes = [len(codes[d]) for d in DIMENSIONS]
    position = {d: {code: i for i, code in enumerate(codes[d])} for d in DIMENSIONS}
    return codes, sizes, position


def jsonstat_dataset(observations: Iterable[Observation], *, label: str = "") -> dict:
    """The whole-city observations as one JSON-stat 2.0 dataset (see this module's docstring).
    Each observation needs its indicator and its municipality's country loaded."""
    cells: dict[tuple[str, str, str, str], Decimal] = {}
    names: dict[str, dict[str, str]] = {d: {} for d in DIMENSIONS}
    units: dict[str, dict] = {}
    newest = None
    for o in _checked(observations):
        if o.district:
            continue
        indicator, municipality = o.indicator, o.municipality
        key = (indicator.code, municipality.country.code, municipality.code, o.period)
        cells[key] = o.value
        names["indicator"][indicator.code] = translated(indicator.name, LANGUAGE)
        units[indicator.code] = {"label": indicator.get_unit_type_display()}
        names["country"][municipality.country.code] = (
            translated(municipality.country.name, LANGUAGE) or municipality.country.code
        )
        names["municipality"].setdefault(municipality.code, municipality.name)
        names["period"][o.period] = o.period
        if newest is None or o.updated_at > newest:
            newest = o.updated_at
    codes, sizes, position = _dimensions(names)
    value = {}
    for key, number in cells.items():
        flat = 0
        for dim, code, size in zip(DIMENSIONS, key, sizes, strict=True):
            flat = flat * size + position[dim][code]
        value[str(flat)] = _number(number)
    dimension = {d: {"label": d, "category": _category(codes[d], names[d])} for d in DIMENSIONS}
    dimension["indicator"]["category"]["unit"] = {code: units[code] for code in codes["indicator"]}
    return {
        **_head(label=label, newest=newest, sizes=sizes, dimension=dimension),
        "value": dict(sorted(value.items(), key=lambda item: int(item[0]))),
    }


def _head(*, label: str, newest, sizes: list[int], dimension: dict) -> dict:
    """A dataset's JSON-stat members before its values, the same for both writers."""
    return {
        "version": "2.0",
        "class": "dataset",
        "label": label or f"{settings.SITE_NAME}: indicator observations",
        "source": settings.SITE_NAME,
        # the newest observation's change; left out when there is none
        **({"updated": newest.isoformat(timespec="seconds")} if newest else {}),
        "id": DIMENSIONS,
        "size": sizes,
        "role": {"metric": ["indicator"], "geo": ["municipality"], "time": ["period"]},
        "dimension": dimension,
    }


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def jsonstat_chunks(observations: QuerySet[Observation], *, label: str = "") -> Iterator[str]:
    """The same dataset as `jsonstat_dataset`, written as it is read (see the module's
    docstring): the categories from a few queries, then the values, a chunk of rows at a
    time."""
    whole = observations.filter(district="")
    indicators = {i.code: i for i in Indicator.objects.filter(pk__in=whole.values("indicator_id"))}
    places = Municipality.objects.filter(pk__in=whole.values("municipality_id"))
    names: dict[str, dict[str, str]] = {d: {} for d in DIMENSIONS}
    for code, indicator in indicators.items():
        names["indicator"][code] = translated(indicator.name, LANGUAGE)
    for municipality in places.select_related("country").order_by("pk"):
        country = municipality.country
        names["country"][country.code] = translated(country.name, LANGUAGE) or country.code
        names["municipality"].setdefault(municipality.code, municipality.name)
    for period in whole.order_by().values_list("period", flat=True).distinct():
        names["period"][period] = period
    newest = whole.aggregate(newest=Max("updated_at"))["newest"]
    codes, sizes, position = _dimensions(names)
    dimension = {d: {"label": d, "category": _category(codes[d], names[d])} for d in DIMENSIONS}
    dimension["indicator"]["category"]["unit"] = {
        code: {"label": indicators[code].get_unit_type_display()} for code in codes["indicator"]
    }
    head = _head(label=label, newest=newest, sizes=sizes, dimension=dimension)
    yield _dumps(head)[:-2] + ',\n "value": {'
    cells = whole.values_list(
        "pk",
        "indicator__code",
        "municipality__country__code",
        "municipality__code",
        "period",
        "value",
        "numerator",
    ).iterator(chunk_size=CHUNK)
    separator = "\n  "
    for pk, *key, number, numerator in cells:
        if suppression.is_suppressed(indicators[key[0]], number, numerator):
            raise SuppressedObservation(f"observation {pk} is suppressed")
        flat = 0
        for dim, code, size in zip(DIMENSIONS, key, sizes, strict=True):
            flat = flat * size + position[dim][code]
        yield f"{separator}{_dumps(str(flat))}: {_dumps(_number(number))}"
        separator = ",\n  "
    yield "\n }\n}"


def jsonstat_text(observations: Iterable[Observation], *, label: str = "") -> str:
    if isinstance(observations, QuerySet):
        return "".join(jsonstat_chunks(observations, label=label))
    return _dumps(jsonstat_dataset(observations, label=label))
