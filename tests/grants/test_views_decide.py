# ruff: noqa: F811 - the fixtures imported from test_views_reviews are named as arguments
"""A proposal is decided only once a review of it is finished, and never once withdrawn: one
predicate (`states.may_be_decided`) asked by the application page, the call's applications, the
decision pack and the decide page, which refuses the POST."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from safecities.grants import services
from safecities.grants.models import Application, Award, Payment
from tests.grants.factories import accept_agreement, nok
from tests.grants.test_views_reviews import (  # noqa: F401 - fixtures
    call,
    programme,
    score,
    submit,
)
from tests.utils import unchanged


def page_of(client, name: str, pk: int) -> str:
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def unreviewed(call, submit):
    return submit(call, "Unreviewed walks")


@pytest.fixture
def reviewed(call, submit, score, reviewer):
    application = submit(call, "Reviewed walks")
    score(application, reviewer, 4)
    return application


@pytest.fixture
def withdrawn(call, submit, score, reviewer, coordinator):
    application = submit(call, "Withdrawn walks")
    score(application, reviewer, 5)
    return services.withdraw_application(actor=coordinator, application=application)


def test_only_a_reviewed_proposal_has_a_decide_button_on_the_three_pages(
    call, unreviewed, reviewed, withdrawn, funder_client
):
    decide = {
        a: reverse("grants:application-decide", args=[a.pk])
        for a in (unreviewed, reviewed, withdrawn)
    }
    for application in (unreviewed, reviewed, withdrawn):
        page = page_of(funder_client, "grants:application", application.pk)
        assert (decide[application] in page) is (application == reviewed), application.title
    for name in ("grants:call-applications", "grants:decision-pack"):
        page = page_of(funder_client, name, call.pk)
        assert "Unreviewed walks" in page
        assert decide[reviewed] in page
        assert decide[unreviewed] not in page
        assert decide[withdrawn] not in page
    pack = page_of(funder_client, "grants:decision-pack", call.pk)
    assert "No finished review yet" in pack


def test_the_decide_page_of_an_unreviewed_proposal_offers_no_decision(unreviewed, funder_client):
    page = page_of(funder_client, "grants:application-decide", unreviewed.pk)
    assert "No review of this proposal is finished yet" in page
    assert 'name="amount"' not in page and 'name="reason"' not in page


@pytest.mark.parametrize(
    "data",
    [
        {"action": "award", "amount": "1000", "final_report_due": "2027-05-01", "confirmed": "yes"},
        {"action": "decline", "reason": "Out of scope.", "confirmed": "yes"},
    ],
)
def test_deciding_an_unreviewed_proposal_is_refused(unreviewed, funder_client, data):
    url = reverse("grants:application-decide", args=[unreviewed.pk])
    with unchanged():
        response = funder_client.post(url, data)
    assert response["Location"] == url
    assert any(
        "No review of this proposal is finished yet" in str(m)
        for m in get_messages(response.wsgi_request)
    )
    unreviewed.refresh_from_db()
    assert unreviewed.status == Application.Status.SUBMITTED


def test_deciding_a_withdrawn_proposal_is_refused(withdrawn, funder_client):
    url = reverse("grants:application-decide", args=[withdrawn.pk])
    with unchanged():
        response = funder_client.post(
            url, {"action": "decline", "reason": "Out of scope.", "confirmed": "yes"}
        )
    assert response["Location"] == url
    withdrawn.refresh_from_db()
    assert withdrawn.status == Application.Status.WITHDRAWN
    assert not Award.objects.filter(application=withdrawn).exists()


def test_a_reviewed_proposal_is_awarded_through_the_confirmation(reviewed, funder_client):
    url = reverse("grants:application-decide", args=[reviewed.pk])
    data = {"action": "award", "amount": "100000", "final_report_due": "2027-05-01"}
    with unchanged():
        page = funder_client.post(url, data).content.decode()
    assert "Award the grant?" in page and "NOK\xa0100,000" in page
    assert "The applicant is told by e-mail" in page
    funder_client.post(url, {**data, "confirmed": "yes"})
    reviewed.refresh_from_db()
    assert reviewed.status == Application.Status.AWARDED


# --- paying: each step's page says what happens, and changes nothing until its button ----------


@pytest.fixture
def scheduled(reviewed, funder_officer):
    award = services.award_grant(application=reviewed, amount=nok(100_000), actor=funder_officer)
    accept_agreement(award, runner=funder_officer)  # its payments may be marked paid
    return services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2027, 3, 1), actor=funder_officer
    )


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("grants:payment-paid", "is recorded as paid to Oslo"),
        ("grants:payment-cancel", "is not made; its money may be scheduled again"),
    ],
)
def test_a_payment_step_says_what_happens_and_a_get_changes_nothing(
    scheduled, funder_client, name, says
):
    with unchanged():
        page = page_of(funder_client, name, scheduled.pk)
    assert says in page
    assert "NOK\xa040,000" in page  # the amount as the reader writes it
    assert "No e-mail is sent." in page
    assert reverse("grants:award", args=[scheduled.award_id]) in page  # the way back


def test_a_payment_is_cancelled_from_its_page(scheduled, funder_client):
    url = reverse("grants:payment-cancel", args=[scheduled.pk])
    award_page = page_of(funder_client, "grants:award", scheduled.award_id)
    assert f'href="{url}"' in award_page  # the award page links to the confirmation
    response = funder_client.post(url)
    assert response["Location"] == reverse("grants:award", args=[scheduled.award_id])
    scheduled.refresh_from_db()
    assert scheduled.status == Payment.Status.CANCELLED
    with unchanged():  # once cancelled, the page offers nothing and a POST changes nothing
        page = page_of(funder_client, "grants:payment-cancel", scheduled.pk)
        assert "this cannot be done to it" in page
        funder_client.post(url)
