"""Text analysis shared by both engines: words, Snowball stems, Nordic folding, a stem map.

A document is analysed in its own language: each word is stemmed with that language's Snowball
stemmer (PyStemmer), then *normalised*: Nordic letters folded (æ/ä -> ae, ø/ö -> o, å/aa -> a,
ð -> d, þ -> th, other accents dropped), a doubled final consonant undoubled (Danish stems
"forebyg", Norwegian "forebygg"), and the result looked up in a small stem map that joins
Scandinavian word pairs whose stems still differ ("forebygging" / "förebyggande" /
"forebyggelse"). The engines (FTS5, PostgreSQL `simple`) then only compare these tokens.

A query's language is not known, so each query word is stemmed with every Nordic stemmer and
English, each stem normalised the same way, and the variants are OR'ed: a document matches a
word if it holds any variant. Words are AND'ed. Common words (stop words of every language) are
dropped from the query, not from the index.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from .stopwords import STOP_WORDS

# Content language -> Snowball algorithm. Icelandic has none: its words are only folded.
STEMMERS = {
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "sv": "swedish",
    "da": "danish",
    "fi": "finnish",
    "en": "english",
}
# The stemmers a query word goes through (its language is not known).
QUERY_LANGUAGES = ("nb", "sv", "da", "fi", "en")

MAX_QUERY_TERMS = 64

_WORD = re.compile(r"[^\W_]+")
_FOLD = str.maketrans(
    {"æ": "ae", "ä": "ae", "ø": "o", "ö": "o", "å": "a", "ð": "d", "þ": "th", "ß": "ss"}
)
_VOWELS = set("aeiouy")

_local = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer | None:
    algorithm = STEMMERS.get((language or "").lower().split("-")[0])
    if algorithm is None:
        return None
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if algorithm not in cache:
        cache[algorithm] = Stemmer.Stemmer(algorithm)
    return cache[algorithm]


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased (letters and digits; everything else separates).

    Composed first (NFC), so a letter typed as base + accent stays one word."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text or ""))]


@lru_cache(maxsize=50_000)
def fold(word: str) -> str:
    """Nordic letters folded, other accents dropped, a doubled final consonant undoubled."""
    word = word.lower().translate(_FOLD)
    # Accents (combining marks) and anything else that is not a letter or digit go, so both
    # engines see one plain token ("½" -> "12", "ﬁ" -> "fi").
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if c.isalnum())
    word = word.replace("aa", "a")
    if len(word) > 3 and word[-1] == word[-2] and word[-1].isalpha() and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


@lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """The index token of one (lower-case) word of a text in `language` (kept: a snippet
    stems each word of every hit it shows, and a language has few words in use)."""
    stemmer = _stemmer(language)
    stemmed = stemmer.stemWord(word) if stemmer else word
    key = fold(stemmed)
    return STEM_MAP.get(key, key)


def document_tokens(text: str, language: str) -> str:
    """The analysed form of a document's text, as the engines store it: tokens joined by spaces."""
    return " ".join(stem(w, language) for w in words(text))


@dataclass(frozen=True)
class Term:
    """One query word: the tokens that match it, and a prefix for the word still being typed."""

    word: str
    variants: frozenset[str]
    prefix: str | None = None

    def matches(self, token: str) -> bool:
        return token in self.variants or bool(self.prefix and token.startswith(self.prefix))


def query_terms(q: str) -> list[Term]:
    """The terms of a query, common words dropped. Empty when nothing is left to search."""
    raw = words(q)
    terms: list[Term] = []
    seen: set[frozenset[str]] = set()
    for position, word in enumerate(raw):
        if word in STOP_WORDS:
            continue
        plain = fold(word)
        variants = {STEM_MAP.get(plain, plain)}
        for language in QUERY_LANGUAGES:
            token = stem(word, language)
            # A stemmer of another language can cut a word down to a common word (Finnish
            # "tillit" -> "til"): such a variant would match almost every text. A common word
            # one letter short is a real stem ("møte" -> "møt", folded "mot").
            cut = len(plain) - len(token)
            if token != plain and (len(token) < 3 or (token in _STOP_TOKENS and cut > 1)):
                continue
            variants.add(token)
        last = position == len(raw) - 1
        still_typing = last and not re.search(r"[\W_]$", q or "")
        prefix = plain if still_typing and len(plain) >= 3 else None
        key = frozenset(variants)
        if key in seen:
            continue
        seen.add(key)
        terms.append(Term(word=word, variants=key, prefix=prefix))
        if len(terms) >= MAX_QUERY_TERMS:
            break
    return terms


