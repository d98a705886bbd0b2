from django import template
from django.utils.html import format_html

from safecities.core import markdown as md
from safecities.core.i18n import translated as _translated
from safecities.core.states import Workflow

register = template.Library()


@register.filter
def translated(values):
    """A JSON field of {language: text} in the reader's language, falling back to English."""
    return _translated(values)


@register.filter
def markdown(text):
    return md.render(text)


@register.simple_tag
def status_tag(obj, field="status"):
    """The object's status as a tag, coloured by its workflow's table (`Workflow.tones`)."""
    workflow = Workflow.of(obj, field)
    state = workflow.state_of(obj)
    return format_html(
        '<span class="ds-tag sc-status sc-status--{}" data-color="{}">{}</span>',
        state,
        workflow.tone(state),
        workflow.label(state),
    )
