# ruff: noqa: F811 - the fixtures imported from test_agreements are named as arguments
"""The grant agreement's pages and API: the programme edits (a refused save keeps what was typed
and names the line or the total), sends and takes back; the lead accepts through a
confirmation; partners read it; others are turned away. The award page shows the agreement and
offers "Mark as paid" only once it is accepted."""

import json
import re

from django.urls import reverse

from safecities.core.services import create_api_token
from safecities.grants import services
from safecities.grants.models import Agreement
from tests.grants.factories import nok
from tests.grants.test_agreements import (  # noqa: F401 - fixtures
    TERMS,
    _edit,
    _lines,
    _sent,
    award,
    call,
)
from tests.network.factories import coordinator_of
from tests.utils import unchanged

API = "/api/v1/grants"


def html(response) -> str:
    return response.content.decode()


def field_error(response, field: str) -> str:
    """The validation message shown under a field (core/forms/field.html)."""
    match = re.search(rf'id="id_{field}_error">(.*?)</p>', html(response), re.S)
    return match.group(1) if match else ""


def _posted(award, *, approved=("60 000", "40 000"), terms=TERMS, rows=None) -> dict:
    """What the edit page posts: the terms, an amount per line, the reporting-date rows."""
    facilitators, venues = _lines(award)
    if rows is None:
        rows = [(r.pk, r.kind, r.due_on.isoformat()) for r in award.reports.order_by("due_on")]
    data = {
        "terms": terms,
        f"approved_{facilitators.pk}": approved[0],
        f"approved_{venues.pk}": approved[1],
        "reports-TOTAL_FORMS": str(len(rows)),
        "reports-INITIAL_FORMS": "0",
        "reports-MIN_NUM_FORMS": "0",
        "reports-MAX_NUM_FORMS": "1000",
    }
    for n, (pk, kind, due_on) in enumerate(rows):
        data[f"reports-{n}-report"] = "" if pk is None else str(pk)
        data[f"reports-{n}-kind"] = kind
        data[f"reports-{n}-due_on"] = due_on
    return data


def _url(name: str, award) -> str:
    return reverse(f"grants:{name}", args=[award.pk])


# --- the programme's side -----------------------------------------------------------------


def test_the_runner_edits_the_draft_and_a_refused_save_keeps_what_was_typed(award, funder_client):
    page = html(funder_client.get(_url("agreement", award)))
    assert "Not set yet" in page  # the approved amounts are for the programme to set
    assert "Edit the agreement" in page and "Send to the grantee" in page

    edit = _url("agreement-edit", award)
    with unchanged():
        response = funder_client.post(edit, _posted(award, approved=("80 000", "40 000")))
    assert response.status_code == 200
    page = html(response)
    assert "add up to NOK\xa0120,000, but the award is NOK\xa0100,000" in page
    assert 'value="80,000"' in page or 'value="80 000"' in page  # kept as typed
    assert TERMS in page

    facilitators, venues = _lines(award)
    with unchanged():
        response = funder_client.post(edit, _posted(award, approved=("100 000", "")))
    assert "Budget line 2 (“Venues”)" in field_error(response, f"approved_{venues.pk}")

    with unchanged():
        response = funder_client.post(edit, _posted(award, approved=("-5", "100 005")))
    assert field_error(response, f"approved_{facilitators.pk}")  # no negative amounts

    interim, final = award.reports.order_by("due_on")
    rows = [
        (interim.pk, "interim", "2026-04-01"),
        (final.pk, "final", "2027-05-31"),
        (None, "interim", "2026-10-01"),
        (None, "", ""),  # the empty row adds nothing
    ]
    response = funder_client.post(edit, _posted(award, rows=rows))
    assert response["Location"] == _url("agreement", award)
    assert [line.approved_minor for line in _lines(award)] == [6_000_000, 4_000_000]
    assert [r.due_on.isoformat() for r in award.reports.order_by("due_on")] == [
        "2026-04-01",
        "2026-10-01",
        "2027-05-31",
    ]
    with unchanged():
        response = funder_client.post(edit, _posted(award, rows=[(final.pk, "final", "")]))
    assert "Reporting date 1" in html(response)


def test_the_runner_sends_through_a_confirmation_and_may_take_it_back(
    award, funder_officer, funder_client
):
    _edit(award, funder_officer)
    send = _url("agreement-send", award)
    with unchanged():
        page = html(funder_client.get(send))
    assert "get an e-mail asking them to accept it" in page
    assert funder_client.post(send)["Location"] == _url("agreement", award)
    award.agreement.refresh_from_db()
    assert award.agreement.status == Agreement.Status.SENT

    page = html(funder_client.get(_url("agreement", award)))
    assert "Edit the agreement" not in page and "Take back to draft" in page
    assert "cannot be edited now" in html(funder_client.get(_url("agreement-edit", award)))
    with unchanged():
        funder_client.post(_url("agreement-edit", award), _posted(award))

    reopen = _url("agreement-reopen", award)
    with unchanged():
        assert "can no longer accept the agreement" in html(funder_client.get(reopen))
    funder_client.post(reopen)
    award.agreement.refresh_from_db()
    assert award.agreement.status == Agreement.Status.DRAFT


