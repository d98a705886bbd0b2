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
empty. Numbers are JSON numbers when a float holds them exactly, else decimal strings. Only
whole-city observations are written: the JSON-stat import has no district, so a district's
figure would come back as the city's. The CSV holds the district ones too.

To import it, one indicator and one country at a time: dataset 0, geo dimension
`municipality`, time dimension `period`, and fixed categories `indicator` = the indicator's code
and `country` = the country's code (`services.map_import`).
"""

import csv
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import IO

from django.conf import settings

from safecities.core.i18n import translated

from . import suppression
from .models import Observation
from .rows import CSV_COLUMNS

LANGUAGE = "en"  # files are written in one language, whoever asks
CSV_FIELDS = ["indicator", *CSV_COLUMNS]
DIMENSIONS = ["indicator", "country", "municipality", "period"]


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


def write_observations_csv(observations: Iterable[Observation], out: IO[str]) -> None:
    """One row per observation: `indicator` and the columns the CSV import reads (see `rows`).
    A numerator under the threshold is left empty, as the API leaves it out."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for o in _checked(observations):
        numerator = suppression.display_count(o.numerator) or ""
        writer.writerow(
            [
                o.indicator.code,
                o.municipality.code,
                o.municipality.country.code,
                o.district,
                o.period,
                _text(o.value),
                "" if numerator.startswith("<") else numerator,
                _text(o.denominator),
                "" if o.sample_size is None else o.sample_size,
                _text(o.ci_low),
                _text(o.ci_high),
                o.status,
                o.note,
            ]
        )


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
    codes = {
        "indicator": sorted(names["indicator"]),
        "country": sorted(names["country"]),
        "municipality": sorted(names["municipality"]),
        "period": sorted(names["period"], key=lambda p: (p[:4], p)),
    }
    sizes = [len(codes[d]) for d in DIMENSIONS]
    position = {d: {code: i for i, code in enumerate(codes[d])} for d in DIMENSIONS}
    value = {}
    for key, number in cells.items():
        flat = 0
        for dim, code, size in zip(DIMENSIONS, key, sizes, strict=True):
            flat = flat * size + position[dim][code]
        value[str(flat)] = _number(number)
    dimension = {d: {"label": d, "category": _category(codes[d], names[d])} for d in DIMENSIONS}
    dimension["indicator"]["category"]["unit"] = {code: units[code] for code in codes["indicator"]}
    updated = {"updated": newest.isoformat(timespec="seconds")} if newest else {}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": label or f"{settings.SITE_NAME}: indicator observations",
        "source": settings.SITE_NAME,
        **updated,  # the newest observation's change; left out when there is none
        "id": DIMENSIONS,
        "size": sizes,
        "role": {"metric": ["indicator"], "geo": ["municipality"], "time": ["period"]},
        "dimension": dimension,
        "value": dict(sorted(value.items(), key=lambda item: int(item[0]))),
    }


def jsonstat_text(observations: Iterable[Observation], *, label: str = "") -> str:
    return json.dumps(jsonstat_dataset(observations, label=label), ensure_ascii=False, indent=1)
