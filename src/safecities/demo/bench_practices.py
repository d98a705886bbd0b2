"""The bench's knowledge-bank scenario: a faceted search over 50,000 practices, against raw FTS.

`generate` is a `Generator` step. It writes 50,000 × scale published practices, each in one
of Norwegian, Swedish, Danish and English with translations into two of the others, so the
index holds three documents per practice. Their words are drawn at random from the words of
the demo's practices in the same language, so a Scandinavian query meets its stems in all
three Scandinavian languages as it would in real texts. Rows come from `bulk_create`; the
index is filled by `search.index_many` from the practices' own search documents, as
`safecities reindex` fills it.

`time_search` then times, in the same database and run, for each query of `QUERIES`:

- the bank's search (`practices.selectors.search_bank`, what the page and the API call):
  top 20, filtered by one charter goal, sorted by relevance, with facet counts, one hit per
  practice in the reader's language (its total "≥ n" when counted among the best matches only,
  see `settings.SEARCH_BOUND`);
- the search page itself (`/practices/?q=…&goal=…`), rendered;
- the raw full-text query of the same terms on the same engine, best 20 first, with no
  filter, facets, collapsing or rendering: the floor a search cannot go below.
"""

import gc
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import Client
from django.utils import translation

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.network.models import Municipality, Organisation
from safecities.practices import search as practice_search
from safecities.practices import selectors
from safecities.practices.models import EvidenceLevel, Practice, PracticeTranslation
from safecities.search import api as search
from safecities.search.analysis import query_terms
from safecities.search.backends import backend

from . import practices_data
from .bench_stats import Sampled

SCALE_1 = {"practices": 50_000}
LANGUAGES = ("nb", "sv", "da", "en")
BATCH = 2_000
TITLE_WORDS = (3, 7)
SUMMARY_WORDS = (40, 80)
APPROACH_WORDS = (30, 60)
# (query, the reader's language): Scandinavian queries that reach across the three languages,
# a two-word query, an English one and a rarer word.
QUERIES = [
    ("förebyggande", "sv"),
    ("polarisering", "nb"),
    ("unge dialog", "da"),
    ("trust", "en"),
    ("hatprat", "nb"),
]
PUBLISHED_AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
ROW_MODELS = [Practice, PracticeTranslation]
_WORD = re.compile(r"[^\W\d_]{3,}")


def scaled(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in SCALE_1.items()}


def vocabulary() -> dict[str, list[str]]:
    """The words of the demo's practices, per language, each once, in a stable order."""
    words: dict[str, dict[str, None]] = {language: {} for language in LANGUAGES}
    for practice in practices_data.PRACTICES:
        for version in [practice, *practice.get("translations", [])]:
            if version["language"] not in words:
                continue
            text = " ".join(
                str(version.get(name, ""))
                for name in ("title", "summary", "problem", "approach", "results")
            )
            for word in _WORD.findall(text):
                words[version["language"]].setdefault(word.lower(), None)
    return {language: list(found) for language, found in words.items()}


def _sentence(rng, words: list[str], bounds: tuple[int, int]) -> str:
    n = rng.randint(*bounds)
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def _texts(rng, words: list[str]) -> dict[str, str]:
    return {
        "title": _sentence(rng, words, TITLE_WORDS).rstrip(".")[:300],
        "summary": _sentence(rng, words, SUMMARY_WORDS),
        "approach": _sentence(rng, words, APPROACH_WORDS),
    }


def generate(generator) -> None:
    """50,000 × scale published practices with two translations each, and their index."""
    rng = generator.rng
    n = scaled(generator.scale)["practices"]
    words = vocabulary()
    goals = list(Goal.objects.order_by("position"))
    groups = list(Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP).order_by("pk"))
    phenomena = list(Term.objects.filter(vocabulary=Vocabulary.PHENOMENON).order_by("pk"))
    cities = list(Municipality.objects.filter(memberships__status="active").distinct())
    organisations = list(
        Organisation.objects.filter(memberships__status="active").distinct().order_by("pk")[:500]
    )
    levels = [level for level, _label in EvidenceLevel.choices]
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        practices = []
        for k in range(count):
            language = rng.choice(LANGUAGES)
            practices.append(
                Practice(
                    language=language,
                    **_texts(rng, words[language]),
                    status=Practice.Status.PUBLISHED,
                    visibility=(
                        Practice.Visibility.PUBLIC
                        if rng.random() < 0.8
                        else Practice.Visibility.MEMBERS
                    ),
                    evidence_level=rng.choice(levels),
                    illustrative=True,
                    published_at=PUBLISHED_AT - timedelta(days=(start + k) % 3000),
                )
            )
        practices = Practice.objects.bulk_create(practices)
        translations = [
            PracticeTranslation(
                practice=practice,
                language=language,
                translator="Bench translator",
                **_texts(rng, words[language]),
            )
            for practice in practices
            for language in rng.sample([x for x in LANGUAGES if x != practice.language], 2)
        ]
        PracticeTranslation.objects.bulk_create(translations)
        links = {
            Practice.goals.through: [
                Practice.goals.through(practice=p, goal=g)
                for p in practices
                for g in rng.sample(goals, rng.randint(1, 2))
            ],
            Practice.target_groups.through: [
                Practice.target_groups.through(practice=p, term=t)
                for p in practices
                for t in rng.sample(groups, min(len(groups), rng.randint(1, 2)))
            ],
            Practice.phenomena.through: [
                Practice.phenomena.through(practice=p, term=t)
                for p in practices
                for t in rng.sample(phenomena, min(len(phenomena), 1))
            ],
            Practice.municipalities.through: [
                Practice.municipalities.through(practice=p, municipality=rng.choice(cities))
                for p in practices
            ],
            Practice.organisations.through: [
                Practice.organisations.through(practice=p, organisation=rng.choice(organisations))
                for p in practices
                if organisations and rng.random() < 0.5
            ],
        }
        for through, rows in links.items():
            through.objects.bulk_create(rows, batch_size=BATCH * 2)
        search.index_many(
            practice_search.PRACTICE,
            practice_search.documents_of(Practice.objects.filter(pk__in=[p.pk for p in practices])),
        )


