"""The search service through its public api, on whichever engine the test database runs."""

import datetime

import pytest
from django.db import connection

from safecities.search import api as search
from safecities.search.models import Document, DocumentFacet

from .conftest import found, ids

pytestmark = pytest.mark.django_db


def run(q, **options):
    options.setdefault("user_is_member", False)
    return search.search(q, **options)


# --- Nordic word pairs, each direction ---------------------------------------------------


@pytest.fixture
def nordic(add):
    add(1, "nb", "Forebygging av hatprat i skolen", "Elever lærer å møte hat med ord.")
    add(2, "sv", "Förebyggande arbete i förorten", "Unga och polisen samarbetar mot våld.")
    add(3, "da", "Forebyggelse af radikalisering", "Kommunen og skolerne arbejder sammen.")
    add(4, "en", "Preventing hate speech online", "Moderators and young people cooperate.")
    add(5, "nb", "Trygge nabolag i Skien", "Naboer møtes til middag hver måned.")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("förebyggande", [1, 2, 3]),  # sv -> nb, da
        ("forebygging", [1, 2, 3]),  # nb -> sv, da
        ("forebyggelse", [1, 2, 3]),  # da -> sv, nb
        ("förebygga", [1, 2, 3]),  # sv verb -> nouns
        ("forebygge", [1, 2, 3]),  # nb/da verb -> nouns
        ("prevention", [4]),  # en -> en ("preventing")
        ("preventing", [4]),
        ("vold", [2]),  # nb/da -> sv "våld"
        ("våldet", [2]),  # sv, another form
        ("skolerna", [1, 3]),  # sv plural -> nb "skolen", da "skolerne"
        ("trygghet", [5]),  # sv/nb noun -> nb adjective "trygge"
        ("tryghed", [5]),  # da -> nb
    ],
)
def test_nordic_word_pairs_find_each_other(nordic, query, expected):
    assert sorted(ids(run(query))) == expected


def test_folding_lets_a_query_without_nordic_letters_find_them(nordic):
    assert ids(run("mote hat med ord")) == [1]
    assert ids(run("forort")) == [2]


def test_several_words_must_all_match(nordic):
    assert ids(run("förebyggande hatprat")) == [1]
    assert sorted(ids(run("förebyggande skolen"))) == [1, 3]  # da "skolerne" too
    assert ids(run("forebygging radikalisering")) == [3]
    assert ids(run("forebygging nabolag")) == []


def test_the_word_being_typed_matches_as_a_prefix(nordic):
    assert ids(run("nabol")) == [5]
    assert ids(run("nabol ")) == []  # a finished word is not a prefix


# --- Stop words, punctuation, long queries -----------------------------------------------


def test_a_query_of_only_common_words_is_empty_with_a_message(nordic):
    for q in ["og i på", "the of and", "och att", "!!! ??? ---"]:
        result = run(q)
        assert result.hits == [] and result.total == 0
        assert result.useless_query
        assert "Only common words" in result.message


def test_common_words_in_a_query_are_ignored(nordic):
    assert ids(run("forebygging av hatprat i skolen")) == [1]


def test_a_5000_character_query_is_cut_and_answered(nordic):
    q = "forebygging " + "x" * 4990
    result = run(q)
    assert result.query_too_long
    assert len(result.query) <= search.MAX_QUERY_LENGTH
    assert "shortened" in result.message
    assert result.hits == []  # the cut word "xxx…" matches nothing; no error


def test_a_long_query_of_real_words_still_finds(nordic):
    result = run(("hatprat " * 700).strip())
    assert result.query_too_long
    assert ids(result) == [1]


def test_query_syntax_of_either_engine_is_only_text(nordic):
    queries = ['"', "hat*", "NEAR(hat prat)", "hat OR prat", "hat & !prat | (", "title:hat", "'"]
    queries += ["½ ² ﬁ", "日本語", "привет", "🙂", "\\", "%_", "NULL", "a:*", "-hat", "^hat"]
    for q in queries:
        result = run(q)
        assert result.total >= 0  # answered, no error


def test_an_empty_query_lists_every_visible_document_newest_first(add):
    add(1, "nb", "Eldre", date=datetime.date(2023, 1, 1))
    add(2, "nb", "Nyere", date=datetime.date(2025, 6, 1))
    add(3, "nb", "Uten dato", date=None)
    result = run("")
    assert ids(result) == [2, 1, 3]
    assert result.message == ""


