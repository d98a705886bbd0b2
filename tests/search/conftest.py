"""The search tests build their own documents: the demo's are taken out of the index first."""

import datetime

import pytest

from safecities.search import api as search
from safecities.search.backends import backend
from safecities.search.models import Document


@pytest.fixture(autouse=True)
def _empty_index(request):
    """Each test starts from an empty index (inside its transaction, rolled back after it)."""
    if {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("db")
        ids = list(Document.objects.values_list("pk", flat=True))
        backend().delete(ids)
        Document.objects.all().delete()


@pytest.fixture
def add(db):
    """add(object_id, language, title, body, **options): index one document of kind practice."""

    def make(object_id, language, title, body="", **options):
        options.setdefault("kind", "practice")
        options.setdefault("url", f"/practices/{object_id}/")
        options.setdefault("facets", {})
        options.setdefault("public", True)
        options.setdefault("date", datetime.date(2025, 1, 1))
        kind = options.pop("kind")
        search.index(kind, object_id, language=language, title=title, body=body, **options)

    return make


def found(result) -> list[tuple[int, str]]:
    return [(hit.object_id, hit.language) for hit in result.hits]


def ids(result) -> list[int]:
    return [hit.object_id for hit in result.hits]