def test_sending_without_terms_is_refused_back_on_the_agreement(award, funder_client):
    funder_client.post(_url("agreement-edit", award), _posted(award, terms=""))
    with unchanged():
        response = funder_client.post(_url("agreement-send", award), follow=True)
    assert "Write the terms" in html(response)


# --- the grantee's side --------------------------------------------------------------------


def test_the_lead_accepts_through_a_confirmation(
    award, funder_officer, coordinator, coordinator_client
):
    page = html(coordinator_client.get(_url("agreement", award)))
    assert "preparing the agreement" in page and "Accept the agreement" not in page
    assert "Edit the agreement" not in page
    assert coordinator_client.get(_url("agreement-edit", award)).status_code == 403

    _sent(award, funder_officer)
    page = html(coordinator_client.get(_url("agreement", award)))
    assert "Accept the agreement" in page
    assert "NOK\xa080,000" in page and "NOK\xa060,000" in page  # asked for, approved
    accept = _url("agreement-accept", award)
    with unchanged():
        page = html(coordinator_client.get(accept))
    assert "Your name and the time are recorded" in page
    response = coordinator_client.post(accept)
    assert response["Location"] == _url("agreement", award)
    agreement = Agreement.objects.get(award=award)
    assert agreement.status == Agreement.Status.ACCEPTED and agreement.accepted_by == coordinator
    assert "cannot be accepted now" in html(coordinator_client.get(accept))


def test_a_partner_reads_the_agreement_but_does_not_accept_it_and_outsiders_are_refused(
    demo, award, funder_officer, client_for, stockholm_coordinator
):
    _sent(award, funder_officer)
    partner = client_for(stockholm_coordinator)
    page = html(partner.get(_url("agreement", award)))
    assert TERMS in page and "Accept the agreement" not in page
    assert partner.get(_url("agreement-accept", award)).status_code == 403
    with unchanged():
        assert partner.post(_url("agreement-accept", award)).status_code == 403

    outsider = client_for(coordinator_of(demo.drammen))
    for name in ("agreement", "agreement-edit", "agreement-send", "agreement-accept"):
        assert outsider.get(_url(name, award)).status_code == 403
    assert client_for(None).get(_url("agreement", award)).status_code == 302


def test_the_award_page_shows_the_agreement_and_pays_only_once_it_is_accepted(
    award, funder_officer, coordinator, funder_client
):
    payment = services.schedule_payment(
        award=award, amount=nok(50_000), due_on=award.reports.first().due_on, actor=funder_officer
    )
    page = html(funder_client.get(reverse("grants:award", args=[award.pk])))
    assert "Read the agreement" in page and "Draft" in page
    assert "once the grantee has accepted the grant agreement" in page
    assert "Mark as paid" not in page
    paid = reverse("grants:payment-paid", args=[payment.pk])
    assert "not accepted yet" in html(funder_client.get(paid))
    with unchanged():
        funder_client.post(paid, {"paid_on": ""})

    _sent(award, funder_officer)
    services.accept_agreement(actor=coordinator, agreement=award.agreement)
    page = html(funder_client.get(reverse("grants:award", args=[award.pk])))
    assert "Mark as paid" in page and "Accepted" in page
    funder_client.post(paid, {"paid_on": ""})
    payment.refresh_from_db()
    assert payment.status == "paid"


# --- the API -------------------------------------------------------------------------------


def _token(user) -> dict:
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='Script')[1]}"}


def test_the_api_gives_the_award_with_its_agreement_and_the_lead_accepts_it(
    demo, client, award, funder_officer, coordinator, stockholm_coordinator
):
    _sent(award, funder_officer)
    url = f"{API}/awards/{award.pk}"
    body = client.get(url, headers=_token(stockholm_coordinator)).json()  # a partner reads
    agreement = body["agreement"]
    assert agreement["status"] == "sent" and agreement["terms"] == TERMS
    assert [
        (line["label"], line["requested"], line["approved"]) for line in agreement["lines"]
    ] == [
        ("Facilitators", "80000.00", "60000.00"),
        ("Venues", "40000.00", "40000.00"),
    ]
    assert [(r["kind"], r["due_on"]) for r in agreement["reports"]] == [
        ("interim", "2026-03-01"),
        ("final", "2027-04-30"),
    ]
    assert body["amount"] == "100000.00"
    assert client.get(url, headers=_token(coordinator_of(demo.drammen))).status_code == 403
    assert client.get(url).status_code == 401

    accept = f"{url}/agreement/accept"
    partner = _token(stockholm_coordinator)
    with unchanged():
        response = client.post(accept, headers=partner)
    assert response.status_code == 403
    response = client.post(accept, headers=_token(coordinator))
    assert response.status_code == 200
    assert response.json()["agreement"]["status"] == "accepted"
    assert response.json()["agreement"]["accepted_at"]
    response = client.post(accept, headers=_token(coordinator))  # once only
    assert response.status_code == 409
    assert json.loads(response.content)["field"] == "status"
