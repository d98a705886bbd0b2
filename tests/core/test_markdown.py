"""User text is Markdown, and no script survives it."""

from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from safecities.core.markdown import render

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)">',
    "![x](javascript:alert(1))",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<details open ontoggle=alert(1)>",
    '[x](https://ok.example "title" onclick="alert(1)")',
]


class Elements(HTMLParser):
    """The elements and attributes of a piece of HTML, as a browser would build them."""

    def __init__(self, markup: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))


ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "h2", "h3", "h4"}


@pytest.mark.parametrize("text", ATTACKS)
def test_no_script_survives(text):
    for tag, attrs in Elements(render(text)).found:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived"
        assert not [a for a in attrs if a.startswith("on") or a == "style"], attrs
        if "href" in attrs:
            assert urlparse(attrs["href"].strip()).scheme in {"http", "https", "mailto"}, attrs
        if "src" in attrs:
            raise AssertionError(f"<{tag} src> survived")


def test_links_of_other_schemes_lose_their_target():
    out = render("[click](javascript:alert(1)) and [mail](mailto:a@example.org)")
    hrefs = [attrs.get("href") for tag, attrs in Elements(out).found if tag == "a"]
    assert hrefs == ["mailto:a@example.org"]


def test_markdown_is_rendered():
    out = render("## Aims\n\n**Safe** spaces, *together*:\n\n- one\n- two\n")
    assert "<h2>Aims</h2>" in out
    assert "<strong>Safe</strong>" in out
    assert "<em>together</em>" in out
    assert "<li>one</li>" in out


def test_links_are_kept_and_made_safe():
    out = render("[Nordic Safe Cities](https://nordicsafecities.org)")
    assert 'href="https://nordicsafecities.org"' in out
    assert 'rel="noopener noreferrer nofollow"' in out


def test_raw_html_is_shown_as_text():
    out = render("<b>bold</b> & more")
    assert "<b>" not in out
    assert "&lt;b&gt;" in out


def test_nothing_renders_to_nothing():
    assert render(None) == ""
    assert render("") == ""


def test_the_template_filter_cleans_too():
    from django.template import Context, Template

    out = Template("{% load core %}{{ text|markdown }}").render(
        Context({"text": "<script>alert(1)</script> *hi*"})
    )
    assert "<script" not in out
    assert "<em>hi</em>" in out
