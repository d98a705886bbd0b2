"""Public practices read for the open-data files as plain values, a chunk at a time.

A network's knowledge bank holds tens of thousands of practices, each with translations, goals,
terms, cities and organisations. Read as model instances with seven prefetches each, building
the instances cost most of the files' time; here each chunk of practices is one query of plain
values (`values_list`) and one grouped query per related list (its codes or names in the order
the related model sorts them, the primary key breaking ties), joined in a dictionary.

Each practice comes out as a dict: its own fields by name (`id`, `language`, the texts, dates,
...), `translations` (language -> texts, in language order; with `texts=False` only the
languages as keys, with empty texts), and the lists `goals`, `target_groups`, `phenomena`,
`arenas` (codes; not with `texts=False`), `cities` (country-official code, e.g. NO-0301) and `organisations` (names).
"""

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet

from safecities.practices.models import Practice, PracticeTranslation

CHUNK = 1000  # practices read at a time
TEXTS = ["title", "summary", "problem", "approach", "resources", "transfer", "results"]
FIELDS = [
    "id",
    "language",
    *TEXTS,
    "partners",
    "starts_on",
    "ends_on",
    "activity",
    "evaluation_type",
    "evaluation_measured",
    "evaluation_link",
    "evidence_level",
    "illustrative",
    "published_at",
    "updated_at",
]
# The short form (`texts=False`): what the CSV writes, no long texts.
SHORT_FIELDS = [f for f in FIELDS if f not in TEXTS[2:] and f not in ("partners",)]

# Each related list: its many-to-many field, what is read of the related record (through the
# join table) and the related model's own order, the related record's key breaking ties.
RELATED = {
    "goals": ("goals", ("goal__code",), ("goal__position", "goal_id")),
    "target_groups": (
        "target_groups",
        ("term__code",),
        ("term__vocabulary", "term__code", "term_id"),
    ),
    "phenomena": ("phenomena", ("term__code",), ("term__vocabulary", "term__code", "term_id")),
    "arenas": ("arenas", ("term__code",), ("term__vocabulary", "term__code", "term_id")),
    "cities": (
        "municipalities",
        ("municipality__country__code", "municipality__code"),
        ("municipality__name", "municipality_id"),
    ),
    "organisations": (
        "organisations",
        ("organisation__name",),
        ("organisation__name", "organisation_id"),
    ),
}


def _related(name: str, ids: list[int]) -> dict[int, list[str]]:
    field, values, order = RELATED[name]
    through = getattr(Practice, field).through
    found: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(practice_id__in=ids)
        .order_by(*order)
        .values_list("practice_id", *values)
    )
    if name == "cities":
        for practice_id, country, code in rows:
            found.setdefault(practice_id, []).append(f"{country}-{code}")
    else:
        for practice_id, value in rows:
            found.setdefault(practice_id, []).append(value)
    return found


def _translations(ids: list[int], *, texts: bool) -> dict[int, dict[str, dict]]:
    found: dict[int, dict[str, dict]] = {}
    columns = TEXTS if texts else []
    rows = (
        PracticeTranslation.objects.filter(practice_id__in=ids)
        .order_by("practice_id", "language")
        .values_list("practice_id", "language", *columns)
    )
    for practice_id, language, *values in rows:
        found.setdefault(practice_id, {})[language] = dict(zip(columns, values, strict=True))
    return found


def practice_rows(practices: QuerySet[Practice], *, texts: bool = True) -> Iterator[dict]:
    """The practices (in the queryset's order) as dicts, read `CHUNK` at a time. With
    `texts=False`, what the CSV writes: no long texts, no terms, translations' languages."""
    fields = FIELDS if texts else SHORT_FIELDS
    names = list(RELATED) if texts else ["goals", "cities", "organisations"]
    values = practices.prefetch_related(None).values_list(*fields).iterator(chunk_size=CHUNK)
    while chunk := list(islice(values, CHUNK)):
        ids = [row[0] for row in chunk]
        related = {name: _related(name, ids) for name in names}
        translations = _translations(ids, texts=texts)
        for row in chunk:
            record = dict(zip(fields, row, strict=True))
            pk = row[0]
            record["translations"] = translations.get(pk, {})
            for name, lists in related.items():
                record[name] = lists.get(pk, [])
            yield record