def test_nothing_found_says_so(nordic):
    result = run("blåbærsyltetøy")
    assert result.total == 0
    assert "Nothing matched" in result.message


# --- Visibility ----------------------------------------------------------------------------


@pytest.fixture
def audiences(add):
    add(1, "en", "Public mentoring", public=True)
    add(2, "en", "Members mentoring", public=False, members=True)
    add(3, "en", "Hidden mentoring", public=False, members=False)


def test_anonymous_readers_find_only_public_documents(audiences):
    assert ids(run("mentoring", user_is_member=False)) == [1]
    assert run("mentoring", user_is_member=False).facets == {"language": [("en", 1)]}


def test_members_find_public_and_members_only_documents(audiences):
    assert sorted(ids(run("mentoring", user_is_member=True))) == [1, 2]


def test_visibility_also_limits_facet_counts(add):
    add(1, "en", "Mentoring", facets={"goal": ["G1"]}, public=True)
    add(2, "en", "Mentoring", facets={"goal": ["G1"]}, public=False)
    assert run("mentoring").facets == {"goal": [("G1", 1)], "language": [("en", 1)]}
    assert run("mentoring", user_is_member=True).facets == {
        "goal": [("G1", 2)],
        "language": [("en", 2)],
    }


# --- Facets and filters ---------------------------------------------------------------------


@pytest.fixture
def faceted(add):
    add(1, "nb", "Dialog i skolen", facets={"goal": ["G1", "G2"], "country": ["NO"]})
    add(2, "sv", "Dialog i skolan", facets={"goal": ["G1"], "country": ["SE"]})
    add(3, "da", "Dialog i skolen", facets={"goal": ["G3"], "country": ["DK"]})
    add(4, "nb", "Dialog med foreldre", facets={"goal": ["G2"], "country": ["NO"]})
    add(5, "en", "Sports clubs", facets={"goal": ["G1"], "country": ["NO"]})


def test_facets_count_the_matching_documents(faceted):
    result = run("dialog")
    assert result.facets == {
        "country": [("NO", 2), ("DK", 1), ("SE", 1)],
        "goal": [("G1", 2), ("G2", 2), ("G3", 1)],
        "language": [("nb", 2), ("da", 1), ("sv", 1)],
    }


def test_filters_within_a_facet_are_ored_and_across_facets_anded(faceted):
    assert sorted(ids(run("dialog", filters={"goal": ["G2", "G3"]}))) == [1, 3, 4]
    assert sorted(ids(run("dialog", filters={"goal": ["G1"], "country": ["NO"]}))) == [1]
    assert ids(run("", filters={"goal": ["G1"], "country": ["NO"]}, sort="date")) in (
        [1, 5],
        [5, 1],
    )


def test_a_facets_counts_leave_out_its_own_filter_so_other_values_can_be_added(faceted):
    result = run("dialog", filters={"goal": ["G3"]})
    assert ids(result) == [3]
    # Goals are counted as if no goal were ticked; countries only among goal G3.
    assert result.facets["goal"] == [("G1", 2), ("G2", 2), ("G3", 1)]
    assert result.facets["country"] == [("DK", 1)]


def test_unknown_filters_and_values_find_nothing_but_do_not_fail(faceted):
    assert run("dialog", filters={"goal": ["G99"]}).total == 0
    assert run("dialog", filters={"nonsense": ["x"]}).total == 0
    assert run("dialog", filters={"goal": []}).total == 4  # an empty filter is no filter


def test_kinds_limit_the_search(add):
    add(1, "en", "Hate speech report", kind="publication")
    add(1, "en", "Hate speech workshop", kind="practice")
    assert found(run("hate", kinds=["publication"])) == [(1, "en")]
    assert [h.kind for h in run("hate", kinds=["publication"]).hits] == ["publication"]
    assert run("hate").total == 2


# --- Languages of one object ----------------------------------------------------------------


