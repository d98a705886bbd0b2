"""`{% url %}` through `core.quick_reverse`: the same tag, written the same way, loaded for
every template (TEMPLATES' "builtins"), so a list's link per row costs a string join rather
than a `reverse`."""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape

from safecities.core.quick_reverse import quick_reverse

register = template.Library()


class QuickURLNode(defaulttags.URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            if kwargs:
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
            else:
                url = quick_reverse(view_name, args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = QuickURLNode
    return node
