"""The open-data files that no app writes already: members, the charter, public practices and
public events as CSV and JSON, each with its schema (a Table Schema for a CSV, a JSON Schema for
a JSON file).

Each writer takes the records (the caller chooses them with the apps' selectors) and returns
text, or, as `*_lines`, the text a line at a time with a queryset read in chunks (what the
downloads and the ZIP use, so no file sits in memory whole); each CSV's columns are declared once, as `Column`s, and its header and Table Schema are
made from that list, so the two cannot disagree. Files are in English, whoever asks, as the
360Giving export is (`grants.giving360.LANGUAGE`); texts written in several languages carry all
of them in the JSON files.

Personal data never goes in: no person is a member in these files, no practice's contact person
or author, no event's online link or participant.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from safecities.charter.models import CharterVersion, Goal
from safecities.core import csvfiles
from safecities.core.i18n import LANGUAGE_CODES, translated
from safecities.events.models import Event
from safecities.network.models import MemberKind, Membership
from safecities.practices.models import Practice

from . import practice_rows

LANGUAGE = "en"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
CHUNK = 500  # records read from the database at a time


@dataclass(frozen=True)
class Column:
    """A CSV column: its name, Table Schema type and what it holds."""

    name: str
    type: str
    description: str
    format: str = ""
    get: Callable[[Any], Any] | None = None


def table_schema(columns: Iterable[Column], *, primary_key: str | None = None) -> dict:
    """The Table Schema (Frictionless) of a CSV with these columns."""
    fields = []
    for column in columns:
        field = {"name": column.name, "type": column.type, "description": column.description}
        if column.format:
            field["format"] = column.format
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def _cell(value):
    """A value as the CSVs write it; numbers stay numbers, text goes through the safe writer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def chunked(records: Iterable) -> Iterable:
    """A queryset read in chunks of `CHUNK` (its prefetches a chunk at a time), else as is."""
    if isinstance(records, QuerySet):
        return records.iterator(chunk_size=CHUNK)
    return records


def csv_lines(columns: list[Column], records: Iterable) -> Iterator[str]:
    """The CSV a line at a time, through the one safe writer (`core.csvfiles`)."""
    rows = ([_cell(c.get(record)) for c in columns] for record in chunked(records))
    return csvfiles.lines([c.name for c in columns], rows, lineterminator="\n")


def write_csv(columns: list[Column], records: Iterable) -> str:
    return "".join(csv_lines(columns, records))