@pytest.fixture
def translated(add):
    add(1, "nb", "Oslo snakker", "Samtaler om hat og ytringsfrihet.", facets={"language": ["nb"]})
    add(1, "sv", "Oslo pratar", "Samtal om hat och yttrandefrihet.", facets={"language": ["sv"]})
    add(
        1,
        "en",
        "Oslo talks",
        "Conversations about hate and free speech.",
        facets={"language": ["en"]},
    )


def test_an_object_in_several_languages_is_one_hit_in_the_readers_language(translated):
    result = run("oslo", language="sv")
    assert found(result) == [(1, "sv")]
    assert result.total == 1
    assert found(run("oslo", language="en")) == [(1, "en")]


def test_the_language_that_matched_is_shown_when_the_readers_does_not(translated):
    assert found(run("snakker", language="sv")) == [(1, "nb")]


def test_without_collapsing_each_language_is_a_hit(translated):
    result = run("oslo", collapse=False)
    assert sorted(found(result)) == [(1, "en"), (1, "nb"), (1, "sv")]
    assert result.total == 3


def test_facets_count_objects_once_across_their_languages(add):
    add(1, "nb", "Hat på nett", facets={"goal": ["G1"]})
    add(1, "da", "Had på nettet", facets={"goal": ["G1"]})
    assert run("nett").facets == {"goal": [("G1", 1)], "language": [("da", 1), ("nb", 1)]}


def test_the_language_facet_is_each_documents_own_and_filters_like_the_others(add):
    # Whatever a caller says, a document's language facet is its language.
    add(1, "nb", "Dialog på nett", facets={"goal": ["G1"], "language": ["sv"]})
    add(1, "da", "Dialog på nettet", facets={"goal": ["G1"]})
    add(2, "da", "Dialog i skolen", facets={"goal": ["G2"]})
    result = run("dialog", filters={"language": ["da"]})
    assert sorted(ids(result)) == [1, 2]
    # The language facet leaves out its own filter; the goal counts keep it.
    assert result.facets == {
        "goal": [("G1", 1), ("G2", 1)],
        "language": [("da", 2), ("nb", 1)],
    }
    assert run("dialog", filters={"language": ["sv"]}).total == 0


# --- Sorting and paging -------------------------------------------------------------------


@pytest.fixture
def ranked(add):
    # Title matches outrank body matches; the body-only one is the newest.
    add(1, "en", "Mentoring young people", "A programme.", date=datetime.date(2022, 1, 1))
    add(2, "en", "Sports clubs", "Mentoring in clubs.", date=datetime.date(2025, 1, 1))
    add(3, "en", "Mentoring mentors", "Mentoring mentoring.", date=datetime.date(2023, 1, 1))


def test_relevance_puts_title_matches_first(ranked):
    result = run("mentoring", sort="relevance")
    assert ids(result)[-1] == 2
    assert sorted(ids(result)[:2]) == [1, 3]
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_date_sort_puts_the_newest_first(ranked):
    assert ids(run("mentoring", sort="date")) == [2, 3, 1]


def test_an_unknown_sort_is_relevance(ranked):
    assert ids(run("mentoring", sort="nonsense")) == ids(run("mentoring", sort="relevance"))


def test_pages(add):
    for n in range(1, 8):
        add(n, "en", f"Workshop {n}", date=datetime.date(2025, 1, n))
    first = run("workshop", sort="date", per_page=3)
    assert (first.total, first.num_pages, first.page) == (7, 3, 1)
    assert ids(first) == [7, 6, 5]
    assert first.has_next and not first.has_previous
    last = run("workshop", sort="date", per_page=3, page=3)
    assert ids(last) == [1]
    assert (last.start_index, last.end_index) == (7, 7)
    assert run("workshop", sort="date", per_page=3, page=99).page == 3  # clamped
    assert run("workshop", sort="date", per_page=3, page="x").page == 1


# --- Snippets ----------------------------------------------------------------------------


def test_a_snippet_marks_the_matching_words_in_the_original_text(add):
    add(1, "sv", "Förebyggande arbete", "Vi arbetar med förebyggande insatser i skolor.")
    (hit,) = run("forebygging").hits
    assert hit.snippet == "Vi arbetar med <mark>förebyggande</mark> insatser i skolor."
    assert hit.title_html == "<mark>Förebyggande</mark> arbete"


