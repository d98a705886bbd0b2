"""The knowledge bank in the search index (`safecities.search`): a published practice once per
language it has (the original and each translation), and every publication.

Facets: `goal` (charter goal codes), `country` (country codes of its cities and
organisations), `target_group` and `phenomenon` (term codes), `evidence` (evidence level),
`language`, and `kind` is the document kind ("practice" or "publication").
Called by the services inside their transaction, so the index changes with the data.
"""

import html
from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import strip_tags

from safecities.core.markdown import render
from safecities.search import api as search

from .models import TEXT_FIELDS, Practice, Publication

PRACTICE = "practice"
PUBLICATION = "publication"


def plain(markdown: str) -> str:
    """The words of a Markdown text, without markup, for the index."""
    if not markdown or not markdown.strip():
        return ""
    return html.unescape(strip_tags(render(markdown)))


def _facets(practice: Practice, language: str) -> dict[str, list[str]]:
    countries = {m.country.code for m in practice.municipalities.all()} | {
        o.country.code for o in practice.organisations.all()
    }
    return {
        "goal": [g.code for g in practice.goals.all()],
        "country": sorted(countries),
        "target_group": [t.code for t in practice.target_groups.all()],
        "phenomenon": [t.code for t in practice.phenomena.all()],
        "evidence": [practice.evidence_level],
        "language": [language],
    }


def _day(practice: Practice) -> date:
    moment = practice.published_at or practice.updated_at or practice.created_at
    return moment.date() if moment else None


def practice_documents(practice: Practice) -> Iterator[dict]:
    """One document per language the practice has, as `search.index` takes them."""
    extra = " ".join(
        [
            *(m.name for m in practice.municipalities.all()),
            *(o.name for o in practice.organisations.all()),
            practice.partners,
        ]
    )
    versions = [
        (practice.language, practice),
        *((t.language, t) for t in practice.translations.all()),
    ]
    for language, texts in versions:
        body = "\n".join(plain(getattr(texts, name)) for name in TEXT_FIELDS)
        yield {
            "kind": PRACTICE,
            "object_id": practice.pk,
            "language": language,
            "title": texts.title,
            "body": f"{body}\n{extra}",
            "url": reverse("practices:detail", args=[practice.pk]) + f"?lang={language}",
            "facets": _facets(practice, language),
            "public": practice.visibility == Practice.Visibility.PUBLIC,
            "members": True,
            "date": _day(practice),
        }


def index_practice(practice: Practice) -> None:
    """Put the practice in the index while it is published, take it out otherwise."""
    search.remove(PRACTICE, practice.pk)
    if practice.status != Practice.Status.PUBLISHED:
        return
    for document in practice_documents(practice):
        _index(document)


def remove_language(practice: Practice, language: str) -> None:
    search.remove(PRACTICE, practice.pk, language)


def publication_document(publication: Publication) -> dict:
    return {
        "kind": PUBLICATION,
        "object_id": publication.pk,
        "language": publication.language,
        "title": publication.title,
        "body": " ".join([plain(publication.summary), publication.authors, publication.publisher]),
        "url": reverse("practices:publication", args=[publication.pk]),
        "facets": {
            "goal": [g.code for g in publication.goals.all()],
            "language": [publication.language],
        },
        "public": publication.public,
        "members": True,
        "date": date(publication.year, 1, 1),
    }


def index_publication(publication: Publication) -> None:
    _index(publication_document(publication))


def remove_publication(publication: Publication) -> None:
    search.remove(PUBLICATION, publication.pk)


def _index(document: dict) -> None:
    document = dict(document)
    search.index(document.pop("kind"), document.pop("object_id"), **document)


def documents_of(practices: QuerySet[Practice]) -> Iterator[dict]:
    """The documents of these practices, as `search.index_many` takes them (what each one's
    documents need read in a few queries per 500)."""
    practices = practices.prefetch_related(
        "goals",
        "target_groups",
        "phenomena",
        "translations",
        "municipalities__country",
        "organisations__country",
    )
    for practice in practices.iterator(chunk_size=500):
        for document in practice_documents(practice):
            yield _entry(document)


def all_practice_documents() -> Iterator[dict]:
    """Every published practice's documents, for `safecities reindex`."""
    return documents_of(Practice.objects.filter(status=Practice.Status.PUBLISHED))


def all_publication_documents() -> Iterator[dict]:
    for publication in Publication.objects.prefetch_related("goals").iterator(chunk_size=500):
        yield _entry(publication_document(publication))


def _entry(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "kind"}


def register() -> None:
    """Tell `safecities reindex` where the bank's documents come from."""
    search.register(PRACTICE, all_practice_documents)
    search.register(PUBLICATION, all_publication_documents)
