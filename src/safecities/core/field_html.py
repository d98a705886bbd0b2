"""The form's field template, "core/forms/field.html", written in Python to the same HTML.

Each field of a form is drawn through that template (label, description, the widget, errors;
a fieldset for a list of boxes), a few dozen of Django's template nodes a field: on a filter
form of eight fields, more than the rest of a list page's markup. `core.forms.Renderer` hands
the template's context to `written`, which writes exactly what the template would
(`tests/core/test_field_html.py` compares them, field kind by field kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from django.utils.html import conditional_escape
from django.utils.translation import gettext

TEMPLATE = "core/forms/field.html"
BOXES = ("checkboxselectmultiple", "radioselect")


def _e(value: Any) -> str:
    """`{{ value }}` of a text: escaped unless marked safe."""
    return str(conditional_escape(value))


def _help(field: Any) -> str:
    if not field.help_text:
        return ""
    return (
        f'<p data-field="description" id="{_e(field.auto_id)}_helptext">{_e(field.help_text)}</p>'
    )


def _errors(field: Any) -> str:
    errors = field.errors
    if not errors:
        return ""
    text = " ".join(_e(error) for error in errors)
    return (
        f'<p class="ds-validation-message" data-field="validation" id="{_e(field.auto_id)}_error">'
        f"{text}</p>"
    )


def _required(field: Any) -> str:
    marked = getattr(field.field, "marked_required", None) or field.field.required
    return f' <span class="sc-meta">({_e(gettext("required"))})</span>' if marked else ""


def _boxes(field: Any) -> str:
    described = ""
    if field.help_text or field.errors:
        helptext = f"{_e(field.auto_id)}_helptext" if field.help_text else ""
        error = f" {_e(field.auto_id)}_error" if field.errors else ""
        described = f' aria-describedby="{helptext}{error}"'
    options = "".join(
        f'\n    <div class="ds-field">{_e(option.tag())} <label class="ds-label" '
        f'data-weight="regular" for="{_e(option.id_for_label)}">{_e(option.choice_label)}'
        "</label></div>\n  "
        for option in field
    )
    return (
        f'\n<fieldset class="ds-fieldset" id="{_e(field.auto_id)}" tabindex="-1"{described}>\n'
        f'  <legend class="ds-label">{_e(field.label)}{_required(field)}</legend>\n'
        f"  {_help(field)}\n"
        f"  {options}\n"
        f"  {_errors(field)}\n"
        "</fieldset>\n"
    )


def _checkbox(field: Any) -> str:
    return (
        '\n<div class="ds-field">\n'
        f'  <div>{_e(field)} <label class="ds-label" data-weight="regular" '
        f'for="{_e(field.auto_id)}">{_e(field.label)}</label></div>\n'
        f"  {_help(field)}\n"
        f"  {_errors(field)}\n"
        "</div>\n"
    )


def _other(field: Any) -> str:
    current = getattr(field.field, "current_file", None)
    if isinstance(current, Mapping):  # {name, url}, read as the template's `current.url` does
        current = SimpleNamespace(**current)
    shown = (
        f'<p class="sc-meta" id="{_e(field.auto_id)}_current">{_e(gettext("Current file:"))} '
        f'<a class="ds-link" href="{_e(current.url)}">{_e(current.name)}</a>. '
        f"{_e(gettext('Choose another file to replace it.'))}</p>"
        if current
        else ""
    )
    return (
        '\n<div class="ds-field">\n'
        f'  <label class="ds-label" for="{_e(field.auto_id)}">{_e(field.label)}'
        f"{_required(field)}</label>\n"
        f"  {_help(field)}\n"
        f"  {shown}\n"
        f"  {_e(field)}\n"
        f"  {_errors(field)}\n"
        "</div>\n"
    )


def written(template_name: str, context: Mapping[str, Any]) -> str | None:
    """The field template's HTML written here, or None for any other template."""
    if template_name != TEMPLATE or "field" not in context:
        return None
    field = context["field"]
    if field.widget_type in BOXES:
        html_text = _boxes(field)
    elif field.widget_type == "checkbox":
        html_text = _checkbox(field)
    else:
        html_text = _other(field)
    return html_text.strip()  # as Django's renderer strips a template's output
