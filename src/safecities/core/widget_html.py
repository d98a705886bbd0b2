"""Django's commonest widget templates written in Python, to the same HTML.

Each form field's input is drawn by Django through one template or more: a text input is
"text.html", which includes "input.html", which includes "attrs.html"; a select includes one
option template, and its attributes' template, per option; each box of a list of checkboxes
is three templates. At a few dozen microseconds a template, the filter forms above every list
(a handful of selects with their options, two dates, a list of boxes) cost more than the rest
of the page. `core.forms.Renderer` hands the templates named here to these functions, which
write exactly what the templates would (`tests/core/test_widget_html.py` compares them); any
other template (a custom widget's, a project override) is rendered as a template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"


def _shown(value: Any) -> str:
    """`{{ value }}`: localised, then escaped unless marked safe."""
    return str(conditional_escape(localize(value)))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the value's text, escaped unless marked safe."""
    try:
        text = str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else str(escape(text))


def attrs(attributes: Mapping[str, Any]) -> str:
    """ "attrs.html": ` name="value"` for each attribute, ` name` for True, none for False."""
    parts = []
    for name, value in attributes.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_shown(name)}")
        else:
            parts.append(f' {_shown(name)}="{_formatted(value)}"')
    return "".join(parts)


def input_tag(widget: Mapping[str, Any]) -> str:
    """ "input.html" (and the templates that only include it: text, date, number, checkbox…)."""
    value = widget["value"]
    shown_value = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - as the template compares
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown_value}{attrs(widget['attrs'])}>"
    )


def input_option(widget: Mapping[str, Any]) -> str:
    """ "input_option.html" (a checkbox's or radio button's box, with its label if wrapped)."""
    tag = input_tag(widget)
    if not widget.get("wrap_label"):
        return tag
    option_id = widget["attrs"].get("id")
    label_for = f' for="{_shown(option_id)}"' if option_id else ""
    # "input.html" ends in a line break, kept inside the label.
    return f"<label{label_for}>{tag}\n {_shown(widget['label'])}</label>"


def select_option(widget: Mapping[str, Any]) -> str:
    """ "select_option.html"."""
    return (
        f'<option value="{_formatted(widget["value"])}"{attrs(widget["attrs"])}>'
        f"{_shown(widget['label'])}</option>"
    )


def select(widget: Mapping[str, Any]) -> str | None:
    """ "select.html", its options included; None when an option has a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html":
                return None
            parts.append("\n  " + select_option(option) + "\n")  # the option template's end
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUTS = [
    "input",
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]

WRITERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": input_tag for name in _INPUTS},
    **{
        f"{WIDGETS}{name}.html": input_option
        for name in ("input_option", "checkbox_option", "radio_option")
    },
    WIDGETS + "select_option.html": select_option,
    WIDGETS + "select.html": select,
}


def written(template_name: str, context: Mapping[str, Any]) -> str | None:
    """The template's HTML written here, or None when it is not one of these (or not plain)."""
    writer = WRITERS.get(template_name)
    widget = context.get("widget") if writer else None
    if widget is None:
        return None
    try:
        return writer(widget)
    except KeyError:  # a widget whose context lacks what Django's own gives: use the template
        return None
