"""One search as one SQL statement: the matches, their filters, the collapsing of an object's
languages into one hit, the page of hits, the total and every facet count.

The full-text engine is asked once (the `matched` CTE, see `backends`); everything else reads
that materialised set inside the same statement, so a search costs one pass of the engine and
a few joins on indexed columns, on SQLite and PostgreSQL alike:

- `visible`: the matched documents the reader may see, of the kinds asked for, with one flag
  column per facet filter (`ok0`, `ok1`, …: the document has one of the filter's values);
- `kept`: those passing every filter, numbered within their object (`rn` = 1 for the hit
  shown: the reader's language if it matched, else the best score, else the first document);
- the rows returned, tagged by their first column: `h` the page of hits (with the total
  beside them), `n` the total alone (for a page past the end), `f` a facet value and its count.

Facet counts are per object when collapsing: a facet other than `language` is counted from one
document per object (its facets are the same in every language, as `index` asks); `language`
counts an object once for each language it has among the documents. A facet that is filtered
is counted with the other facets' filters only (OR within a facet), so a checkbox shows what
ticking one more value would add.

A relevance search is bounded (`bound`, `settings.SEARCH_BOUND`): `top` holds the engine's
best documents and `candidates` adds the reader's-language document of each of their objects
when it matched, unscored (its score is at most the edge's; the engine is not asked to score
every match a second time); `visible` then reads the candidates, not every match, and a row tagged `b`
gives how many were kept and the lowest score among them (the edge). The total and the counts
are then lower bounds, and the page is exact when `Rows.page_is_exact` says so (the caller
runs the statement again without the bound when not).

The facet joins are written `CROSS JOIN … WHERE`: SQLite then keeps the few matched documents
outside and looks their facets up by the (document, name, value) index, instead of scanning
every row of a facet name; PostgreSQL plans them as any join.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from .analysis import Term
from .backends import PostgresBackend, SQLiteBackend

Engine = SQLiteBackend | PostgresBackend

LANGUAGE = "language"
_NULL_TEXT = "CAST(NULL AS TEXT)"
# The score of a hit known to match but not scored (bounded search): below every score.
_UNSCORED = float("-inf")


@dataclass
class Rows:
    """What the statement returned: the page of hits in order, the total, the counts.

    With a `bound`, `examined` is how many of the engine's best documents were kept as
    candidates and `edge` the lowest score among them: when `examined` reached the bound, the
    total and the counts are those of the candidates only (lower bounds), and a hit is surely
    in its true place only if its score is above `edge` (see `run`)."""

    hits: list[tuple[int, int, float]] = field(default_factory=list)  # (position, id, score)
    total: int = 0
    facets: list[tuple[str, str, int]] = field(default_factory=list)
    bound: int | None = None
    examined: int = 0
    edge: float | None = None

    @property
    def bounded(self) -> bool:
        """Whether some matches were left out of the total and the counts."""
        return self.bound is not None and self.examined >= self.bound

    def page_is_exact(self, limit: int) -> bool:
        """Whether the page of hits is the one the unbounded statement would give: every
        object left out has no document scoring above `edge`, so a full page whose last hit
        scores above `edge` has every better object among the candidates."""
        if not self.bounded:
            return True
        return len(self.hits) == limit and self.edge is not None and self.hits[-1][2] > self.edge


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def run(
    *,
    engine: Engine | None,
    terms: list[Term],
    user_is_member: bool,
    kinds: list[str] | None,
    filters: dict[str, list[str]],
    language: str | None,
    sort: str,
    collapse: bool,
    limit: int,
    offset: int,
    bound: int | None = None,
) -> Rows:
    """Search the `terms` with the `engine` (`backends`), or list every document when there
    are no terms (`engine` None: the order is by date).

    `bound` (relevance order only): the candidates are the engine's `bound` best documents,
    with the reader's-language document of each of their objects when that matched too (it
    is the one shown, unscored: it sorts after every scored hit and a page reaching it is not
    exact); they are filtered, collapsed, paged and counted, not every match. The
    engine still scores every match, as any best-N query must, but nothing else reads more
    than a few thousand rows. The caller checks `Rows.page_is_exact` and runs again without a
    bound when it is not."""
    params: list = []
    if engine is None or not terms or sort == "date":
        bound = None
    if engine is None or not terms:
        source, score, prelude = "search_document d", "0.0", "WITH "
    elif bound is None:
        matched_sql, matched_params = engine.matched(terms)
        params += matched_params
        prelude = f"WITH matched AS MATERIALIZED ({matched_sql}), "
        source, score = "matched m JOIN search_document d ON d.id = m.id", "m.score"
    else:
        best_sql, best_params = engine.best(terms, bound)
        params += best_params
        prelude = f"WITH top AS MATERIALIZED ({best_sql}), "
        source, score = "top m JOIN search_document d ON d.id = m.id", "m.score"
        if collapse and language:
            # The reader's-language documents of the candidates outside the best, when they
            # match: each is the hit of its object, scoring at most the edge. Their scores
            # are not asked (NULL, below every score): SQLite would score every match
            # again for them; a page that reaches one is not exact (`page_is_exact`).
            among_sql, among_params = engine.among(terms, "others")
            # `o.key IN (…)`, not a join on the key: SQLite would build a Bloom filter over
            # every document's key to join the few hundred candidates.
            prelude += (
                "others AS MATERIALIZED (SELECT o.id FROM search_document o "
                "WHERE o.language = %s AND o.key IN (SELECT d.key FROM top t "
                "CROSS JOIN search_document d WHERE d.id = t.id) "
                "AND o.id NOT IN (SELECT id FROM top)), "
                "candidates AS MATERIALIZED (SELECT id, score FROM top UNION ALL "
                f"SELECT id, NULL FROM ({among_sql}) a), "
            )
            params += [language, *among_params]
            source = "candidates m JOIN search_document d ON d.id = m.id"

    visible = "(d.public OR d.members)" if user_is_member else "d.public"
    where = [visible]
    if kinds is not None:
        where.append(f"d.kind IN ({_marks(kinds)})" if kinds else "1 = 0")
    names = list(filters)
    flags = []
    flag_params: list = []
    for i, name in enumerate(names):
        values = filters[name]
        flags.append(
            "CASE WHEN EXISTS (SELECT 1 FROM search_documentfacet f "
            f"WHERE f.document_id = d.id AND f.name = %s AND f.value IN ({_marks(values)})) "
            f"THEN 1 ELSE 0 END AS ok{i}"
        )
        flag_params += [name, *values]
    params += flag_params
    params += list(kinds or [])
    flag_columns = "".join(f", {flag}" for flag in flags)

    def passing(*, but: int | None = None, alias: str = "v") -> str:
        tests = [f"{alias}.ok{i} = 1" for i in range(len(names)) if i != but]
        return " AND ".join(tests) if tests else "1 = 1"

    partition = "v.key" if collapse else "v.id"
    counted = "COUNT(DISTINCT v.key)" if collapse else "COUNT(*)"
    sql = [
        prelude,
        f"visible AS MATERIALIZED (SELECT d.id, d.key, d.language, d.date, {score} AS score"
        f"{flag_columns} FROM {source} WHERE {' AND '.join(where)}), ",
        "kept AS MATERIALIZED (SELECT v.id, v.key, v.language, v.date, v.score, "
        f"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY "
        "CASE WHEN v.language = %s THEN 1 ELSE 0 END DESC, v.score DESC NULLS LAST, v.id) AS rn "
        f"FROM visible v WHERE {passing()}) ",
    ]
    params.append(language or "")
    if sort == "date" or engine is None or not terms:
        order = "k.date DESC NULLS LAST, k.score DESC, k.key, k.id"
    else:
        order = "k.score DESC NULLS LAST, k.date DESC NULLS LAST, k.key, k.id"
    # The page of hits carries its order (`position`): UNION ALL keeps no order of its own.
    parts = [
        "SELECT 'h' AS part, p.id, p.position AS n, CAST(p.score AS REAL) AS score, "
        f"{_NULL_TEXT} AS name, {_NULL_TEXT} AS value FROM ("
        f"SELECT k.id, k.score, ROW_NUMBER() OVER (ORDER BY {order}) AS position "
        f"FROM kept k WHERE k.rn = 1 ORDER BY {order} LIMIT %s OFFSET %s) p",
        "SELECT 'n', NULL, COUNT(*), NULL, NULL, NULL FROM kept k WHERE k.rn = 1",
    ]
    part_params: list = [limit, offset]
    if bound is not None:
        parts.append(
            "SELECT 'b', NULL, COUNT(*), CAST(MIN(t.score) AS REAL), NULL, NULL FROM top t"
        )
    leave_out = [LANGUAGE, *names]
    parts.append(
        "SELECT 'f', NULL, COUNT(*), NULL, f.name, f.value FROM kept k "
        "CROSS JOIN search_documentfacet f WHERE f.document_id = k.id "
        f"AND k.rn = 1 AND f.name NOT IN ({_marks(leave_out)}) GROUP BY f.name, f.value"
    )
    part_params += leave_out
    if LANGUAGE not in names:
        languages = "COUNT(DISTINCT k.key)" if collapse else "COUNT(*)"
        parts.append(
            f"SELECT 'f', NULL, {languages}, NULL, %s, k.language FROM kept k GROUP BY k.language"
        )
        part_params.append(LANGUAGE)
    for i, name in enumerate(names):
        if name == LANGUAGE:
            parts.append(
                f"SELECT 'f', NULL, {counted}, NULL, %s, v.language FROM visible v "
                f"WHERE {passing(but=i)} GROUP BY v.language"
            )
            part_params.append(LANGUAGE)
        else:
            parts.append(
                f"SELECT 'f', NULL, {counted}, NULL, f.name, f.value FROM visible v "
                "CROSS JOIN search_documentfacet f WHERE f.document_id = v.id AND f.name = %s "
                f"AND {passing(but=i)} GROUP BY f.name, f.value"
            )
            part_params.append(name)
    sql.append(" UNION ALL ".join(parts))
    params += part_params

    rows = Rows(bound=bound)
    with connection.cursor() as cursor:
        cursor.execute("".join(sql), params)
        for part, pk, n, score, name, value in cursor.fetchall():
            if part == "h":
                rows.hits.append((n, pk, _UNSCORED if score is None else float(score)))
            elif part == "n":
                rows.total = n
            elif part == "b":
                rows.examined, rows.edge = n, None if score is None else float(score)
            else:
                rows.facets.append((name, value, n))
    rows.hits = sorted(rows.hits)
    return rows
