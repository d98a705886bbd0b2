"""Reads of the index: the search itself, its facet counts and its page of hits."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from .analysis import Term, query_terms
from .api import MAX_QUERY_LENGTH, Hit, SearchResult
from .backends import backend
from .models import Document, DocumentFacet
from .snippets import highlight, snippet

MAX_PER_PAGE = 100
MAX_FILTER_VALUES = 50
# The facet every document has: its own language (see services.index_document).
LANGUAGE = "language"


def visible_documents(*, user_is_member: bool) -> QuerySet[Document]:
    """Public documents for everyone; members also see documents meant for members."""
    if user_is_member:
        return Document.objects.filter(Q(public=True) | Q(members=True))
    return Document.objects.filter(public=True)


def _clean_filters(filters: Mapping[str, list[str]] | None) -> dict[str, list[str]]:
    clean: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if isinstance(values, str):
            values = [values]
        values = [str(v) for v in (values or []) if v is not None and str(v) != ""]
        if values:
            clean[str(name)] = values[:MAX_FILTER_VALUES]
    return clean


def _filtered(documents: QuerySet[Document], filters: dict[str, list[str]]) -> QuerySet:
    for name, values in filters.items():
        documents = documents.filter(
            pk__in=DocumentFacet.objects.filter(name=name, value__in=values).values("document_id")
        )
    return documents


def _cut(q: str) -> tuple[str, bool]:
    if len(q) <= MAX_QUERY_LENGTH:
        return q, False
    cut = q[:MAX_QUERY_LENGTH]
    space = cut.rfind(" ")
    if space > MAX_QUERY_LENGTH - 50:
        cut = cut[:space]
    return cut, True


def _int(value: str | int | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _counts(
    documents: QuerySet[Document],
    *,
    per_object: bool,
    only: str | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> list[tuple[str, str, int]]:
    """(name, value, n) of the facets of `documents`: facet `only`, or every facet but those
    in `leave_out`.

    Per object, each object is counted once, through one of its documents (the first): its
    facets are the same in every language, as `index` asks. `language` is the facet that
    differs between an object's documents, so it is counted from the documents' own language
    column: an object once for each language it has among `documents`."""
    wanted = (lambda name: name == only) if only else (lambda name: name not in leave_out)
    rows: list[tuple[str, str, int]] = []
    if wanted(LANGUAGE):
        languages = (
            documents.order_by()
            .values("language")
            .annotate(n=Count("key", distinct=True) if per_object else Count("pk"))
        )
        rows += [(LANGUAGE, row["language"], row["n"]) for row in languages]
    if only == LANGUAGE:
        return rows
    counted = documents
    if per_object:
        counted = Document.objects.filter(
            pk__in=documents.order_by().values("key").annotate(first=Min("pk")).values("first")
        )
    facets = DocumentFacet.objects.filter(document__in=counted).exclude(name=LANGUAGE)
    facets = facets.filter(name=only) if only else facets.exclude(name__in=list(leave_out))
    rows += [
        (row["name"], row["value"], row["n"])
        for row in facets.order_by().values("name", "value").annotate(n=Count("pk"))
    ]
    return rows


def _facet_counts(
    base: QuerySet[Document],
    filters: dict[str, list[str]],
    found: list[tuple],
    *,
    per_object: bool,
) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value. A facet's own filter is left out of its counts (OR within a
    facet), the other facets' filters apply. `found` are the (pk, key, language, …) rows of
    the documents that pass every filter: unless `language` is filtered, its counts come
    from them without another query."""
    rows: list[tuple[str, str, int]] = []
    leave_out = frozenset(filters)
    if LANGUAGE not in filters:
        languages: dict[str, set] = {}
        for pk, key, language, *_rest in found:
            languages.setdefault(language, set()).add(key if per_object else pk)
        rows += [(LANGUAGE, language, len(keys)) for language, keys in languages.items()]
        leave_out |= {LANGUAGE}
    rows += _counts(_filtered(base, filters), per_object=per_object, leave_out=leave_out)
    for name in filters:
        others = {k: v for k, v in filters.items() if k != name}
        rows += _counts(_filtered(base, others), per_object=per_object, only=name)
    facets: dict[str, list[tuple[str, int]]] = {}
    for name, value, n in rows:
        facets.setdefault(name, []).append((value, n))
    for values in facets.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    return dict(sorted(facets.items()))


