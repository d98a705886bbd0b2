"""One field per language, the same way on every form: made, read back and filled in."""

from django import forms

from safecities.core.forms import (
    LANGUAGES,
    Form,
    per_language_fields,
    per_language_initial,
    per_language_values,
)


class TwoTexts(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        per_language_fields(
            self,
            lambda code, name: {
                "title": forms.CharField(label=f"Title in {name}", required=code == "en"),
                "body": forms.CharField(required=False, widget=forms.Textarea),
            },
        )


def test_every_language_gets_its_fields_english_first_language_by_language():
    form = TwoTexts()
    assert list(form.fields) == [f"{n}_{code}" for code in LANGUAGES for n in ("title", "body")]
    assert LANGUAGES[0] == "en" and form.fields["title_en"].required
    assert not form.fields["title_nb"].required
    assert form.fields["title_sv"].label == "Title in Swedish"


def test_the_values_read_back_as_the_service_takes_them_and_fill_the_form_again():
    form = TwoTexts({"title_en": "Safe cities", "title_nb": "Trygge byer", "body_en": "Text"})
    assert form.is_valid(), form.errors
    titles = per_language_values(form.cleaned_data, "title")
    assert titles == {
        code: {"en": "Safe cities", "nb": "Trygge byer"}.get(code, "") for code in LANGUAGES
    }
    assert per_language_values(form.cleaned_data, "body", languages=["en", "sv"]) == {
        "en": "Text",
        "sv": "",
    }
    assert per_language_initial({"en": "Safe cities", "nb": "Trygge byer"}, "title") == {
        "title_en": "Safe cities",
        "title_nb": "Trygge byer",
    }
    assert per_language_initial(None, "title") == {}


def test_english_is_required():
    form = TwoTexts({"title_nb": "Trygge byer"})
    assert not form.is_valid() and "title_en" in form.errors
