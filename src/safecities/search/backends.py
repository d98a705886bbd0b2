"""The two engines behind one interface: SQLite FTS5 and PostgreSQL full-text.

Each stores the analysed tokens of a document's title and body (see analysis.py) and answers
"which documents match these terms, and how well". The title weighs ten times the body on both.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .analysis import Term


class SQLiteBackend:
    """An FTS5 table `search_fts(title, body)` whose rowid is the Document's id."""

    def write(self, document_id: int, title: str, body: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [document_id, title, body],
            )

    def write_many(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """(document id, title tokens, body tokens) of documents new to the index."""
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", list(rows)
            )

    def delete(self, document_ids: list[int]) -> None:
        if not document_ids:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(document_ids), 500):
                chunk = document_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)

    def prune(self) -> None:
        """Drop full-text rows whose document is gone (e.g. after a table flush)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_document)"
            )

    @staticmethod
    def expression(terms: list[Term]) -> str:
        def alternatives(term: Term) -> str:
            parts = [f'"{v}"' for v in sorted(term.variants)]
            if term.prefix:
                parts.append(f'"{term.prefix}" *')
            return "(" + " OR ".join(parts) + ")"

        return " AND ".join(alternatives(t) for t in terms)

    def matched(self, terms: list[Term]) -> tuple[str, list]:
        """SQL of (id, score) of every matching document (higher is better), and its
        parameters, for `query.run`."""
        return (
            "SELECT rowid AS id, -bm25(search_fts, 10.0, 1.0) AS score FROM search_fts "
            "WHERE search_fts MATCH %s",
            [self.expression(terms)],
        )

    def best(self, terms: list[Term], n: int) -> tuple[str, list]:
        """SQL of (id, score) of the `n` best matching documents, as `matched` scores them."""
        return (
            "SELECT rowid AS id, -bm25(search_fts, 10.0, 1.0) AS score FROM search_fts "
            "WHERE search_fts MATCH %s ORDER BY bm25(search_fts, 10.0, 1.0), rowid LIMIT %s",
            [self.expression(terms), n],
        )

    def among(self, terms: list[Term], ids: str) -> tuple[str, list]:
        """SQL of the ids of `ids` (a table of `id`s) whose documents match, unscored.

        FTS5 answers a match for one rowid by reading every doclist of the expression again
        (a prefix term merges all its words): the matching rowids are read once instead,
        unscored, into the set `IN` looks up, and only when `ids` has a row."""
        return (
            f"SELECT i.id FROM {ids} i WHERE i.id IN "
            "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            [self.expression(terms)],
        )


class PostgresBackend:
    """A `tsv` tsvector column on search_document (GIN index), `simple` configuration."""

    _VECTOR = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D')"
    )

    def write(self, document_id: int, title: str, body: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_document SET tsv = {self._VECTOR} WHERE id = %s",
                [title, body, document_id],
            )

    def write_many(self, rows: Iterable[tuple[int, str, str]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE search_document SET tsv = {self._VECTOR} WHERE id = %s",
                [(title, body, pk) for pk, title, body in rows],
            )

    def delete(self, document_ids: list[int]) -> None:
        """Nothing to do: the vector goes with its row."""

    def prune(self) -> None:
        """Nothing to do: the vector goes with its row."""

    @staticmethod
    def expression(terms: list[Term]) -> str:
        def alternatives(term: Term) -> str:
            parts = sorted(term.variants)
            if term.prefix:
                parts.append(f"{term.prefix}:*")
            return "(" + " | ".join(parts) + ")"

        return " & ".join(alternatives(t) for t in terms)

    def matched(self, terms: list[Term]) -> tuple[str, list]:
        """SQL of (id, score) of every matching document (higher is better), and its
        parameters, for `query.run`."""
        return (
            "SELECT id, ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, query) AS score "
            "FROM search_document, to_tsquery('simple', %s) AS query WHERE tsv @@ query",
            [self.expression(terms)],
        )

    def best(self, terms: list[Term], n: int) -> tuple[str, list]:
        """SQL of (id, score) of the `n` best matching documents, as `matched` scores them."""
        return (
            "SELECT id, ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, query) AS score "
            "FROM search_document, to_tsquery('simple', %s) AS query WHERE tsv @@ query "
            "ORDER BY score DESC, id LIMIT %s",
            [self.expression(terms), n],
        )

    def among(self, terms: list[Term], ids: str) -> tuple[str, list]:
        """SQL of the ids of `ids` (a table of `id`s) whose documents match, unscored: each
        document's vector is tested on its own row."""
        return (
            f"SELECT d.id FROM {ids} i JOIN search_document d ON d.id = i.id "
            "WHERE d.tsv @@ to_tsquery('simple', %s)",
            [self.expression(terms)],
        )


def backend() -> SQLiteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"Full-text search runs on SQLite and PostgreSQL only, not on {connection.vendor}."
    )
