"""The translated-label helpers: the reader's language, else English, else any value."""

from django.utils import translation

from safecities.core.i18n import translated, translated_with_language


def test_the_readers_language_comes_first_then_english_then_any():
    values = {"en": "Safe cities", "nb": "Trygge byer"}
    with translation.override("nb"):
        assert translated_with_language(values) == ("Trygge byer", "nb")
    with translation.override("sv"):
        assert translated_with_language(values) == ("Safe cities", "en")
    assert translated_with_language({"fi": "Turvalliset kaupungit"}, "sv") == (
        "Turvalliset kaupungit",
        "fi",
    )


def test_an_empty_value_falls_back_and_no_value_is_empty():
    assert translated_with_language({"nb": "", "en": "Safe cities"}, "nb") == ("Safe cities", "en")
    assert translated_with_language(None) == ("", "")
    assert translated_with_language({}) == ("", "")


def test_translated_is_the_text_alone():
    values = {"en": "Safe cities", "sv": "Trygga städer"}
    assert translated(values, "sv-se") == "Trygga städer"
    assert translated(values, "da") == "Safe cities"
    assert translated(None) == ""
