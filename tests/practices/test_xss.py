"""No script, event handler or style from a user reaches a page: every Markdown field of a
practice, of a translation and of a publication, rendered on its page and in the search."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from safecities.practices import services
from safecities.practices.models import TEXT_FIELDS
from tests.practices.conftest import published

ATTACKS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<p style="position:fixed;top:0">cover</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"></svg>',
]
PAYLOAD = "\n\n".join(["**Bold** text", *ATTACKS])


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


class _Elements(HTMLParser):
    """Every element and attribute of a page (text, escaped or not, is not markup)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_clean(fragment: str) -> None:
    parser = _Elements()
    parser.feed(fragment)
    for tag, attrs in parser.found:
        assert tag not in {"script", "style", "iframe", "svg", "img", "object", "embed"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), f"<{tag} {name}> reached the page"
            assert name != "style", f"<{tag} style> reached the page"
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith("javascript:"), value


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_no_script_from_a_practice_field_reaches_its_page(client, member, secretariat, field):
    practice = published(member, secretariat, **{field: PAYLOAD})
    main = _main(client.get(reverse("practices:detail", args=[practice.pk])))
    assert "<strong>Bold</strong>" in main  # the Markdown is rendered
    assert "&lt;script&gt;" in main  # shown as text, not run
    assert_clean(main)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_no_script_from_a_translation_field_reaches_its_page(client, member, secretariat, field):
    practice = published(member, secretariat)
    texts = {"summary": "Sammanfattning."} | {field: PAYLOAD}
    services.save_translation(
        actor=member if practice.status == "draft" else secretariat,
        practice=practice,
        language="sv",
        translator="<script>alert('t')</script>",
        title="<script>alert('title')</script>",
        texts=texts,
    )
    main = _main(client.get(reverse("practices:detail", args=[practice.pk]), {"lang": "sv"}))
    assert "<strong>Bold</strong>" in main
    assert_clean(main)


def test_no_script_from_a_title_reaches_the_search_results(client, member, secretariat):
    published(member, secretariat, title="<script>alert('t')</script> Nabolagsmegling")
    response = client.get(reverse("practices:list"), {"q": "nabolagsmegling"})
    assert "&lt;script&gt;" in response.content.decode()
    assert_clean(_main(response))


def test_no_script_from_a_publication_summary_reaches_its_page(client, secretariat):
    publication = services.create_publication(
        actor=secretariat,
        title="<script>alert(1)</script>",
        summary=PAYLOAD,
        year=2025,
        language="en",
        link="https://example.org/report",
    )
    main = _main(client.get(reverse("practices:publication", args=[publication.pk])))
    assert "<strong>Bold</strong>" in main
    assert_clean(main)