def test_a_snippet_is_a_window_around_the_first_match(add):
    body = " ".join(f"ord{n}" for n in range(100)) + " radikalisering " + "slutt " * 50
    add(1, "nb", "Lang tekst", body)
    snippet = run("radikalisering").hits[0].snippet
    assert snippet.startswith("… ord92")
    assert "<mark>radikalisering</mark>" in snippet
    assert snippet.endswith(" …")


def test_titles_and_snippets_escape_html(add):
    add(
        1,
        "en",
        "<script>alert('hate')</script> speech",
        'Hate <img src=x onerror="alert(1)"> & <b>speech</b>',
    )
    (hit,) = run("hate").hits
    assert hit.title == "<script>alert('hate')</script> speech"  # plain text, for templates
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;alert(&#x27;<mark>hate</mark>&#x27;)&lt;/script&gt;" in hit.title_html
    assert "<img" not in hit.snippet and "<b>" not in hit.snippet
    assert hit.snippet.startswith("<mark>Hate</mark> &lt;img")
    assert "&amp;" in hit.snippet


# --- Index and remove ----------------------------------------------------------------------


def test_indexing_again_replaces_the_document(add):
    add(1, "nb", "Gammel tittel", facets={"goal": ["G1"]})
    add(1, "nb", "Ny tittel", facets={"goal": ["G2"]})
    assert Document.objects.count() == 1
    assert ids(run("gammel")) == []
    assert ids(run("ny tittel")) == [1]
    assert run("tittel").facets == {"goal": [("G2", 1)], "language": [("nb", 1)]}


def test_remove_one_language_or_all(translated):
    search.remove("practice", 1, "sv")
    assert sorted(found(run("oslo", collapse=False))) == [(1, "en"), (1, "nb")]
    search.remove("practice", 1)
    assert run("oslo").total == 0
    assert Document.objects.count() == 0
    assert DocumentFacet.objects.count() == 0


def test_removing_leaves_no_full_text_rows_behind(add):
    add(1, "nb", "Hat")
    search.remove("practice", 1)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            assert cursor.fetchone()[0] == 0
    add(2, "nb", "Hat")  # a new row may take the old id: only the new text is found
    assert ids(run("hat")) == [2]


def test_the_index_changes_with_the_callers_transaction(add):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        add(1, "nb", "Rullet tilbake")
        raise RuntimeError
    assert run("rullet").total == 0
    assert Document.objects.count() == 0


def test_markdown_link_targets_are_not_indexed_or_shown(add):
    add(1, "en", "Links", "Read [the report](https://example.org/hate-report) today.")
    assert run("example").total == 0
    assert run("report").hits[0].snippet == "Read [the <mark>report</mark>] today."


def test_the_number_of_queries_does_not_grow_with_the_hits(add, django_assert_max_num_queries):
    for n in range(1, 41):
        add(n, "nb", f"Dialog {n}", "Dialog i skolen.", facets={"goal": ["G1", f"G{n}"]})
    with django_assert_max_num_queries(6):
        result = run("dialog", filters={"goal": ["G1"]}, per_page=25)
    assert len(result.hits) == 25 and result.total == 40


def test_a_search_is_one_statement_and_the_page_of_hits_two_more(add, django_assert_num_queries):
    """The engine, the filters, the collapsing of languages, the page, the total and every
    facet count come from one SQL statement (`search.query`); the hits' documents and their
    facets are two more, however many documents match and however many facets are filtered."""
    for n in range(1, 31):
        add(n, "nb", f"Dialog {n}", "Dialog i skolen.", facets={"goal": ["G1", f"G{n}"]})
        add(n, "sv", f"Dialog {n}", "Dialog i skolan.", facets={"goal": ["G1", f"G{n}"]})
    filters = {"goal": ["G1"], "language": ["nb", "sv"]}
    with django_assert_num_queries(3):
        result = run("dialog", filters=filters, per_page=10, language="sv")
    assert (len(result.hits), result.total) == (10, 30)
    assert {hit.language for hit in result.hits} == {"sv"}  # one hit each, the reader's language
    assert dict(result.facets["language"]) == {"nb": 30, "sv": 30}
    assert dict(result.facets["goal"])["G1"] == 30
    with django_assert_num_queries(1):
        assert run("nothingmatches", filters=filters).total == 0
