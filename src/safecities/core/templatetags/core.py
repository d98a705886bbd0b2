from django import template
from django.utils.html import format_html

from safecities.core import dates
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


# Dates are shown one way per language (core.dates). Aware datetimes are shown in the current
# time zone, or in the one `{% timezone %}` or `|timezone:` names, as Django's `date` does:
# `expects_localtime` hands them over already converted.


@register.filter(expects_localtime=True)
def day(value) -> str:
    """A date (or a datetime's date) as the pages show dates; "" for none."""
    return "" if value in (None, "") else dates.day_text(value)


@register.filter(expects_localtime=True)
def moment(value) -> str:
    """A datetime as the pages show date and time; "" for none."""
    return "" if value in (None, "") else dates.moment_text(value)
