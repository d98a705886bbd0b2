"""Highlighted excerpts: the original text, escaped, with <mark> around words that matched."""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import Term, stem

_WORD = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"[#*_`>|~]+")
_SPACE = re.compile(r"\s+")

SNIPPET_WORDS = 30
WORDS_BEFORE = 8


def _matches(word: str, language: str, terms: list[Term]) -> bool:
    token = stem(word.lower(), language)
    return any(term.matches(token) for term in terms)


def _gap(text: str, *, markup: bool) -> str:
    if text == " ":  # most gaps between words: nothing to clean or escape
        return text
    if markup:  # Markdown marks between words are left out of a body's excerpt
        text = _MARKUP.sub(" ", text)
    return escape(_SPACE.sub(" ", text))


def _render(
    text: str, spans: list[tuple[int, int, bool]], *, lead: bool, tail: bool, markup: bool
) -> str:
    """The text from the first span to the last (to the end when not `tail`), matches marked."""
    parts = ["… "] if lead else []
    previous_end = spans[0][0]
    for start, end, marked in spans:
        parts.append(_gap(text[previous_end:start], markup=markup))
        word = escape(text[start:end])
        parts.append(f"<mark>{word}</mark>" if marked else word)
        previous_end = end
    if tail:
        parts.append(" …")
    else:
        parts.append(_gap(text[previous_end:], markup=markup))
    return "".join(parts).strip()


def highlight(text: str, *, language: str, terms: list[Term]) -> SafeString:
    """The whole of `text` (a title), escaped, matches marked."""
    text = unicodedata.normalize("NFC", text or "")
    spans = [
        (m.start(), m.end(), bool(terms) and _matches(m.group(), language, terms))
        for m in _WORD.finditer(text)
    ]
    if not spans:
        return mark_safe(escape(text))  # noqa: S308 — escaped
    html = _gap(text[: spans[0][0]], markup=False) + _render(
        text, spans, lead=False, tail=False, markup=False
    )
    return mark_safe(html)  # noqa: S308 — every piece of text escaped above


def snippet(
    text: str, *, language: str, terms: list[Term], size: int = SNIPPET_WORDS
) -> SafeString:
    """About `size` words of `text` around its first match, escaped, matches marked."""
    text = unicodedata.normalize("NFC", text or "")
    found: list[tuple[int, int, bool]] = []
    first_match: int | None = None
    for m in _WORD.finditer(text):
        marked = bool(terms) and _matches(m.group(), language, terms)
        found.append((m.start(), m.end(), marked))
        if marked and first_match is None:
            first_match = len(found) - 1
        begin = max(0, (first_match if first_match is not None else 0) - WORDS_BEFORE)
        if (first_match is not None or not terms) and len(found) > begin + size:
            break
        if first_match is None and len(found) > 20_000:
            break  # no match in the first 20,000 words: show the beginning
    begin = 0 if first_match is None else max(0, first_match - WORDS_BEFORE)
    window = found[begin : begin + size]
    if not window:
        return mark_safe("")  # noqa: S308 — empty
    tail = len(found) > begin + size
    html = _render(text, window, lead=begin > 0, tail=tail, markup=True)
    return mark_safe(html)  # noqa: S308 — escaped in _render
