"""Form helpers shared by every app: Designsystemet markup and domain errors on forms."""

from django import forms
from django.forms.renderers import TemplatesSetting

from .errors import DomainError


class Renderer(TemplatesSetting):
    """Renders every form with Designsystemet's field markup (label, description, error)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class DsMixin:
    """Gives each widget Designsystemet's input class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxSelectMultiple | forms.RadioSelect
            ) or not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "ds-input")


class Form(DsMixin, forms.Form):
    pass


class ModelForm(DsMixin, forms.ModelForm):
    pass


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, on the field it names when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
