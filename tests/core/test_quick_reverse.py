"""`{% url %}` goes through `core.quick_reverse`, which reverses a view once with stand-in
arguments and puts the real ones in their places: for every named URL of the project, every
shape of argument its converters take (and some they refuse), in every language, it must
answer what `reverse` answers, or fail where `reverse` fails."""

import pytest
from django.conf import settings
from django.template import engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from safecities.core.quick_reverse import quick_reverse

SAMPLES = {
    "IntConverter": [0, 7, 1234567, "42"],
    "SlugConverter": ["oslo", "a-b_c", 5, "2026"],
    "StringConverter": ["oslo", "x", 12],
    "PathConverter": ["a", 9],
    "UUIDConverter": [3],
}
REFUSED = [-1, "two words", "ø", "a/b", True]


def _named(resolver=None, namespace=""):
    """(name, converter class names in order) of every named pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            outer = list(entry.pattern.converters.values())
            for name, converters in _named(entry, inner):
                yield name, [type(c).__name__ for c in outer] + converters
        elif isinstance(entry, URLPattern) and entry.name:
            converters = [type(c).__name__ for c in entry.pattern.converters.values()]
            yield f"{namespace}{entry.name}", converters


def _same(name, args):
    try:
        expected = reverse(name, args=args)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            quick_reverse(name, args)
        return
    assert quick_reverse(name, args) == expected, (name, args)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_quick_reverse_answers_as_reverse_does_for_every_named_url(language):
    named = list(_named())
    assert len(named) > 100
    with_arguments = 0
    with translation.override(language):
        for name, converters in named:
            if not converters:
                _same(name, [])
                continue
            with_arguments += 1
            for i in range(3):
                args = [SAMPLES.get(c, ["x"])[i % len(SAMPLES.get(c, ["x"]))] for c in converters]
                _same(name, args)
            for refused in REFUSED:
                _same(name, [refused] * len(converters))
            _same(name, [1] * (len(converters) + 1))  # one argument too many
    assert with_arguments > 50


def test_the_url_tag_writes_the_same_links():
    request = RequestFactory().get("/")
    template = engines["django"].from_string(
        "{% url 'events:detail' pk %}|{% url 'network:municipality' slug %}|"
        "{% url 'events:detail' pk as link %}{{ link }}|{% url 'network:home' %}"
    )
    with translation.override("nb"):
        html = template.render({"pk": 108, "slug": "oslo"}, request)
        assert html == "|".join(
            [
                reverse("events:detail", args=[108]),
                reverse("network:municipality", args=["oslo"]),
                reverse("events:detail", args=[108]),
                reverse("network:home"),
            ]
        )
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'events:detail' 'two words' %}").render({})
