"""The provider registry and `safecities reindex`."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from safecities.search import api as search
from safecities.search import registry
from safecities.search.models import Document

from .conftest import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    """A registry of the test's own, so the apps' providers are not run."""
    monkeypatch.setattr(registry, "_providers", {})
    return registry


def practices():
    yield search.Entry(
        object_id=1,
        language="nb",
        title="Oslo snakker",
        body="Byen snakker om hat.",
        url="/practices/1/",
        facets={"goal": ["G1"]},
        public=True,
        date=datetime.date(2025, 3, 1),
    )
    yield {
        "object_id": 1,
        "language": "sv",
        "title": "Oslo pratar",
        "body": "Staden pratar om hat.",
        "url": "/practices/1/?lang=sv",
        "facets": {"goal": ["G1"]},
        "public": True,
    }


def publications():
    yield search.Entry(object_id=7, language="en", title="Hate report", body="", url="/p/7/")


def test_reindex_rebuilds_every_registered_kind(providers, add, capsys):
    search.register("practice", practices)
    search.register("publication", publications)
    add(99, "nb", "Foreldet praksis")  # no provider yields it any more
    add(5, "en", "Old", kind="retired-kind")

    call_command("reindex")

    assert "practice: 2 documents" in capsys.readouterr().out
    assert sorted(Document.objects.values_list("kind", "object_id", "language")) == [
        ("practice", 1, "nb"),
        ("practice", 1, "sv"),
        ("publication", 7, "en"),
    ]
    assert found(search.search("pratar", user_is_member=False)) == [(1, "sv")]
    assert search.search("foreldet", user_is_member=False).total == 0
    # An Entry's default is not public: members only.
    assert search.search("report", user_is_member=False).total == 0
    assert search.search("report", user_is_member=True).total == 1


def test_reindex_of_one_kind_leaves_the_others(providers, add):
    search.register("practice", practices)
    add(7, "en", "Kept publication", kind="publication")
    assert search.reindex(["practice"]) == {"practice": 2}
    assert Document.objects.filter(kind="publication").count() == 1


def test_reindex_refuses_an_unknown_kind_and_changes_nothing(providers, add):
    search.register("practice", practices)
    add(3, "nb", "Uendret")
    with pytest.raises(CommandError, match="No search provider for nonsense"):
        call_command("reindex", "nonsense")
    assert list(Document.objects.values_list("object_id", flat=True)) == [3]


def test_a_failing_provider_changes_nothing(providers, add):
    def broken():
        yield from practices()
        raise RuntimeError("the database of practices is gone")

    search.register("practice", broken)
    add(3, "nb", "Uendret")
    with pytest.raises(RuntimeError):
        search.reindex()
    assert list(Document.objects.values_list("object_id", flat=True)) == [3]
    assert search.search("uendret", user_is_member=False).total == 1


def test_index_many_replaces_what_is_there_and_finds_like_index(add):
    add(1, "nb", "Gammel tittel", "Ord som skal bort.")
    count = search.index_many(
        "practice",
        [
            {**entry, "object_id": n, "language": language}
            for n in (1, 2)
            for language, entry in (
                ("nb", {"title": "Forebygging i skolen", "body": "Unge og hat.", "url": "/1/"}),
                ("sv", {"title": "Förebyggande i skolan", "body": "Unga och hat.", "url": "/1/"}),
            )
        ],
    )
    assert count == 4
    assert Document.objects.filter(kind="practice").count() == 4
    # The old words of (practice 1, nb) are gone from the full-text index too.
    assert found(search.search("gammel", user_is_member=True)) == []
    result = search.search("förebyggande", user_is_member=True, collapse=False)
    assert sorted((h.object_id, h.language) for h in result.hits) == [
        (1, "nb"), (1, "sv"), (2, "nb"), (2, "sv"),
    ]  # fmt: skip