# Scandinavian words of one meaning whose stems differ even after folding. Each group lists
# words per language; every word's stem (in its language) is mapped to the group's key.
STEM_GROUPS: list[dict[str, list[str]]] = [
    {
        "nb": ["forebygging", "forebygge", "forebyggende", "forebygget", "forebyggingen"],
        "sv": ["förebyggande", "förebygga", "förebyggs", "förebyggelse"],
        "da": ["forebyggelse", "forebygge", "forebyggende", "forebyggelsen"],
    },
    {
        "nb": ["vold", "volden", "voldelig", "voldelige"],
        "sv": ["våld", "våldet", "våldsam", "våldsamma"],
        "da": ["vold", "volden", "voldelig", "voldelige"],
    },
    {
        "nb": ["samarbeid", "samarbeide", "samarbeidet"],
        "sv": ["samarbete", "samarbeta", "samarbetet"],
        "da": ["samarbejde", "samarbejdet", "samarbejder"],
    },
    {
        "nb": ["trygghet", "trygg", "trygge", "tryggheten"],
        "sv": ["trygghet", "trygg", "trygga", "tryggheten"],
        "da": ["tryghed", "tryg", "trygge", "trygheden"],
    },
    {
        "nb": ["nettverk", "nettverket", "nettverkene"],
        "sv": ["nätverk", "nätverket", "nätverken"],
        "da": ["netværk", "netværket", "netværkene"],
    },
    {
        "nb": ["kunnskap", "kunnskapen"],
        "sv": ["kunskap", "kunskapen", "kunskaper"],
        "da": ["kundskab", "kundskaben", "kundskaber"],
    },
    {
        "nb": ["tillit", "tilliten"],
        "sv": ["tillit", "tilliten"],
        "da": ["tillid", "tilliden"],
    },
    {
        "nb": ["ekstremisme", "ekstremismen", "ekstremist", "ekstremister"],
        "sv": ["extremism", "extremismen", "extremist", "extremister"],
        "da": ["ekstremisme", "ekstremismen", "ekstremist", "ekstremister"],
        "en": ["extremism", "extremist", "extremists"],
    },
    {
        "nb": ["integrering", "integrasjon", "integrasjonen"],
        "sv": ["integrering", "integration", "integrationen"],
        "da": ["integrering", "integration", "integrationen"],
    },
    {
        "nb": ["politi", "politiet"],
        "sv": ["polis", "polisen"],
        "da": ["politi", "politiet"],
    },
    {
        "nb": ["helse", "helsen"],
        "sv": ["hälsa", "hälsan"],
        "da": ["helbred", "helbredet"],
    },
    {
        "nb": ["sosial", "sosiale"],
        "sv": ["social", "sociala"],
        "da": ["social", "sociale"],
    },
    {
        "nb": ["sivilsamfunn", "sivilsamfunnet"],
        "sv": ["civilsamhälle", "civilsamhället"],
        "da": ["civilsamfund", "civilsamfundet"],
    },
]


def _build_stem_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for group in STEM_GROUPS:
        tokens = []
        for language, group_words in group.items():
            stemmer = Stemmer.Stemmer(STEMMERS[language])
            for word in group_words:
                tokens.append(fold(stemmer.stemWord(word)))
                tokens.append(fold(word))
        key = tokens[0]
        for token in tokens:
            mapping.setdefault(token, key)
    return mapping


STEM_MAP: dict[str, str] = _build_stem_map()
_STOP_TOKENS = frozenset(fold(w) for w in STOP_WORDS)
