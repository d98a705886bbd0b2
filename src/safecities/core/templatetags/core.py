from django import template

from safecities.core import markdown as md
from safecities.core.i18n import translated as _translated

register = template.Library()


@register.filter
def translated(values):
    """A JSON field of {language: text} in the reader's language, falling back to English."""
    return _translated(values)


@register.filter
def markdown(text):
    return md.render(text)