def write_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _timestamp(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _json_schema(title: str, description: str, item: dict, *, key: str) -> dict:
    """A JSON Schema for {"<key>": [item, ...]} with the publisher's metadata beside it."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": title,
        "description": description,
        "type": "object",
        "required": ["publisher", "license", key],
        "properties": {
            "publisher": {
                "type": "object",
                "required": ["name", "website"],
                "properties": {"name": {"type": "string"}, "website": {"type": "string"}},
            },
            "license": {"type": "string", "description": "The address of the licence."},
            key: {"type": "array", "items": item},
        },
    }


def envelope(key: str, items: list, *, licence: str) -> dict:
    return {
        "publisher": {"name": settings.SITE_NAME, "website": settings.SITE_URL},
        "license": licence,
        key: items,
    }


def envelope_chunks(key: str, items: Iterable, *, licence: str) -> Iterator[str]:
    """`write_json(envelope(key, items))` as pieces: the head, then an item at a time."""
    yield write_json(envelope(key, [], licence=licence))[: -len("[]\n}")] + "["
    separator = "\n  "
    for item in items:
        yield separator + write_json(item).replace("\n", "\n  ")
        separator = ",\n  "
    yield "\n ]\n}"


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
TEXTS = {
    "type": "object",
    "description": "One text per language, keyed by language code (en, nb, sv, da, fi, is).",
    "additionalProperties": {"type": "string"},
}
CODES = {"type": "array", "items": {"type": "string"}}


# --- members -------------------------------------------------------------------------------


def _member_record(membership: Membership) -> dict:
    if membership.kind == MemberKind.CITY:
        city = membership.municipality
        return {
            "kind": "city",
            "name": city.name,
            "country": city.country.code,
            "official_code": city.code,
            "region": city.region,
            "population": city.population,
            "organisation_type": None,
            "org_id": None,
            "website": None,
            "member_since": _day(membership.started_on),
            "illustrative": False,
            "profile_url": _url("network:municipality", city.slug),
        }
    organisation = membership.organisation
    return {
        "kind": "organisation",
        "name": organisation.name,
        "country": organisation.country.code,
        "official_code": None,
        "region": None,
        "population": None,
        "organisation_type": organisation.type,
        "org_id": organisation.org_id or None,
        "website": organisation.website or None,
        "member_since": _day(membership.started_on),
        "illustrative": organisation.illustrative,
        "profile_url": _url("network:organisation", organisation.slug),
    }


def member_records(memberships: Iterable[Membership]) -> Iterator[dict]:
    # Never an individual: a person's membership is personal data.
    return (_member_record(m) for m in chunked(memberships) if m.kind != MemberKind.INDIVIDUAL)


def _member(name: str, type: str, description: str, **options) -> Column:
    return Column(name, type, description, get=lambda record: record[name], **options)


MEMBER_COLUMNS = [
    _member("kind", "string", "city or organisation"),
    _member("name", "string", "The member's name."),
    _member("country", "string", "ISO 3166-1 alpha-2 country code."),
    _member("official_code", "string", "A city's official municipality code, e.g. 0301."),
    _member("region", "string", "A city's county or region."),
    _member("population", "integer", "A city's population as last recorded."),
    _member("organisation_type", "string", "An organisation's type (ngo, research, ...)."),
    _member(
        "org_id",
        "string",
        "An organisation's org-id (org-id.guide), e.g. NO-BRC-974760673, where it has one.",
    ),
    _member("website", "string", "An organisation's website.", format="uri"),
    _member("member_since", "date", "The day the membership started."),
    _member("illustrative", "boolean", "true: invented for the demonstration network."),
    _member("profile_url", "string", "The member's page on the platform.", format="uri"),
]


def members_csv(memberships: Iterable[Membership]) -> str:
    """The member cities and organisations, one row each."""
    return write_csv(MEMBER_COLUMNS, member_records(memberships))


def members_json(memberships: Iterable[Membership], *, licence: str) -> str:
    return write_json(envelope("members", list(member_records(memberships)), licence=licence))


def members_json_schema() -> dict:
    types = {"string": STRING, "integer": {"type": "integer"}, "boolean": {"type": "boolean"}}
    required = {"kind", "name", "country", "member_since", "illustrative", "profile_url"}
    properties = {}
    for c in MEMBER_COLUMNS:
        schema = dict(types.get(c.type, STRING))
        if c.format or c.type == "date":
            schema["format"] = c.format or "date"
        if c.name not in required:
            schema["type"] = [schema["type"], "null"]
        properties[c.name] = {**schema, "description": c.description}
    properties["kind"]["enum"] = ["city", "organisation"]
    item = {
        "type": "object",
        "required": [c.name for c in MEMBER_COLUMNS],
        "additionalProperties": False,
        "properties": properties,
    }
    return _json_schema(
        "Members",
        "The network's member cities and organisations (individual members are left out).",
        item,
        key="members",
    )


# --- charter -------------------------------------------------------------------------------


def charter_data(goals: Iterable[Goal], versions: Iterable[CharterVersion]) -> dict:
    return {
        "goals": [
            {
                "code": g.code,
                "position": g.position,
                "name": g.name,
                "description": g.description,
            }
            for g in goals
        ],
        "versions": [
            {
                "version": v.version,
                "adopted_on": _day(v.adopted_on),
                "preamble": v.preamble,
                "goals": [g.code for g in v.goals.all()],
            }
            for v in versions
        ],
    }


def charter_json(goals, versions, *, licence: str) -> str:
    """The charter's goals in every language and its versions with the goals of each."""
    data = charter_data(goals, versions)
    return write_json({**envelope("goals", data["goals"], licence=licence), **data})


def charter_json_schema() -> dict:
    goal = {
        "type": "object",
        "required": ["code", "position", "name", "description"],
        "additionalProperties": False,
        "properties": {
            "code": {**STRING, "description": "The goal's code, used to tag everything else."},
            "position": {"type": "integer", "description": "The goal's number in the charter."},
            "name": TEXTS,
            "description": TEXTS,
        },
    }
    schema = _json_schema(
        "The charter",
        "The charter's goals, in every language of the platform, and its versions.",
        goal,
        key="goals",
    )
    schema["required"].append("versions")
    schema["properties"]["versions"] = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["version", "adopted_on", "preamble", "goals"],
            "additionalProperties": False,
            "properties": {
                "version": STRING,
                "adopted_on": DATE,
                "preamble": TEXTS,
                "goals": {**CODES, "description": "The codes of the version's goals."},
            },
        },
    }
    return schema


