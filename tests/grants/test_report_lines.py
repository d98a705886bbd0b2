# ruff: noqa: F811 - the fixtures imported from test_views_reviews are named as arguments
"""What a report says per approved budget line and per indicator the application named: the
service's rules (sum, never negative, never past a line's approved amount, the error naming
the line), the report form that keeps what was typed, and the award and report pages."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.core.errors import InvalidInput
from safecities.grants import selectors, services
from safecities.grants.models import GrantReport, ReportResult, ReportSpend
from safecities.indicators.models import Indicator
from tests.grants.factories import nok
from tests.grants.test_views_reviews import (  # noqa: F401 - fixtures
    call,
    programme,
    score,
    submit,
)
from tests.utils import unchanged


@pytest.fixture
def indicators(demo):
    return list(Indicator.objects.filter(code__in=["safe-at-night", "people-reached"]))


@pytest.fixture
def award(call, submit, score, reviewer, funder_officer, coordinator, indicators):
    """Night walks, awarded: two budget lines (walkers 100 000, coffee 50 000), two indicators."""
    application = submit(
        call,
        "Night walks",
        budget_lines=[("Walkers", nok(100_000)), ("Coffee", nok(50_000))],
    )
    application.indicators.set(indicators)
    score(application, reviewer, 4)
    return services.award_grant(
        application=application,
        amount=nok(150_000),
        actor=funder_officer,
        reports=[("interim", date(2026, 12, 1)), ("final", date(2027, 5, 1))],
    )


def _lines(award):
    walkers, coffee = award.application.budget_lines.order_by("position", "pk")
    return walkers, coffee


def _report(award, kind=GrantReport.Kind.FINAL):
    return award.reports.get(kind=kind)


def test_the_report_spends_per_line_and_its_total_is_their_sum(award, coordinator, indicators):
    walkers, coffee = _lines(award)
    safe, reached = sorted(indicators, key=lambda i: i.code)[::-1]
    report = services.submit_report(
        actor=coordinator,
        report=_report(award),
        narrative="Twelve walks.",
        results="",
        spends={walkers.pk: nok(60_000), coffee.pk: nok(5_000)},
        indicator_results={reached.pk: (None, "About 400 people."), safe.pk: (None, "")},
    )
    report.refresh_from_db()
    assert report.spent_minor == nok(65_000).minor_units
    assert {
        (s.budget_line_id, s.spent_minor) for s in ReportSpend.objects.filter(report=report)
    } == {
        (walkers.pk, 6_000_000),
        (coffee.pk, 500_000),
    }
    # A row with neither value nor comment says nothing and is not stored.
    assert [(r.indicator_id, r.note) for r in ReportResult.objects.filter(report=report)] == [
        (reached.pk, "About 400 people.")
    ]
    rows = selectors.line_spending(award)
    assert [(r.line.label, r.approved, r.spent, r.left) for r in rows] == [
        ("Walkers", nok(100_000), nok(60_000), nok(40_000)),
        ("Coffee", nok(50_000), nok(5_000), nok(45_000)),
    ]
    # The award's draft agreement approved each line as asked (they add up to the award).
    assert not any(r.approved_is_requested for r in rows)


def test_a_line_is_never_negative_nor_past_its_approved_amount(award, coordinator):
    walkers, coffee = _lines(award)
    walkers.approved_minor = nok(80_000).minor_units
    walkers.save()
    for spends, words in (
        ({walkers.pk: nok(-1)}, "Walkers: money spent cannot be negative."),
        ({walkers.pk: nok(80_001), coffee.pk: nok(0)}, "Walkers: NOK"),
    ):
        with unchanged(), pytest.raises(InvalidInput) as refused:
            services.submit_report(
                actor=coordinator,
                report=_report(award),
                narrative="Walks.",
                results="",
                spends=spends,
            )
        assert refused.value.field == f"spend_{walkers.pk}"
        assert words in refused.value.message
    assert "80,000" in refused.value.message  # the approved amount, not the one asked for


def test_earlier_reports_count_against_the_line(award, coordinator, funder_officer):
    walkers, coffee = _lines(award)
    interim = _report(award, GrantReport.Kind.INTERIM)
    services.submit_report(
        actor=coordinator,
        report=interim,
        narrative="Half way.",
        results="",
        spends={walkers.pk: nok(70_000)},
    )
    rows = selectors.line_spending(award, report=_report(award))
    assert [(r.spent, r.this_report) for r in rows] == [(nok(70_000), None), (nok(0), None)]
    with pytest.raises(InvalidInput) as refused:
        services.submit_report(
            actor=coordinator,
            report=_report(award),
            narrative="Done.",
            results="",
            spends={walkers.pk: nok(40_000)},
        )
    assert (
        refused.value.field == f"spend_{walkers.pk}"
        and "NOK 30,000" in refused.value.message.replace("\xa0", " ")
    )


def test_the_report_form_shows_a_row_per_line_and_keeps_what_was_typed(
    award, coordinator_client, indicators
):
    walkers, coffee = _lines(award)
    # Lines no agreement approved yet (an award whose lines did not add up to it): the
    # requested amounts stand in, and the form says so.
    award.application.budget_lines.update(approved_minor=None)
    url = reverse("grants:report", args=[_report(award).pk])
    page = coordinator_client.get(url).content.decode()
    assert f'name="spend_{walkers.pk}"' in page and f'name="spend_{coffee.pk}"' in page
    assert 'name="spent"' not in page  # the total is the lines' sum
    assert "no agreement yet" in page
    for indicator in indicators:
        assert f'name="value_{indicator.pk}"' in page and f'name="note_{indicator.pk}"' in page
    data = {
        "narrative": "Twelve walks.",
        "results": "",
        f"spend_{walkers.pk}": "120000",
        f"spend_{coffee.pk}": "1000",
        f"note_{indicators[0].pk}": "Kept comment",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    with unchanged():
        response = coordinator_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_spend_{walkers.pk}_error"' in page and "Walkers:" in page
    assert 'value="120,000"' in page or 'value="120000"' in page
    assert "Kept comment" in page
    data[f"spend_{walkers.pk}"] = "90000"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    report = _report(award)
    assert report.spent_minor == nok(91_000).minor_units
    assert ReportResult.objects.get(report=report).note == "Kept comment"


def test_the_award_and_report_pages_show_spending_and_results(
    award, coordinator, funder_client, indicators
):
    walkers, coffee = _lines(award)
    reached = next(i for i in indicators if i.code == "people-reached")
    services.submit_report(
        actor=coordinator,
        report=_report(award),
        narrative="Twelve walks.",
        results="",
        spends={walkers.pk: nok(60_000), coffee.pk: nok(5_000)},
        indicator_results={reached.pk: (412, "Counted at the door.")},
    )
    page = funder_client.get(reverse("grants:award", args=[award.pk])).content.decode()
    section = page.split('id="award-spending"')[1]
    assert "Walkers" in section and "NOK\xa040,000" in section  # left on the line
    assert "Counted at the door." in page and "412" in page
    page = funder_client.get(reverse("grants:report", args=[_report(award).pk])).content.decode()
    assert "Spent in this report" in page and "NOK\xa060,000" in page
    assert "Counted at the door." in page


def test_the_api_report_detail_gives_spends_and_results(client, award, coordinator, indicators):
    from tests.grants.test_api import API, token

    walkers, coffee = _lines(award)
    reached = next(i for i in indicators if i.code == "people-reached")
    report = services.submit_report(
        actor=coordinator,
        report=_report(award),
        narrative="Twelve walks.",
        results="",
        spends={walkers.pk: nok(60_000), coffee.pk: nok(5_000)},
        indicator_results={reached.pk: (412, "Counted at the door.")},
    )
    response = client.get(f"{API}/reports/{report.pk}", headers=token(coordinator))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["spent"] == "65000.00"
    assert [(s["label"], s["approved"], s["spent"]) for s in body["spends"]] == [
        ("Walkers", "100000.00", "60000.00"),
        ("Coffee", "50000.00", "5000.00"),
    ]
    assert body["spends"][0]["approved_is_requested"] is False  # the agreement approved it
    results = {r["indicator"]: (r["value"], r["comment"]) for r in body["indicator_results"]}
    assert results["people-reached"] == ("412", "Counted at the door.")
    assert results["safe-at-night"] == (None, "")


def test_saving_without_submitting_keeps_the_lines_and_results_but_counts_nothing_yet(
    award, coordinator_client, indicators
):
    """Co-reporting: a report saved on the way keeps every line and comment typed, and what it
    says is not counted as spent until the lead submits it."""
    walkers, coffee = _lines(award)
    report = _report(award)
    url = reverse("grants:report", args=[report.pk])
    data = {
        "narrative": "",
        "results": "",
        f"spend_{walkers.pk}": "30000",
        f"spend_{coffee.pk}": "",
        f"note_{indicators[0].pk}": "Half way",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "save": "1",
    }
    assert coordinator_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.is_due
    assert {(s.budget_line_id, s.spent_minor) for s in report.spends.all()} == {
        (walkers.pk, nok(30_000).minor_units),
        (coffee.pk, 0),
    }
    assert ReportResult.objects.get(report=report).note == "Half way"
    page = coordinator_client.get(url).content.decode()
    assert "Half way" in page and ('value="30,000' in page or 'value="30000' in page)
    # Saved, not submitted: nothing counts as spent on the lines yet.
    assert [r.spent for r in selectors.line_spending(award)] == [nok(0), nok(0)]
