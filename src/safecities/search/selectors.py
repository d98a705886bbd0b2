"""Reads of the index: the search itself, its facet counts and its page of hits."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from . import query
from .analysis import Term, query_terms
from .api import MAX_QUERY_LENGTH, Hit, SearchResult
from .backends import backend
from .models import Document
from .snippets import highlight, snippet

MAX_PER_PAGE = 100
MAX_FILTER_VALUES = 50


def _clean_filters(filters: Mapping[str, list[str]] | None) -> dict[str, list[str]]:
    clean: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if isinstance(values, str):
            values = [values]
        values = [str(v) for v in (values or []) if v is not None and str(v) != ""]
        if values:
            clean[str(name)] = values[:MAX_FILTER_VALUES]
    return clean


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


def _grouped(rows: list[tuple[str, str, int]]) -> dict[str, list[tuple[str, int]]]:
    """{facet: [(value, count)]}, most frequent first, facets by name."""
    facets: dict[str, list[tuple[str, int]]] = {}
    for name, value, n in rows:
        facets.setdefault(name, []).append((value, n))
    for values in facets.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    return dict(sorted(facets.items()))


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

    arguments: dict[str, Any] = {
        "engine": backend() if terms else None,
        "terms": terms,
        "user_is_member": user_is_member,
        "kinds": list(kinds) if kinds is not None else None,
        "filters": filters,
        "language": language,
        "sort": sort,
        "collapse": collapse,
        "limit": per_page,
        "offset": (page - 1) * per_page,
    }
    rows = query.run(**arguments, bound=settings.SEARCH_BOUND)
    if not rows.page_is_exact(per_page):  # a rare filter or a far page: every match
        rows = query.run(**arguments)
    total = rows.total
    num_pages = max(1, math.ceil(total / per_page))
    if page > num_pages and total:  # past the end: the last page instead
        return search(
            q,
            user_is_member=user_is_member,
            kinds=kinds,
            filters=filters,
            sort=sort,
            page=num_pages,
            per_page=per_page,
            language=language,
            collapse=collapse,
        )
    page = min(page, num_pages)
    documents = Document.objects.prefetch_related("facet_values").in_bulk(
        [pk for _position, pk, _score in rows.hits]
    )
    hits = []
    for _position, pk, score in rows.hits:
        document = documents[pk]
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
        facets=_grouped(rows.facets),
        page=page,
        per_page=per_page,
        num_pages=num_pages,
        query=q,
        message=" ".join(notes),
        query_too_long=too_long,
        counts_exact=not rows.bounded,
    )