def _goal_columns() -> list[Column]:
    columns = [
        Column("code", "string", "The goal's code.", get=lambda g: g.code),
        Column(
            "position", "integer", "The goal's number in the charter.", get=lambda g: g.position
        ),
    ]
    for code in LANGUAGE_CODES:
        columns.append(
            Column(
                f"name_{code}",
                "string",
                f"The goal's name in {code}.",
                get=lambda g, code=code: g.name.get(code, ""),
            )
        )
    for code in LANGUAGE_CODES:
        columns.append(
            Column(
                f"description_{code}",
                "string",
                f"The goal's description in {code}.",
                get=lambda g, code=code: g.description.get(code, ""),
            )
        )
    return columns


GOAL_COLUMNS = _goal_columns()


def charter_goals_csv(goals: Iterable[Goal]) -> str:
    """The charter's goals, one row each, a name and description column per language."""
    return write_csv(GOAL_COLUMNS, goals)


# --- practices -----------------------------------------------------------------------------

PRACTICE_TEXTS = practice_rows.TEXTS


_SENTINEL = 987654321


def practice_records(practices: QuerySet[Practice], *, texts: bool = True) -> Iterator[dict]:
    """`practice_rows.practice_rows` with each practice's page as `url` (the path reversed once,
    not once per practice)."""
    head, _sentinel, tail = _url("practices:detail", _SENTINEL).rpartition(str(_SENTINEL))
    for practice in practice_rows.practice_rows(practices, texts=texts):
        practice["url"] = f"{head}{practice['id']}{tail}"
        yield practice


def _practice_record(practice: dict) -> dict:
    """A practice as `practice_records` reads it, as the JSON file writes it."""
    return {
        "id": practice["id"],
        "url": practice["url"],
        "language": practice["language"],
        **{name: practice[name] for name in PRACTICE_TEXTS},
        "translations": practice["translations"],
        "goals": practice["goals"],
        "target_groups": practice["target_groups"],
        "phenomena": practice["phenomena"],
        "arenas": practice["arenas"],
        "cities": practice["cities"],
        "organisations": practice["organisations"],
        "partners": practice["partners"],
        "starts_on": _day(practice["starts_on"]),
        "ends_on": _day(practice["ends_on"]),
        "activity": practice["activity"],
        "evaluation_type": practice["evaluation_type"],
        "evaluation_measured": practice["evaluation_measured"],
        "evaluation_link": practice["evaluation_link"] or None,
        "evidence_level": practice["evidence_level"],
        "illustrative": practice["illustrative"],
        "published_at": _timestamp(practice["published_at"]),
        "updated_at": _timestamp(practice["updated_at"]),
    }


def practices_json(practices: QuerySet[Practice], *, licence: str) -> str:
    """Public practices with their texts in their own language and every translation."""
    return "".join(practices_json_chunks(practices, licence=licence))


def practices_json_chunks(practices: QuerySet[Practice], *, licence: str) -> Iterator[str]:
    """`practices_json` a practice at a time, the practices read in chunks as plain values."""
    records = (_practice_record(p) for p in practice_records(practices))
    return envelope_chunks("practices", records, licence=licence)