def _date_key(date: datetime.date | None) -> int:
    return -date.toordinal() if date else 1


def search(
    q: str,
    *,
    user_is_member: bool,
    kinds: list[str] | None = None,
    filters: Mapping[str, list[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    language: str | None = None,
    collapse: bool = True,
) -> SearchResult:
    q, too_long = _cut(q if isinstance(q, str) else "")
    per_page = min(max(_int(per_page, 20), 1), MAX_PER_PAGE)
    page = max(_int(page, 1), 1)
    sort = sort if sort in ("relevance", "date") else "relevance"
    filters = _clean_filters(filters)
    notes = []
    if too_long:
        notes.append(
            _("Your search was shortened to its first %(limit)d characters.")
            % {"limit": MAX_QUERY_LENGTH}
        )
    terms: list[Term] = query_terms(q) if q.strip() else []

    if q.strip() and not terms:
        notes.append(_("Only common words: try a more specific word."))
        return SearchResult(
            hits=[],
            total=0,
            facets={},
            page=1,
            per_page=per_page,
            num_pages=1,
            query=q,
            message=" ".join(notes),
            query_too_long=too_long,
            useless_query=True,
        )

    engine = backend()
    base = visible_documents(user_is_member=user_is_member)
    if kinds is not None:
        base = base.filter(kind__in=list(kinds))
    scores: dict[int, float] = {}
    if terms:
        # The full-text engine is asked once; the rest of the search reads the ids it found.
        scores = engine.scores(terms)
        base = base.filter(pk__in=engine.among(sorted(scores)))
    rows = list(
        _filtered(base, filters).values_list("pk", "key", "language", "date").order_by("pk")
    )

    # One hit per object: the reader's language if it matched, else the best match.
    chosen: dict[str, tuple] = {}
    for row in rows:
        key = row[1] if collapse else str(row[0])
        score = scores.get(row[0], 0.0)
        rank = (row[2] == language, score, -row[0])
        if key not in chosen or rank > chosen[key][0]:
            chosen[key] = (rank, row, score)
    ordered = list(chosen.values())
    if sort == "date" or not terms:
        ordered.sort(key=lambda c: (_date_key(c[1][3]), -c[2], c[1][1], c[1][0]))
    else:
        ordered.sort(key=lambda c: (-c[2], _date_key(c[1][3]), c[1][1], c[1][0]))

    total = len(ordered)
    num_pages = max(1, math.ceil(total / per_page))
    page = min(page, num_pages)
    on_page = ordered[(page - 1) * per_page : page * per_page]
    documents = Document.objects.prefetch_related("facet_values").in_bulk(
        [c[1][0] for c in on_page]
    )
    hits = []
    for _rank, row, score in on_page:
        document = documents[row[0]]
        facet_values: dict[str, list[str]] = {}
        for facet in document.facet_values.all():
            facet_values.setdefault(facet.name, []).append(facet.value)
        hits.append(
            Hit(
                kind=document.kind,
                object_id=document.object_id,
                language=document.language,
                title=document.title,
                url=document.url,
                snippet=snippet(document.body, language=document.language, terms=terms),
                date=document.date,
                score=score,
                title_html=highlight(document.title, language=document.language, terms=terms),
                facets={name: sorted(values) for name, values in facet_values.items()},
            )
        )
    if terms and not total:
        notes.append(_("Nothing matched your search. Try another word or fewer filters."))
    return SearchResult(
        hits=hits,
        total=total,
        facets=_facet_counts(base, filters, rows, per_object=collapse),
        page=page,
        per_page=per_page,
        num_pages=num_pages,
        query=q,
        message=" ".join(notes),
        query_too_long=too_long,
    )
