"""The form renderer writes the field template, "core/forms/field.html", in Python
(`core.field_html`): the HTML must be exactly what the template writes, for every kind of
field, with and without a description, errors, a required mark or a current file, including
texts that need escaping."""

from types import SimpleNamespace

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from safecities.core import field_html
from safecities.core.forms import Renderer

from .test_widget_html import DATA, Everything

BAD = {"number": "many", "email": "not <an> address", "boxes": ["nope"], "radio": "nope"}


class Described(Everything):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.help_text = f'Help for {name} & "<it>"'
        self.fields["text"].required = True
        self.fields["boxes"].required = True
        self.fields["agree"].required = True
        self.fields["one"].marked_required = True
        self.fields["money"].help_text = mark_safe("<em>safe</em> help")  # noqa: S308
        self.fields["upload"].current_file = SimpleNamespace(url="/media/a&b.pdf", name="a<b>.pdf")
        self.fields["email"].label = 'E-mail & "co" <x>'


def _groups(form: forms.Form, renderer) -> list[str]:
    return [bound.render(field_html.TEMPLATE, renderer=renderer) for bound in form]


@pytest.mark.parametrize("kind", [Everything, Described])
@pytest.mark.parametrize("data", [*DATA, BAD, None])
def test_written_field_groups_are_the_templates_html(kind, data):
    form = kind(data)
    form.is_valid()
    written = _groups(form, Renderer())
    assert written == _groups(form, TemplatesSetting())
    assert all(group.startswith(("<div", "<fieldset")) for group in written)


def test_errors_description_and_marks_are_written():
    form = Described(BAD)
    form.is_valid()
    html = "".join(_groups(form, Renderer()))
    assert 'id="id_number_error"' in html
    assert "Help for text &amp; &quot;&lt;it&gt;&quot;" in html
    assert "<em>safe</em> help" in html
    assert 'href="/media/a&amp;b.pdf"' in html
    assert 'aria-describedby="id_boxes_helptext id_boxes_error"' in html


def test_another_template_is_not_written_here():
    assert field_html.written("core/forms/form.html", {"field": None}) is None
    assert field_html.written(field_html.TEMPLATE, {}) is None
