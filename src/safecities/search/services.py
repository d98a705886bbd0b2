"""Writes to the index. They run in the caller's transaction: the index changes with the data.

Indexing is not a user's action of its own, so it is not audited: the change that caused it is.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass

from django.db import transaction

from . import registry
from .analysis import document_tokens
from .backends import PostgresBackend, SQLiteBackend, backend
from .models import Document, DocumentFacet

MAX_FACET_VALUE = 200
LANGUAGE = "language"
# The target of a Markdown link or image: "[text](https://…)" is indexed and shown as "[text]".
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


def _prepared(fields: Mapping) -> tuple[dict, set[tuple[str, str]]]:
    """The Document columns and the facet rows of one document, as both writers store them."""
    language = (fields.get("language") or "").lower()
    kind, object_id = fields["kind"], fields["object_id"]
    columns = {
        "kind": kind,
        "object_id": object_id,
        "language": language,
        "key": f"{kind}:{object_id}",
        "title": fields.get("title") or "",
        "body": _LINK_TARGET.sub("]", fields.get("body") or ""),
        "url": fields.get("url") or "",
        "public": bool(fields.get("public")),
        "members": bool(fields.get("members", True)),
        "date": fields.get("date"),
    }
    facets = {
        (str(name)[:40], str(value)[:MAX_FACET_VALUE])
        for name, values in (fields.get("facets") or {}).items()
        for value in values
        if value is not None and str(value) != "" and str(name) != LANGUAGE
    }
    facets.add((LANGUAGE, language))  # every document has its own language as a facet
    return columns, facets


@transaction.atomic
def index_document(
    *,
    kind: str,
    object_id: int,
    language: str,
    title: str,
    body: str,
    url: str,
    facets: Mapping[str, Iterable[str]],
    public: bool,
    members: bool = True,
    date: datetime.date | None = None,
) -> Document:
    columns, rows = _prepared(locals())
    key = {name: columns.pop(name) for name in ("kind", "object_id", "language")}
    document, _created = Document.objects.update_or_create(**key, defaults=columns)
    DocumentFacet.objects.filter(document=document).delete()
    DocumentFacet.objects.bulk_create(
        [DocumentFacet(document=document, name=name, value=value) for name, value in rows]
    )
    backend().write(
        document.pk,
        document_tokens(document.title, document.language),
        document_tokens(document.body, document.language),
    )
    return document


@transaction.atomic
def index_many(kind: str, *, entries: Iterable[object], batch: int = 1000) -> int:
    """Index many documents of `kind` with a few statements per `batch` of them: what
    `index_document` does one by one, for `reindex` and large loads. A document already in
    the index under the same (kind, object_id, language) is replaced. Returns the count."""
    engine = backend()
    count = 0
    entries = iter(entries)
    while True:
        chunk = []
        for entry in entries:
            fields = (
                asdict(entry)
                if is_dataclass(entry) and not isinstance(entry, type)
                else dict(entry)  # type: ignore[call-overload]  # a mapping of the fields
            )
            chunk.append(_prepared({**fields, "kind": kind}))
            if len(chunk) == batch:
                break
        if not chunk:
            return count
        wanted = {(columns["object_id"], columns["language"]) for columns, _f in chunk}
        stale = Document.objects.filter(
            kind=kind, object_id__in={object_id for object_id, _language in wanted}
        ).values_list("pk", "object_id", "language")
        stale_ids = [pk for pk, *document in stale if tuple(document) in wanted]
        engine.delete(stale_ids)
        Document.objects.filter(pk__in=stale_ids).delete()
        documents = Document.objects.bulk_create([Document(**columns) for columns, _f in chunk])
        DocumentFacet.objects.bulk_create(
            [
                DocumentFacet(document=document, name=name, value=value)
                for document, (_columns, rows) in zip(documents, chunk, strict=True)
                for name, value in rows
            ],
            batch_size=batch * 4,
        )
        engine.write_many(
            (
                document.pk,
                document_tokens(document.title, document.language),
                document_tokens(document.body, document.language),
            )
            for document in documents
        )
        count += len(documents)


@transaction.atomic
def remove_documents(*, kind: str, object_id: int, language: str | None = None) -> int:
    documents = Document.objects.filter(kind=kind, object_id=object_id)
    if language is not None:
        documents = documents.filter(language=language.lower())
    ids = list(documents.values_list("pk", flat=True))
    backend().delete(ids)
    Document.objects.filter(pk__in=ids).delete()
    return len(ids)


def _remove_kind(kind: str) -> None:
    ids = list(Document.objects.filter(kind=kind).values_list("pk", flat=True))
    backend().delete(ids)
    Document.objects.filter(pk__in=ids).delete()


@transaction.atomic
def reindex(*, kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the documents of `kinds` (all registered kinds when None) from their providers."""
    providers = registry.providers()
    if kinds is None:
        kinds = sorted(providers)
        # Every document is rebuilt: kinds no provider speaks for any more go too.
        stale = Document.objects.exclude(kind__in=kinds).values_list("kind", flat=True)
        for kind in set(stale):
            _remove_kind(kind)
        backend().prune()
    unknown = [kind for kind in kinds if kind not in providers]
    if unknown:
        raise LookupError(f"no search provider for: {', '.join(unknown)}")
    counts: dict[str, int] = {}
    for kind in kinds:
        _remove_kind(kind)
        counts[kind] = index_many(kind, entries=providers[kind]())
    return counts


@transaction.atomic
def rebuild_fulltext(*, batch: int = 1000) -> int:
    """Write the full-text part of every stored document again from its title and body.

    The FTS5 table (SQLite) and the tsvector column (PostgreSQL) are not Django models, so a
    restore that loaded the Document rows as they were calls this to make them searchable.
    Returns how many documents were written."""
    engine = backend()
    documents = Document.objects.order_by("pk").only("pk", "language", "title", "body")
    engine.delete(list(documents.values_list("pk", flat=True)))
    engine.prune()
    count = 0
    chunk: list[Document] = []
    for document in documents.iterator(chunk_size=batch):
        chunk.append(document)
        if len(chunk) == batch:
            count += _write_fulltext(engine, chunk)
            chunk = []
    return count + _write_fulltext(engine, chunk)


def _write_fulltext(engine: SQLiteBackend | PostgresBackend, documents: list[Document]) -> int:
    engine.write_many(
        (
            document.pk,
            document_tokens(document.title, document.language),
            document_tokens(document.body, document.language),
        )
        for document in documents
    )
    return len(documents)