@dataclass
class Timing(Sampled):
    label: str
    samples: list[float] = field(default_factory=list)  # seconds
    hits: list[int] = field(default_factory=list)  # results per query
    at_least: list[bool] = field(default_factory=list)  # that many or more (counts bounded)


@dataclass
class SearchTiming:
    documents: int
    practices: int
    timings: list[Timing]


def _raw(terms) -> list[int]:
    """The engine's own best 20 for the terms: no filter, facet, collapsing or rendering."""
    engine = backend()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY bm25(search_fts, 10.0, 1.0) LIMIT 20",
                [engine.expression(terms)],
            )
        else:
            cursor.execute(
                "SELECT id FROM search_document WHERE tsv @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, to_tsquery('simple', %s)) DESC "
                "LIMIT 20",
                [engine.expression(terms)] * 2,
            )
        return [row[0] for row in cursor.fetchall()]


def _goal_code() -> str:
    return Goal.objects.order_by("position").values_list("code", flat=True)[0]


def time_search(*, repeat: int, out=None) -> SearchTiming:
    """Each query of `QUERIES` `repeat` times through the three paths, round by round. The
    language active before is active again after (a request in a query's language changes it)."""
    with translation.override(translation.get_language()):
        return _time_search(repeat=repeat, out=out)


def _time_search(*, repeat: int, out=None) -> SearchTiming:
    goal = _goal_code()
    client = Client()
    service = Timing("faceted search, top 20 (`search_bank`)")
    page = Timing("search page (`/practices/`)")
    raw = Timing("raw full-text query, top 20")

    def run_service(q, language):
        with translation.override(language):
            result = selectors.search_bank(
                q, user=None, filters={"goal": [goal]}, sort="relevance", per_page=20
            )
        return result.total, not result.counts_exact

    def run_page(q, language):
        response = client.get(
            "/practices/", {"q": q, "goal": goal}, headers={"accept-language": language}
        )
        if response.status_code != 200:
            raise RuntimeError(f"/practices/?q={q} answered {response.status_code}")
        return 0, False

    def run_raw(q, _language):
        return len(_raw(query_terms(q))), False

    paths = [(service, run_service), (page, run_page), (raw, run_raw)]
    for q, language in QUERIES:  # warm-up, and how many each finds
        for timing, run in paths:
            found, at_least = run(q, language)
            timing.hits.append(found)
            timing.at_least.append(at_least)
    for _round in range(repeat):
        gc.collect()
        for q, language in QUERIES:
            for timing, run in paths:
                started = time.perf_counter()
                run(q, language)
                timing.samples.append(time.perf_counter() - started)
    timing = SearchTiming(
        documents=search_document_count(),
        practices=Practice.objects.filter(status=Practice.Status.PUBLISHED).count(),
        timings=[service, page, raw],
    )
    if out:
        for t in timing.timings:
            out.write(f"  {t.label}: {t.median_ms:.1f} ms median, {t.p95_ms:.1f} ms p95")
    return timing


def search_document_count() -> int:
    from safecities.search.models import Document

    return Document.objects.count()


def report(timing: SearchTiming) -> str:
    """The "Search" table: median and p95 of each path over every query, and × raw."""
    raw = timing.timings[-1]
    queries = ", ".join(f"“{q}” ({language})" for q, language in QUERIES)
    lines = [
        f"Search: {timing.practices:,} published practices, {timing.documents:,} documents "
        f"in the index. Queries: {queries}; filtered by one charter goal; "
        f"{len(raw.samples) // len(QUERIES)} rounds.",
        "",
        "| search | median ms | p95 ms | × raw | results per query (goal filter) |",
        "|---|--:|--:|--:|---|",
    ]
    for t in timing.timings:
        ratio = t.median_ms / raw.median_ms if raw.median_ms else float("nan")
        found = (
            ", ".join(
                f"{'≥ ' if bounded else ''}{n:,}"
                for n, bounded in zip(t.hits, t.at_least, strict=False)
            )
            if t.hits and any(t.hits)
            else "—"
        )
        lines.append(f"| {t.label} | {t.median_ms:.1f} | {t.p95_ms:.1f} | {ratio:.1f} | {found} |")
    return "\n".join(lines) + "\n"
