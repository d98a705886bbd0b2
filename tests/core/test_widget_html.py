"""The form renderer writes Django's commonest widget templates in Python
(`core.widget_html`): the HTML must be exactly what the templates write, for every kind of
widget, value and attribute the pages use, including values that need escaping."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from safecities.core import widget_html
from safecities.core.forms import DateInput, Form, Renderer, TimeInput

CHOICES = [("", "Any city"), ("oslo", "Oslo"), ("malmo", 'Malmö & <Lund> "x"'), (3, 1234)]
GROUPED = [("Norway & co", [("oslo", "Oslo"), ("bergen", "Bergen")]), ("", [("x", "X")])]


class Everything(Form):
    text = forms.CharField(label="Text", required=False, max_length=20)
    number = forms.IntegerField(label="Number", required=False, min_value=0)
    money = forms.DecimalField(label="Money", required=False, decimal_places=2)
    email = forms.EmailField(label="Email", required=False)
    url = forms.URLField(label="Web", required=False, assume_scheme="https")
    day = forms.DateField(label="Day", required=False, widget=DateInput)
    time = forms.TimeField(label="Time", required=False, widget=TimeInput)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    agree = forms.BooleanField(label="Agree", required=False)
    upload = forms.FileField(label="File", required=False, widget=forms.FileInput)
    one = forms.ChoiceField(label="One", choices=CHOICES, required=False)
    grouped = forms.ChoiceField(label="Grouped", choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(label="Many", choices=CHOICES, required=False)
    boxes = forms.MultipleChoiceField(
        label="Boxes", choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    radio = forms.ChoiceField(
        label="Radio", choices=CHOICES[1:], required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.update(
            {"placeholder": 'say "hi" & <go>', "autofocus": True, "disabled": False}
        )
        self.fields["one"].widget.attrs["data-safe"] = mark_safe("<b>")  # noqa: S308


DATA = [
    {},
    {
        "text": 'a "quoted" <b>&',
        "number": "7",
        "money": "12.50",
        "email": "a@b.no",
        "url": "https://x.no/?a=1&b=2",
        "day": "2026-12-07",
        "time": "18:30",
        "hidden": "<h>",
        "secret": "s&s",
        "agree": "on",
        "one": "malmo",
        "grouped": "bergen",
        "many": ["oslo", "3"],
        "boxes": ["malmo", "3"],
        "radio": "oslo",
    },
]


def _rendered(form: forms.Form, renderer) -> list[str]:
    """Each field's widget, and each box of a list of boxes, as the renderer draws them."""
    out = []
    for bound in form:
        widget = bound.field.widget
        out.append(widget.render(bound.html_name, bound.value(), {"id": bound.auto_id}, renderer))
        out.extend(
            widget._render(option.template_name, {"widget": option.data}, renderer)
            for option in bound.subwidgets
            if option.template_name.endswith(("checkbox_option.html", "radio_option.html"))
        )
    return out


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("bound", [True, False])
def test_written_widgets_are_the_templates_html(data, bound):
    form = Everything(
        data if bound else None,
        initial={} if bound else {"day": date(2026, 1, 2), "money": Decimal("3.10"), "one": 3},
    )
    form.is_valid()
    assert _rendered(form, Renderer()) == _rendered(form, TemplatesSetting())


def test_every_widget_template_named_is_written_without_a_template():
    form = Everything(DATA[1])
    form.is_valid()
    names = {bound.field.widget.template_name for bound in form}
    names |= {option.template_name for bound in form for option in bound.subwidgets}
    for name in names - {
        "django/forms/widgets/checkbox_select.html",
        "django/forms/widgets/radio.html",
    }:
        assert name in widget_html.WRITERS, name


def test_a_template_of_its_own_is_rendered_as_a_template():
    assert widget_html.written("core/forms/field.html", {"widget": {}}) is None
    assert widget_html.written(widget_html.WIDGETS + "select.html", {}) is None
