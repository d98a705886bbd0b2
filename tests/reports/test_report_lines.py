"""The programme report's section "Budget lines": each line's budget and what its pot had
awarded, paid out and had left by the end of the report's year, on the page and in the PDF,
summed here straight from the rows; a programme without lines says so."""

from django.urls import reverse
from django.utils.html import strip_tags

from safecities.grants.models import Award, Payment, Programme, ProgrammeLine
from safecities.reports import selectors
from tests.grants.factories import make_programme, nok
from tests.reports.test_reports import _build, _money, _pdf_text, flat

PROGRAMME = "safe-cities-norway-2024-2026"


def _expected_lines(year: int) -> dict[str, dict[str, str]]:
    """Each line of the programme: budget, awarded, paid and left to the end of `year`."""
    expected = {}
    for line in ProgrammeLine.objects.filter(programme__slug=PROGRAMME):
        awards = Award.objects.filter(application__call__line=line, decided_at__year__lte=year)
        awarded = sum(a.amount_minor - a.released_minor for a in awards)
        paid = sum(
            p.amount_minor
            for p in Payment.objects.filter(
                award__in=awards, status=Payment.Status.PAID, paid_on__year__lte=year
            )
        )
        expected[line.name] = {
            "kind": line.kind,
            "budget": _money(line.amount_minor),
            "awarded": _money(awarded),
            "paid": _money(paid),
            "left": _money(line.amount_minor - awarded),
        }
    return expected


def _section(html: str) -> str:
    start = html.index('id="lines"')
    return html[start : html.index("</section>", start)]


def _shown(lines: dict) -> dict[str, dict[str, str]]:
    return {
        row["line"].name: {
            "kind": row["line"].kind,
            **{key: str(row[key]) for key in ("budget", "awarded", "paid", "left")},
        }
        for row in lines["lines"]
    }


def test_the_page_shows_each_lines_ledger_to_the_end_of_the_year(client, demo):
    for year in (2024, 2025):
        expected = _expected_lines(year)
        assert any(row["awarded"] != _money(0) for row in expected.values())  # money moved
        response = client.get(reverse("reports:programme", args=[PROGRAMME, year]))
        lines = response.context["summary"].lines
        assert _shown(lines) == expected
        html = response.content.decode()
        assert '<a class="ds-link" href="#lines">Budget lines</a>' in html  # the contents
        section = strip_tags(_section(html))
        for name, row in expected.items():
            assert name in section
            assert row["budget"] in section
            if row["kind"] == ProgrammeLine.Kind.POT:
                assert row["left"] in section
        # The PDF's whole report reads the same lines.
        report = selectors.programme_report(Programme.objects.get(slug=PROGRAMME), year=year)
        assert _shown(report.lines) == expected


def test_a_programme_without_lines_says_so(client, demo, funder_officer):
    programme = make_programme(actor=funder_officer, funder=demo.funder, budget=nok(500_000))
    html = client.get(reverse("reports:programme", args=[programme.slug, 2024])).content.decode()
    assert 'id="no-lines"' in _section(html)


def test_the_pdf_has_the_budget_lines(client, demo, django_capture_on_commit_callbacks):
    url = reverse("reports:programme-pdf", args=[PROGRAMME, 2025])
    report_file = _build(client, url, django_capture_on_commit_callbacks)
    reader, text = _pdf_text(client.get(reverse("reports:file", args=[report_file.pk])))
    assert "Budget lines" in reader.pages[1].extract_text()  # the table of contents
    assert text.count("Budget lines") >= 2
    for name, row in _expected_lines(2025).items():
        assert flat(name) in text
        assert flat(row["budget"]) in text
