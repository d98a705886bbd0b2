"""The change request pages: the award page's "Changes" section, the lead's request form (a
failed save keeps what was typed), the runner's decide page, the withdraw confirmation."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecities.grants import services
from safecities.grants.models import ChangeRequest, GrantReport
from tests.grants.agreement_helpers import accepted_award, awarded
from tests.grants.factories import make_programme
from tests.utils import unchanged


@pytest.fixture
def people(demo, funder_officer, coordinator, reviewer):
    return {
        "demo": demo,
        "officer": funder_officer,
        "coordinator": coordinator,
        "reviewer": reviewer,
        "programme": make_programme(actor=funder_officer, funder=demo.funder),
    }


@pytest.fixture
def award(people):
    return accepted_award(**people)


@pytest.fixture
def lead(client_for, coordinator):
    return client_for(coordinator)


@pytest.fixture
def runner(client_for, funder_officer):
    return client_for(funder_officer)


def line_ids(award) -> dict[str, int]:
    return {line.label: line.pk for line in award.application.budget_lines.all()}


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def realloc_data(award, facilitators: str, venues: str, reason="Venues lent for free.") -> dict:
    ids = line_ids(award)
    return {
        "kind": ChangeRequest.Kind.REALLOCATION,
        "reason": reason,
        f"line_{ids['Facilitators']}": facilitators,
        f"line_{ids['Venues']}": venues,
    }


def test_the_award_page_has_an_empty_changes_section_and_a_request_button_for_the_lead(
    award, lead, runner
):
    url = reverse("grants:award", args=[award.pk])
    page = text_of(lead.get(url))
    assert 'id="no-changes"' in page
    assert reverse("grants:change-request", args=[award.pk]) in page
    runner_page = text_of(runner.get(url))
    assert 'id="no-changes"' in runner_page
    assert reverse("grants:change-request", args=[award.pk]) not in runner_page


def test_before_the_agreement_is_accepted_the_page_says_so(people, client_for):
    award = awarded(**people)
    lead = client_for(people["coordinator"])
    page = text_of(lead.get(reverse("grants:award", args=[award.pk])))
    assert 'id="changes-not-yet"' in page
    assert reverse("grants:change-request", args=[award.pk]) not in page
    form = text_of(lead.get(reverse("grants:change-request", args=[award.pk])))
    assert 'id="locked"' in form and '<form method="post" class="sc-form"' not in form
    with unchanged():
        lead.post(reverse("grants:change-request", args=[award.pk]), {"kind": "extension"})


def test_the_form_shows_each_approved_line_and_the_total(award, lead):
    page = text_of(lead.get(reverse("grants:change-request", args=[award.pk])))
    ids = line_ids(award)
    assert f'name="line_{ids["Facilitators"]}" value="60,000"' in page
    assert f'name="line_{ids["Venues"]}" value="40,000"' in page
    assert 'id="typed-total"' in page


def test_a_failed_reallocation_keeps_what_was_typed_and_names_the_problem(award, lead):
    url = reverse("grants:change-request", args=[award.pk])
    with unchanged():
        response = lead.post(url, realloc_data(award, "75 000", "30000"))
    page = text_of(response)
    ids = line_ids(award)
    assert f'name="line_{ids["Facilitators"]}" value="75 000"' in page
    assert f'name="line_{ids["Venues"]}" value="30000"' in page
    assert "Venues lent for free." in page
    assert "The new amounts add up to NOK\xa0105,000" in page
    assert "NOK\xa0105,000 typed; must be NOK\xa0100,000" in page
    assert 'id="form-errors"' in page


def test_a_negative_line_is_refused_on_its_row(award, lead):
    ids = line_ids(award)
    with unchanged():
        response = lead.post(
            reverse("grants:change-request", args=[award.pk]),
            realloc_data(award, "110000", "-10000"),
        )
    page = text_of(response)
    assert f'id="id_line_{ids["Venues"]}_error"' in page
    assert "cannot be negative" in page


def test_the_lead_requests_and_the_runner_approves_on_the_pages(award, lead, runner):
    response = lead.post(
        reverse("grants:change-request", args=[award.pk]), realloc_data(award, "80000", "20000")
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(award=award)
    page = text_of(lead.get(reverse("grants:award", args=[award.pk])))
    assert reverse("grants:change-withdraw", args=[change.pk]) in page
    assert reverse("grants:change-request", args=[award.pk]) not in page  # one open at a time
    runner_page = text_of(runner.get(reverse("grants:award", args=[award.pk])))
    decide = reverse("grants:change-decide", args=[change.pk])
    assert decide in runner_page

    page = text_of(runner.get(decide))
    assert 'id="line-changes"' in page
    assert "NOK\xa060,000" in page and "NOK\xa080,000" in page
    assert "Venues lent for free." in page
    response = runner.post(decide, {"decision": "approve", "note": "Fine by us."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    lines = {line.label: line.approved_minor for line in award.application.budget_lines.all()}
    assert lines == {"Facilitators": 8_000_000, "Venues": 2_000_000}
    page = text_of(lead.get(reverse("grants:award", args=[award.pk])))
    assert "Fine by us." in page
    # decided: the decide page says so and offers nothing
    page = text_of(runner.get(decide))
    assert 'id="locked"' in page and 'value="approve"' not in page


def test_declining_without_a_note_keeps_the_request_open(award, people, runner):
    change = services.request_change(
        actor=people["coordinator"],
        award=award,
        kind="extension",
        reason="Postponed debates.",
        new_ends_on=date(2026, 8, 31),
        new_final_due_on=date(2026, 10, 1),
    )
    decide = reverse("grants:change-decide", args=[change.pk])
    page = text_of(runner.get(decide))
    assert 'id="end-date-change"' in page and 'id="final-due-change"' in page
    with unchanged():
        page = text_of(runner.post(decide, {"decision": "decline", "note": ""}))
    assert "Tell the grantee why" in page
    response = runner.post(decide, {"decision": "decline", "note": "Not this year."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.DECLINED
    award.application.refresh_from_db()
    assert award.application.ends_on == date(2026, 2, 28)
    assert award.reports.get(kind=GrantReport.Kind.FINAL).due_on == date(2026, 3, 31)


def test_an_extension_through_the_form(award, lead):
    response = lead.post(
        reverse("grants:change-request", args=[award.pk]),
        {"kind": "extension", "reason": "Later.", "new_ends_on": "2026-01-01"},
    )
    page = text_of(response)
    assert 'id="id_new_ends_on_error"' in page
    assert 'value="2026-01-01"' in page
    # What stands in a line's field (unreadable here) does not stop an extension.
    line = award.application.budget_lines.first()
    response = lead.post(
        reverse("grants:change-request", args=[award.pk]),
        {
            "kind": "extension",
            "reason": "Later.",
            "new_ends_on": "2026-06-30",
            f"line_{line.pk}": "lots",
        },
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(award=award)
    assert change.new_ends_on == date(2026, 6, 30) and change.lines == {}


def test_the_lead_withdraws_after_a_confirmation(award, people, lead):
    change = services.request_change(
        actor=people["coordinator"],
        award=award,
        kind="extension",
        reason="Later.",
        new_ends_on=date(2026, 8, 31),
    )
    url = reverse("grants:change-withdraw", args=[change.pk])
    page = text_of(lead.get(url))
    assert 'id="what-happens"' in page
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.SUBMITTED
    response = lead.post(url)
    assert response["Location"].startswith(reverse("grants:award", args=[award.pk]))
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.WITHDRAWN
    # a second POST is refused with a message, and nothing changes
    with unchanged():
        response = lead.post(url)
    assert response.status_code == 302


def test_who_may_open_the_pages(award, people, client_for, contact, member):
    change = services.request_change(
        actor=people["coordinator"],
        award=award,
        kind="extension",
        reason="Later.",
        new_ends_on=date(2026, 8, 31),
    )
    request = reverse("grants:change-request", args=[award.pk])
    decide = reverse("grants:change-decide", args=[change.pk])
    withdraw = reverse("grants:change-withdraw", args=[change.pk])
    lead, runner = client_for(people["coordinator"]), client_for(people["officer"])
    outsider = client_for(member)
    assert lead.get(request).status_code == 200
    assert lead.get(withdraw).status_code == 200
    assert lead.get(decide).status_code == 403
    assert runner.get(decide).status_code == 200
    assert runner.get(request).status_code == 403
    assert runner.get(withdraw).status_code == 403
    for url in (request, decide, withdraw):
        assert outsider.get(url).status_code == 403
    with unchanged():
        assert lead.post(decide, {"decision": "approve"}).status_code == 403
        assert outsider.post(withdraw).status_code == 403


def _declined(award, people, n: int) -> None:
    change = services.request_change(
        actor=people["coordinator"],
        award=award,
        kind="extension",
        reason=f"Reason {n}",
        new_ends_on=date(2026, 8, 1 + n),
    )
    services.decline_change(actor=people["officer"], change=change, note=f"Declined {n}")


def test_the_award_page_lists_requests_in_a_fixed_number_of_queries(award, people, runner):
    url = reverse("grants:award", args=[award.pk])
    _declined(award, people, 0)
    with CaptureQueriesContext(connection) as one:
        text_of(runner.get(url))
    for n in range(1, 7):
        _declined(award, people, n)
    with CaptureQueriesContext(connection) as seven:
        page = text_of(runner.get(url))
    assert all(f"Declined {n}" in page for n in range(7))
    assert len(seven.captured_queries) == len(one.captured_queries)
