"""The Nordic municipal registry: every current municipality of the countries whose statistics
offices' classifications ship with the package (network/registry/*.csv, see docs/registry.md).

`load()` reads every file before it writes anything: a bad file is refused with its name and
row, and nothing changes. Loading the same files twice changes nothing. A newer classification
updates names and regions; each change is written to the audit trail."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from safecities.core import audit
from safecities.core.errors import InvalidInput
from safecities.core.models import User
from safecities.core.text import nordic_slug

from ..models import Country, Membership, Municipality, PredecessorCode
from ..validators import validate_municipality_code
from .directory import refresh_directory_keys

REGISTRY_DIR = Path(__file__).resolve().parent.parent / "registry"

# One file per country: code,name,region and, where a country has more than one official
# language, name_<language> columns.
COUNTRY_FILES = {
    "NO": "no.csv",
    "SE": "se.csv",
    "DK": "dk.csv",
    "FI": "fi.csv",
    "IS": "is.csv",
}
# Former codes of merged or renumbered municipalities: old_code,old_name,code.
PREDECESSOR_FILES = {"NO": "no_predecessors.csv"}

COUNTRY_NAMES = {
    "NO": {"en": "Norway", "nb": "Norge", "sv": "Norge", "da": "Norge", "fi": "Norja"},
    "SE": {"en": "Sweden", "nb": "Sverige", "sv": "Sverige", "da": "Sverige", "fi": "Ruotsi"},
    "DK": {"en": "Denmark", "nb": "Danmark", "sv": "Danmark", "da": "Danmark", "fi": "Tanska"},
    "FI": {"en": "Finland", "nb": "Finland", "sv": "Finland", "da": "Finland", "fi": "Suomi"},
    "IS": {"en": "Iceland", "nb": "Island", "sv": "Island", "da": "Island", "fi": "Islanti"},
}
COUNTRY_NAMES["NO"]["is"] = "Noregur"
COUNTRY_NAMES["SE"]["is"] = "Svíþjóð"
COUNTRY_NAMES["DK"]["is"] = "Danmörk"
COUNTRY_NAMES["FI"]["is"] = "Finnland"
COUNTRY_NAMES["IS"]["is"] = "Ísland"

REQUIRED_COLUMNS = ("code", "name", "region")
PREDECESSOR_COLUMNS = ("old_code", "old_name", "code")


class RegistryFileError(InvalidInput):
    """A registry file cannot be loaded; the message names the file and the row."""


@dataclass
class Entry:
    code: str
    name: str
    region: str
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    predecessors_created: int = 0
    predecessors_updated: int = 0
    per_country: dict[str, int] = field(default_factory=dict)


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row dict) of a CSV file, refusing a missing file or column."""
    if not path.is_file():
        raise RegistryFileError(f"{path.name}: the file is missing.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise RegistryFileError(f"{path.name}, row 1: missing column(s) {', '.join(missing)}.")
        for number, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise RegistryFileError(f"{path.name}, row {number}: wrong number of fields.")
            yield number, {k: v.strip() for k, v in row.items()}


def _read_country(path: Path, *, country: str) -> list[Entry]:
    entries, seen = [], set()
    for number, row in _rows(path, REQUIRED_COLUMNS):
        where = f"{path.name}, row {number}"
        try:
            validate_municipality_code(country, row["code"])
        except ValidationError as exc:
            raise RegistryFileError(f"{where}: code {row['code']!r}: {exc.messages[0]}") from exc
        if row["code"] in seen:
            raise RegistryFileError(f"{where}: code {row['code']} appears twice.")
        if not row["name"]:
            raise RegistryFileError(f"{where}: the name is empty.")
        seen.add(row["code"])
        names = {
            key.removeprefix("name_"): value
            for key, value in row.items()
            if key.startswith("name_") and value
        }
        forms = row["name"].split(" - ")
        if country == "NO" and names and sorted(names.values()) != sorted(forms):
            raise RegistryFileError(
                f"{where}: the names by language ({', '.join(names.values())}) are not the "
                f"forms of the official name {row['name']!r}."
            )
        entries.append(Entry(row["code"], row["name"], row["region"], names))
    if not entries:
        raise RegistryFileError(f"{path.name}: the file holds no municipality.")
    return entries


def _read_predecessors(path: Path, *, current: set[str]) -> list[tuple[str, str, str]]:
    out, seen = [], set()
    for number, row in _rows(path, PREDECESSOR_COLUMNS):
        where = f"{path.name}, row {number}"
        old, code = row["old_code"], row["code"]
        if not old or old in seen:
            raise RegistryFileError(f"{where}: former code {old!r} is empty or appears twice.")
        if old in current:
            raise RegistryFileError(f"{where}: former code {old} is a current code.")
        if code not in current:
            raise RegistryFileError(f"{where}: code {code!r} is no current municipality.")
        seen.add(old)
        out.append((old, row["old_name"], code))
    return out


def read(
    directory: Path | None = None, *, only: str | None = None
) -> tuple[dict[str, list[Entry]], dict[str, list]]:
    """Every file of `directory` (or only those of the country `only`) read and checked,
    nothing written."""
    directory = Path(directory or REGISTRY_DIR)
    countries = {
        c: _read_country(directory / f, country=c)
        for c, f in COUNTRY_FILES.items()
        if only is None or c == only
    }
    predecessors = {
        c: _read_predecessors(directory / f, current={e.code for e in countries[c]})
        for c, f in PREDECESSOR_FILES.items()
        if c in countries
    }
    return countries, predecessors


def _changes(municipality: Municipality, entry: Entry) -> dict[str, list[object]]:
    changes: dict[str, list[object]] = {}
    if municipality.name != entry.name:
        changes["name"] = [municipality.name, entry.name]
    if entry.region and municipality.region != entry.region:
        changes["region"] = [municipality.region, entry.region]
    if entry.names and municipality.names != entry.names:
        changes["names"] = [municipality.names, entry.names]
    return changes


@transaction.atomic
def load(
    directory: Path | None = None, *, actor: User | None = None, only: str | None = None
) -> LoadResult:
    """Load (or bring up to date) every municipality of the registry files in `directory`
    (or only those of the country whose code is `only`)."""
    countries, predecessors = read(directory, only=only)
    result = LoadResult()
    slugs = set(Municipality.objects.values_list("slug", flat=True))
    renamed = []
    for code, entries in countries.items():
        country, _ = Country.objects.get_or_create(
            code=code, defaults={"name": COUNTRY_NAMES.get(code, {})}
        )
        existing = {m.code: m for m in Municipality.objects.filter(country=country)}
        new = []
        for entry in entries:
            municipality = existing.get(entry.code)
            if municipality is None:
                slug = base = nordic_slug(entry.name)[:130] or f"{code.lower()}-{entry.code}"
                if slug in slugs:
                    slug = f"{base}-{code.lower()}-{entry.code}"
                slugs.add(slug)
                new.append(
                    Municipality(
                        country=country,
                        code=entry.code,
                        name=entry.name,
                        slug=slug,
                        region=entry.region,
                        names=entry.names,
                    )
                )
                continue
            changes = _changes(municipality, entry)
            if not changes:
                result.unchanged += 1
                continue
            for name, (_old, value) in changes.items():
                setattr(municipality, name, value)
            municipality.save(update_fields=list(changes))
            if "name" in changes:
                renamed.append(municipality.pk)
            audit.record(
                actor=actor,
                action="municipality.registry_updated",
                target=municipality,
                changes=changes,
            )
            result.updated += 1
        Municipality.objects.bulk_create(new)
        result.created += len(new)
        result.per_country[code] = len(entries)
        _load_predecessors(country, predecessors.get(code, []), result)
    if renamed:  # a member city's new name is where the directory sorts it
        refresh_directory_keys(Membership.objects.filter(municipality__in=renamed))
    return result


def _load_predecessors(country: Country, rows: list, result: LoadResult) -> None:
    if not rows:
        return
    current = {m.code: m for m in Municipality.objects.filter(country=country)}
    known = {p.code: p for p in PredecessorCode.objects.filter(country=country)}
    new = []
    for old, old_name, code in rows:
        municipality = current[code]
        former = known.get(old)
        if former is None:
            new.append(
                PredecessorCode(country=country, code=old, name=old_name, municipality=municipality)
            )
        elif former.municipality_id != municipality.pk or former.name != old_name:
            changes = {"municipality": [former.municipality_id, municipality.pk]}
            former.municipality, former.name = municipality, old_name
            former.save(update_fields=["municipality", "name"])
            audit.record(
                actor=None,
                action="municipality.predecessor_updated",
                target=former,
                changes=changes,
            )
            result.predecessors_updated += 1
    PredecessorCode.objects.bulk_create(new)
    result.predecessors_created += len(new)
