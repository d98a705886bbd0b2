# ruff: noqa: F811 - the fixtures imported from test_views_reviews are named as arguments
"""The decision pack as files for the board: the ranking as CSV (every ranked proposal, streamed,
formula-safe, in a fixed number of queries) and the whole pack as a PDF read back with pypdf."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from tests.grants.test_views_reviews import (  # noqa: F401 - fixtures
    call,
    make_reviewer,
    programme,
    score,
    submit,
)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def _pdf_text(response) -> tuple[int, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def ranked(demo, call, submit, score, reviewer, secretariat):
    """Three waiting proposals: two scored (5 and 3), one not yet; one with a partner and a
    title that would run as a formula in a spreadsheet."""
    best = submit(
        call,
        "=HYPERLINK(1) Night walks",
        requested=120_000,
        partners=[(demo.nuorten_aani, "Youth outreach")],
    )
    second = submit(call, "Dialogue cafés", requested=90_000)
    submit(call, "Unscored ideas", requested=30_000)
    other = make_reviewer(secretariat, "Second Reviewer")
    score(best, reviewer, 5, comment="Clear and ready.")
    score(best, other, 5, comment="+ strong partners")
    score(second, reviewer, 3, comment="Needs a budget check.")
    return call


def test_the_csv_lists_every_ranked_proposal_best_first_and_formula_safe(ranked, funder_client):
    rows = _csv(funder_client.get(reverse("grants:decision-pack-csv", args=[ranked.pk])))
    header, *body = rows
    assert header[:4] == ["rank", "title", "lead", "partners"]
    assert [row[0] for row in body] == ["1", "2", "3"]
    assert body[0][1] == "'=HYPERLINK(1) Night walks"
    assert body[0][2] == "Oslo"
    assert body[0][3] == str(ranked.applications.get(title__contains="Night").partners.get().party)
    assert body[0][5] == "120000.00"
    assert body[0][7] == "5.00"
    assert body[0][8] == "2"
    assert body[0][9] == "Fund: 2"
    assert body[0][10] == "Submitted"
    assert body[1][1] == "Dialogue cafés"
    assert body[1][6] == "210000.00"  # the running total of what is requested
    assert body[2][1] == "Unscored ideas" and body[2][7] == "" and body[2][9] == ""


def test_the_csv_costs_the_same_queries_however_many_proposals_wait(ranked, submit, funder_client):
    url = reverse("grants:decision-pack-csv", args=[ranked.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            _csv(funder_client.get(url))
        return len(context.captured_queries)

    few = queries()
    for n in range(8):
        submit(ranked, f"More proposal {n}", requested=10_000)
    assert len(_csv(funder_client.get(url))) == 1 + 3 + 8
    assert queries() == few


def test_the_pdf_has_a_cover_the_ranking_and_a_page_per_proposal(ranked, funder_client):
    pages, text = _pdf_text(
        funder_client.get(reverse("grants:decision-pack-pdf", args=[ranked.pk]))
    )
    assert pages >= 1 + 1 + 3  # cover, ranking, one page per proposal at least
    assert "Decision pack" in text and "Partnerships 2026" in text
    for title in ("Night walks", "Dialogue cafés", "Unscored ideas"):
        assert title in text
    assert "Clear and ready." in text and "Needs a budget check." in text
    assert "Relevance" in text and "Feasibility" in text  # the scores per criterion
    assert "No finished review yet" in text


def test_an_empty_pack_still_downloads(call, funder_client):
    rows = _csv(funder_client.get(reverse("grants:decision-pack-csv", args=[call.pk])))
    assert len(rows) == 1
    pages, text = _pdf_text(funder_client.get(reverse("grants:decision-pack-pdf", args=[call.pk])))
    assert pages == 2 and "No full proposals are waiting for a decision." in text


@pytest.mark.parametrize("name", ["grants:decision-pack-csv", "grants:decision-pack-pdf"])
def test_only_those_who_decide_download_the_pack(call, coordinator_client, name):
    assert coordinator_client.get(reverse(name, args=[call.pk])).status_code == 403


def test_the_pack_page_offers_both_downloads(call, funder_client):
    page = funder_client.get(reverse("grants:decision-pack", args=[call.pk])).content.decode()
    assert reverse("grants:decision-pack-csv", args=[call.pk]) in page
    assert reverse("grants:decision-pack-pdf", args=[call.pk]) in page
