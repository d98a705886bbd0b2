"""Words, stems, folding and stop words: the analysis both engines index."""

import pytest

from safecities.search.analysis import document_tokens, fold, query_terms, stem, words


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("bærum", "baerum"),
        ("väg", "vaeg"),
        ("tromsø", "tromso"),
        ("örebro", "orebro"),
        ("århus", "arhus"),
        ("aarhus", "arhus"),
        ("reykjavík", "reykjavik"),
        ("þing", "thing"),
        ("garðabær", "gardabaer"),
    ],
)
def test_folding_joins_the_nordic_letters(word, folded):
    assert fold(word) == folded


def test_ae_and_a_umlaut_fold_alike_as_do_o_slash_and_o_umlaut():
    assert fold("sæter") == fold("säter")
    assert fold("bøn") == fold("bön")
    assert fold("åkrar") == fold("aakrar")


def test_a_doubled_final_consonant_is_undoubled_so_danish_and_norwegian_stems_meet():
    # Danish Snowball undoubles ("forebyg"), Norwegian does not ("forebygg").
    assert stem("forebygge", "nb") == stem("forebygge", "da")
    assert stem("trygg", "nb") == stem("tryg", "da")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("förebyggande", "sv"), ("forebygging", "nb")),
        (("forebyggelse", "da"), ("förebyggande", "sv")),
        (("forebyggende", "nb"), ("forebyggelse", "da")),
        (("våld", "sv"), ("vold", "nb")),
        (("samarbete", "sv"), ("samarbejde", "da")),
        (("nätverk", "sv"), ("netværk", "da")),
        (("kunskap", "sv"), ("kunnskap", "nb")),
        (("extremism", "sv"), ("ekstremisme", "nb")),
    ],
)
def test_the_stem_map_joins_scandinavian_word_pairs(first, second):
    assert stem(*first) == stem(*second)


def test_documents_are_stemmed_in_their_own_language():
    assert document_tokens("Skolene samarbeider", "nb") == "skol samarbeid"
    assert document_tokens("The schools are cooperating", "en") == "the school are cooper"
    # Icelandic has no Snowball stemmer: folded only.
    assert document_tokens("Skólarnir", "is") == "skolarnir"


def test_words_split_on_punctuation_and_markup():
    assert words("**Oslo** snakker — <b>hat</b>-prat, 2024!") == [
        "oslo",
        "snakker",
        "b",
        "hat",
        "b",
        "prat",
        "2024",
    ]


def test_a_query_word_carries_the_stems_of_every_nordic_language_and_english():
    (term,) = query_terms("förebyggande ")
    assert stem("förebyggande", "sv") in term.variants
    assert stem("forebyggelse", "da") in term.variants
    assert term.prefix is None  # the word is finished: a space follows


def test_the_last_word_being_typed_also_matches_as_a_prefix():
    *_, term = query_terms("trygge nabol")
    assert term.prefix == "nabol"
    assert term.matches("nabolag")
    assert not term.matches("naboer")


def test_common_words_of_every_language_are_dropped_from_the_query():
    assert query_terms("the and of") == []
    assert query_terms("och att det") == []
    assert query_terms("og i på") == []
    assert query_terms("?! ... --") == []
    assert [t.word for t in query_terms("hat mot minoriteter")] == ["hat", "minoriteter"]


def test_a_word_common_in_one_language_but_meaning_something_in_another_is_kept():
    # English "by" is the Norwegian and Danish word for town.
    assert [t.word for t in query_terms("by")] == ["by"]


def test_a_foreign_stemmer_cutting_a_word_to_a_common_word_adds_no_variant():
    # The Finnish stemmer makes "tillit" into "til", which would match every Norwegian text.
    (term,) = query_terms("tillit ")
    assert "til" not in term.variants
