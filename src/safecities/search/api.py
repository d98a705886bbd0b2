"""The public face of the search app: index, remove, search, and the provider registry.

Other apps use only this module::

    from safecities.search import api as search

    search.index("practice", practice.pk, language="nb", title=..., body=..., url=...,
                 facets={"goal": ["G1"], "country": ["NO"]}, public=True)
    result = search.search("förebyggande", user_is_member=False, sort="relevance")

One document per (kind, object_id, language). Writes happen in the caller's transaction, so the
index changes together with the data it describes. Stemming is done in Python with the Snowball
stemmer of each document's language (PyStemmer), then Nordic letters are folded, so SQLite
(FTS5) and PostgreSQL (tsvector, `simple` configuration) index exactly the same words.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.utils.safestring import SafeString

# A query is cut to this many characters (the result says so in `query_too_long`).
MAX_QUERY_LENGTH = 500

Sort = Literal["relevance", "date"]


@dataclass(frozen=True)
class Hit:
    """One document found. `snippet` and `title_html` are safe HTML: text escaped, matches in <mark>."""

    kind: str
    object_id: int
    language: str
    title: str
    url: str
    snippet: SafeString
    date: datetime.date | None
    score: float
    title_html: SafeString = field(default=SafeString(""))
    facets: Mapping[str, list[str]] = field(default_factory=dict)


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int  # how many results (after collapsing languages), over all pages
    facets: dict[str, list[tuple[str, int]]]  # facet -> [(value, count)], most frequent first
    page: int
    per_page: int
    num_pages: int
    query: str  # the query as searched (cut to MAX_QUERY_LENGTH)
    message: str = ""  # a translated note: only common words, query shortened, nothing found
    query_too_long: bool = False
    useless_query: bool = False  # only stop words or punctuation: nothing was searched
    # False when the query matched so much that the total, the facet counts and `num_pages`
    # were counted over the best-matching part only (settings.SEARCH_BOUND documents, see
    # `query.run`): each is then a lower bound
    # ("at least"), never more than the truth. The hits of the page are always exact.
    counts_exact: bool = True

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages or (not self.counts_exact and bool(self.hits))

    @property
    def previous_page_number(self) -> int:
        return max(1, self.page - 1)

    @property
    def next_page_number(self) -> int:
        return min(self.num_pages, self.page + 1)

    @property
    def start_index(self) -> int:
        """1-based position of the first hit on this page (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.hits) - 1 if self.hits else 0


@dataclass(frozen=True)
class Entry:
    """One document a provider yields for `safecities reindex` (the arguments of `index`)."""

    object_id: int
    language: str
    title: str
    body: str
    url: str
    facets: Mapping[str, list[str]] = field(default_factory=dict)
    public: bool = False
    members: bool = True
    date: datetime.date | None = None


def index(
    kind: str,
    object_id: int,
    *,
    language: str,
    title: str,
    body: str,
    url: str,
    facets: Mapping[str, Iterable[str]],
    public: bool,
    members: bool = True,
    date: datetime.date | None = None,
) -> None:
    """Insert or replace the document (kind, object_id, language).

    `body` is plain text (Markdown source is fine: its marks are punctuation to the index).
    Anonymous readers find it only if `public`; members if `public or members`.
    `facets` describe the object: give each language of an object the same values (they are
    counted once per object, through one of its documents). The facet `language` is the
    index's own: every document has its language as that facet, whatever the caller gives.
    """
    from . import services

    services.index_document(
        kind=kind,
        object_id=object_id,
        language=language,
        title=title,
        body=body,
        url=url,
        facets=facets,
        public=public,
        members=members,
        date=date,
    )


def index_many(kind: str, entries: Iterable[Entry | Mapping]) -> int:
    """Index many documents of `kind` at once (`Entry` objects or mappings of its fields), a
    few statements per thousand: what `index` does one by one, for loads and `reindex`.
    Returns how many were indexed."""
    from . import services

    return services.index_many(kind, entries=entries)


def remove(kind: str, object_id: int, language: str | None = None) -> None:
    """Remove one language of an object from the index, or every language when None."""
    from . import services

    services.remove_documents(kind=kind, object_id=object_id, language=language)


def search(
    q: str,
    *,
    user_is_member: bool,
    kinds: list[str] | None = None,
    filters: Mapping[str, list[str]] | None = None,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = 20,
    language: str | None = None,
    collapse: bool = True,
) -> SearchResult:
    """Search every language at once.

    - `filters`: {facet: [values]}; values of one facet are OR'ed, facets AND'ed. Facet counts
      of a facet are computed without that facet's own filter, so checkboxes show what
      ticking one more value would add.
    - `sort`: "relevance" (best match first, newest next) or "date" (newest first). An empty
      query lists every visible document newest first.
    - `collapse`: one hit per object (kind, object_id): the document in `language` (the
      reader's) if it matched, else the best match. With `collapse=False` each language is a hit.
    - A relevance search filters, collapses and counts the objects of the engine's
      `settings.SEARCH_BOUND` best documents: when more matched, the total and the facet
      counts are lower bounds (`counts_exact` False). The hits are always exact: a page the
      best documents cannot answer exactly (a rare filter, a far page) is searched again over
      every match.
    - A query of only common words gives no hits and a message; a query longer than
      MAX_QUERY_LENGTH is cut and `query_too_long` is set. Never raises on user input.
    """
    from . import selectors

    return selectors.search(
        q,
        user_is_member=user_is_member,
        kinds=kinds,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        language=language,
        collapse=collapse,
    )


# Providers for `safecities reindex`: kind -> callable yielding Entry objects (or mappings of
# Entry's fields). Apps register theirs in AppConfig.ready().
Provider = Callable[[], Iterable["Entry | Mapping"]]


def register(kind: str, provider: Provider) -> None:
    """Register (or replace) the provider that yields every document of `kind`."""
    from . import registry

    registry.register(kind, provider)


def reindex(kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the index of `kinds` (every registered kind when None) from the providers.

    Returns {kind: documents indexed}. Runs in one transaction.
    """
    from . import services

    return services.reindex(kinds=kinds)