def practices_json_schema() -> dict:
    texts = {name: STRING for name in PRACTICE_TEXTS}
    properties = {
        "id": {"type": "integer"},
        "url": {**STRING, "format": "uri"},
        "language": {**STRING, "description": "The language the practice was written in."},
        **texts,
        "translations": {
            "type": "object",
            "description": "The practice's texts translated, keyed by language code.",
            "additionalProperties": {
                "type": "object",
                "required": PRACTICE_TEXTS,
                "properties": texts,
                "additionalProperties": False,
            },
        },
        "goals": {**CODES, "description": "Codes of the charter goals it works towards."},
        "target_groups": {**CODES, "description": "Codes of the target-group vocabulary."},
        "phenomena": {**CODES, "description": "Codes of the phenomenon vocabulary."},
        "arenas": {**CODES, "description": "Codes of the arena vocabulary."},
        "cities": {**CODES, "description": "Cities as country-official code, e.g. NO-0301."},
        "organisations": {**CODES, "description": "Names of the organisations behind it."},
        "partners": STRING,
        "starts_on": DATE,
        "ends_on": DATE,
        "activity": {"enum": list(Practice.Activity.values)},
        "evaluation_type": {"enum": list(Practice.EvaluationType.values)},
        "evaluation_measured": STRING,
        "evaluation_link": NULLABLE_STRING,
        "evidence_level": {"enum": list(Practice.Evidence.values)},
        "illustrative": {
            "type": "boolean",
            "description": "true: invented for the demonstration network.",
        },
        "published_at": DATETIME,
        "updated_at": DATETIME,
    }
    item = {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }
    return _json_schema(
        "Public practices",
        "The knowledge bank's published practices that everyone may read.",
        item,
        key="practices",
    )


def _practice(name: str, type: str, description: str, **options) -> Column:
    return Column(name, type, description, get=lambda record: record[name], **options)


PRACTICE_COLUMNS = [
    _practice("id", "integer", "The practice's number on the platform."),
    _practice("url", "string", "The practice's page.", format="uri"),
    _practice("language", "string", "The language it was written in."),
    _practice("title", "string", "Its title, in its own language."),
    _practice("summary", "string", "Its summary (Markdown)."),
    Column(
        "translations",
        "string",
        "The languages it is translated into, separated by spaces.",
        get=lambda p: list(p["translations"]),
    ),
    _practice("goals", "string", "Charter goal codes, separated by spaces."),
    _practice(
        "cities", "string", "Cities as country-official code (NO-0301), separated by spaces."
    ),
    Column(
        "organisations",
        "string",
        "The organisations behind it, separated by semicolons.",
        get=lambda p: "; ".join(p["organisations"]),
    ),
    _practice("starts_on", "date", "When the work started."),
    _practice("ends_on", "date", "When the work ended."),
    _practice("activity", "string", "pilot, ongoing or ended."),
    _practice("evaluation_type", "string", "none, internal, external or research."),
    _practice("evidence_level", "string", "described, documented, peer_reviewed or evaluated."),
    _practice("illustrative", "boolean", "true: invented for the demonstration network."),
    _practice("published_at", "datetime", "When it was published (UTC)."),
    _practice("updated_at", "datetime", "When it last changed (UTC)."),
]


def practices_csv_lines(practices: QuerySet[Practice]) -> Iterator[str]:
    """`practices_csv` a line at a time, the practices read in chunks as plain values."""
    return csv_lines(PRACTICE_COLUMNS, practice_records(practices, texts=False))


def practices_csv(practices: QuerySet[Practice]) -> str:
    """Public practices, one row each, with their title and summary in their own language."""
    return "".join(practices_csv_lines(practices))


# --- events --------------------------------------------------------------------------------

EVENT_COLUMNS = [
    Column("id", "integer", "The event's number on the platform.", get=lambda e: e.pk),
    Column(
        "url",
        "string",
        "The event's page.",
        format="uri",
        get=lambda e: _url("events:detail", e.pk),
    ),
    Column("title", "string", "The title in English.", get=lambda e: translated(e.title, LANGUAGE)),
    Column("type", "string", "summit, conference, workshop, webinar, ...", get=lambda e: e.type),
    Column(
        "status",
        "string",
        "published, cancelled or closed (it took place).",
        get=lambda e: e.status,
    ),
    Column("starts_at", "datetime", "When it starts (UTC).", get=lambda e: e.starts_at),
    Column("ends_at", "datetime", "When it ends (UTC).", get=lambda e: e.ends_at),
    Column("time_zone", "string", "The event's own time zone.", get=lambda e: e.time_zone),
    Column("venue", "string", "Where it takes place.", get=lambda e: e.venue),
    Column(
        "city",
        "string",
        "The city as country-official code (NO-0301); empty when online.",
        get=lambda e: (
            f"{e.municipality.country.code}-{e.municipality.code}" if e.municipality else ""
        ),
    ),
    Column(
        "languages",
        "string",
        "Languages spoken, separated by spaces.",
        get=lambda e: e.languages or [],
    ),
]


def events_csv(events: Iterable[Event]) -> str:
    """Public events, one row each; never an online link."""
    return write_csv(EVENT_COLUMNS, events)
