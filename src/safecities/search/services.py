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
from .backends import backend
from .models import Document, DocumentFacet

MAX_FACET_VALUE = 200
# The target of a Markdown link or image: "[text](https://…)" is indexed and shown as "[text]".
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


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
    language = (language or "").lower()
    body = _LINK_TARGET.sub("]", body or "")
    document, _created = Document.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        language=language,
        defaults={
            "key": f"{kind}:{object_id}",
            "title": title or "",
            "body": body or "",
            "url": url or "",
            "public": bool(public),
            "members": bool(members),
            "date": date,
        },
    )
    DocumentFacet.objects.filter(document=document).delete()
    rows = {
        (str(name)[:40], str(value)[:MAX_FACET_VALUE])
        for name, values in (facets or {}).items()
        for value in values
        if value is not None and str(value) != ""
    }
    DocumentFacet.objects.bulk_create(
        [DocumentFacet(document=document, name=name, value=value) for name, value in rows]
    )
    backend().write(document.pk, document_tokens(title, language), document_tokens(body, language))
    return document


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
        count = 0
        for entry in providers[kind]():
            fields = asdict(entry) if is_dataclass(entry) else dict(entry)
            fields.pop("kind", None)
            index_document(kind=kind, **fields)
            count += 1
        counts[kind] = count
    return counts
