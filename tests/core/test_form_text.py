"""Every form's text fields follow one rule (core.forms): a one-line field (a text input: a
title, a name) refuses line breaks, tabs and control characters and holds at most 300
characters unless it says less; a text area at most 20,000. Checked on a form and through a
page a person fills in."""

from django import forms
from django.urls import reverse

from safecities.core.forms import Form
from tests.practices.test_views import _form
from tests.utils import unchanged


class Probe(Form):
    name = forms.CharField()
    code = forms.CharField(max_length=20)
    story = forms.CharField(widget=forms.Textarea)


def errors(**data) -> dict:
    form = Probe({"name": "Oslo", "code": "0301", "story": "Once.\nTwice.", **data})
    form.is_valid()
    return form.errors


def test_plain_text_passes_and_a_text_area_keeps_its_lines():
    assert errors() == {}


def test_a_one_line_field_refuses_line_breaks_and_control_characters():
    for bad in ("Oslo\r\nBergen", "Oslo\tBergen", "Oslo\x1b[2J", "Oslo\u2028Bergen"):
        assert "on one line" in errors(name=bad)["name"][0]
    assert "Null characters" in errors(name="Oslo\x00")["name"][0]  # Django's own rule


def test_lengths_are_bounded_everywhere():
    assert "name" in errors(name="x" * 301)
    assert "code" in errors(code="x" * 21)
    assert "story" in errors(story="x" * 20_001)
    assert Probe()["name"].field.widget.attrs["maxlength"] == "300"


def test_the_practice_page_refuses_a_title_of_two_lines(client_for, member):
    with unchanged():
        response = client_for(member).post(
            reverse("practices:create"), _form(title="Grannsamtal\r\ni Borlänge")
        )
    assert response.status_code == 200
    assert "on one line" in response.content.decode()
