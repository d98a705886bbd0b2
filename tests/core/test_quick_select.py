"""`QuickSelect` and `QuickSelectMultiple` write the same HTML as Django's select templates,
only without a template per option (whitespace between the options aside)."""

import re

from django import forms

from safecities.core.forms import Form, GivenChoices, QuickSelect, QuickSelectMultiple

CHOICES = [("", "Each city's latest"), ("oslo", "Oslo"), ("malmo", "Malmö & <Lund>")]
NUMBERED = [(None, "None"), (1, "One"), (2, "Two <2>"), (12, "Twelve")]
GROUPED = [("Norway", [("oslo", "Oslo"), ("bergen", "Bergen")]), ("Sweden", [("malmo", "Malmö")])]


def _form(widget, multiple: bool, choices):
    field = forms.MultipleChoiceField if multiple else forms.ChoiceField

    class Chosen(Form):
        place = field(
            label="Place", choices=choices, required=False, widget=widget, help_text="Pick."
        )

    return Chosen


def _html(form_class, data) -> str:
    form = form_class(data)
    form.is_valid()
    return re.sub(r">\s+<", "><", str(form["place"]))


def test_quick_selects_write_what_djangos_templates_write():
    for choices in (CHOICES, GROUPED):
        for quick, plain, multiple, data in (
            (QuickSelect, forms.Select, False, {"place": "malmo"}),
            (QuickSelectMultiple, forms.SelectMultiple, True, {"place": ["oslo", "malmo"]}),
        ):
            fast = _html(_form(quick(attrs={"size": 6}), multiple, choices), data)
            slow = _html(_form(plain(attrs={"size": 6}), multiple, choices), data)
            assert fast == slow
            assert "selected" in fast and "Malm" in fast
    assert "&lt;Lund&gt;" in _html(_form(QuickSelect, False, CHOICES), {})


def test_quick_selects_match_django_on_numbered_choices_and_no_choice():
    for data in ({}, {"place": "1"}, {"place": "12"}):
        for quick, plain, multiple in (
            (QuickSelect, forms.Select, False),
            (QuickSelectMultiple, forms.SelectMultiple, True),
        ):
            given = {"place": [data["place"]]} if multiple and data else data
            fast = _html(_form(quick, multiple, NUMBERED), given)
            slow = _html(_form(plain, multiple, NUMBERED), given)
            assert fast == slow


def test_given_choices_render_and_validate_as_a_plain_list():
    form_class = _form(QuickSelect, False, CHOICES)
    form = form_class({"place": "malmo"})
    form.fields["place"].choices = GivenChoices(CHOICES)
    assert form.is_valid() and form.cleaned_data["place"] == "malmo"
    assert re.sub(r">\s+<", "><", str(form["place"])) == _html(form_class, {"place": "malmo"})
    refused = form_class({"place": "lund"})
    refused.fields["place"].choices = GivenChoices(CHOICES)
    assert not refused.is_valid() and "place" in refused.errors
