"""A relevance search over many matches counts the best of them only (settings.SEARCH_BOUND):
its hits are those of the full search, its total and facet counts lower bounds, said so."""

import pytest

from safecities.search import api as search

from .conftest import found

pytestmark = pytest.mark.django_db

LANGUAGES = ("nb", "sv", "da")


def run(q, **options):
    options.setdefault("user_is_member", False)
    return search.search(q, **options)


@pytest.fixture
def many(add):
    """24 practices in three languages, every document matching "dialog" with its own score on
    both engines (the word's count: 3 × (n - 1) + 1 in Norwegian, one more in Swedish, two more
    in Danish); the even ones have goal G1, the odd ones G3, every fifth G2 too."""
    for n in range(1, 25):
        goals = ["G1"] if n % 2 == 0 else ["G3"]
        if n % 5 == 0:
            goals.append("G2")
        for k, language in enumerate(LANGUAGES):
            add(
                n,
                language,
                f"Tittel {n} {language}",
                "dialog " * (3 * (n - 1) + k + 1) + f"ord{n}x0 ord{n}x1",
                facets={"goal": goals},
            )


def both(settings, q, **options):
    """The search with the bound of 6 documents, and without any."""
    settings.SEARCH_BOUND = 6
    bounded = run(q, **options)
    settings.SEARCH_BOUND = 100_000
    full = run(q, **options)
    return bounded, full


def test_the_first_page_is_the_full_searchs_and_the_counts_are_lower_bounds(many, settings):
    # The best six documents are those of practices 24 and 23; the Danish ones score above
    # the sixth best, so the first page of two is surely the full search's.
    bounded, full = both(settings, "dialog", per_page=2, language="da")
    assert full.counts_exact and full.total == 24
    assert not bounded.counts_exact
    assert found(bounded) == found(full) == [(24, "da"), (23, "da")]
    assert [hit.score for hit in bounded.hits] == [hit.score for hit in full.hits]
    assert 2 <= bounded.total < full.total
    assert bounded.num_pages >= 1 and bounded.has_next
    for name, values in bounded.facets.items():
        exact = dict(full.facets[name])
        for value, count in values:
            assert 1 <= count <= exact[value]


def test_the_readers_language_is_shown_even_when_it_is_not_among_the_best(many, settings):
    """The hit shows the reader's language whenever that document matched, bounded or not."""
    for language in LANGUAGES:
        bounded, full = both(settings, "dialog", per_page=2, language=language)
        assert found(bounded) == found(full)
        assert {hit.language for hit in bounded.hits} == {language}


def test_a_filter_the_best_documents_cannot_fill_a_page_with_searches_every_match(
    many, settings, django_assert_num_queries
):
    settings.SEARCH_BOUND = 6
    # The bounded statement, then the full one: the page and the counts are exact.
    with django_assert_num_queries(4):
        result = run("dialog", filters={"goal": ["G2"]}, per_page=10, language="nb")
    assert result.counts_exact
    assert result.total == 4
    assert sorted(hit.object_id for hit in result.hits) == [5, 10, 15, 20]
    assert dict(result.facets["goal"]) == {"G1": 12, "G2": 4, "G3": 12}


def test_a_far_page_is_the_full_searchs_page(many, settings):
    bounded, full = both(settings, "dialog", per_page=5, page=4, language="da")
    assert bounded.counts_exact
    assert found(bounded) == found(full) and bounded.page == full.page == 4
    assert bounded.total == full.total == 24


def test_a_bounded_search_is_still_one_statement_and_two_more(
    many, settings, django_assert_num_queries
):
    settings.SEARCH_BOUND = 6
    with django_assert_num_queries(3):
        result = run("dialog", per_page=2, language="da")
    assert not result.counts_exact and len(result.hits) == 2


def test_few_matches_are_counted_exactly(many, settings):
    settings.SEARCH_BOUND = 6
    result = run("ord7x1", language="nb")  # one practice, in each of its languages
    assert result.counts_exact
    assert (result.total, found(result)) == (1, [(7, "nb")])


def test_sorting_by_date_and_listing_are_never_bounded(many, settings):
    settings.SEARCH_BOUND = 6
    assert run("dialog", sort="date").counts_exact
    assert run("dialog", sort="date").total == 24
    assert run("").counts_exact and run("").total == 24


def test_without_collapsing_each_document_is_bounded_alike(many, settings):
    bounded, full = both(settings, "dialog", per_page=4, collapse=False)
    assert found(bounded) == found(full)
    assert not bounded.counts_exact and full.total == 72


@pytest.fixture
def english_below(add):
    """Ten practices whose Danish documents are the best matches of "dialog" (10 + n times);
    the English ones of practices 1–8 match it once, those of 9 and 10 do not match at all."""
    for n in range(1, 11):
        add(n, "da", f"Titel {n}", "dialog " * (10 + n))
        add(n, "en", f"Title {n}", ("dialog " if n <= 8 else "talk ") + f"word{n}")


def test_the_readers_language_outside_the_best_is_the_hit_and_the_page_searched_again(
    english_below, settings, django_assert_num_queries
):
    # The best six are the Danish documents of 10 to 5: the English ones of 8 to 5 match too,
    # below the edge, so they are their practices' hits and the page cannot be told from the
    # best documents alone: the bounded statement, the full one, the hits' documents and facets.
    settings.SEARCH_BOUND = 6
    with django_assert_num_queries(4):
        bounded = run("dialog", per_page=4, language="en")
    settings.SEARCH_BOUND = 100_000
    full = run("dialog", per_page=4, language="en")
    assert found(bounded) == found(full)
    assert found(full)[:2] == [(10, "da"), (9, "da")]
    assert {language for _n, language in found(full)[2:]} == {"en"}
    assert [hit.score for hit in bounded.hits] == [hit.score for hit in full.hits]


def test_a_page_above_the_readers_language_outside_the_best_is_exact_at_once(
    english_below, settings, django_assert_num_queries
):
    # 10 and 9 have no matching English document: their Danish ones are the hits, above the
    # edge, so the bounded statement answers the page (with counts as lower bounds).
    settings.SEARCH_BOUND = 6
    with django_assert_num_queries(3):
        bounded = run("dialog", per_page=2, language="en")
    assert found(bounded) == [(10, "da"), (9, "da")]
    assert not bounded.counts_exact
    assert dict(bounded.facets["language"])["en"] >= 4
