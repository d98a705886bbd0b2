"""Approving and declining a membership go through a page that says what will happen; the
reason for a decline is asked on that page. A GET changes nothing; the POST decides."""

import html

from django.urls import reverse

from safecities.network.models import Membership
from tests.network.factories import submit_city
from tests.utils import unchanged


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_application_page_links_to_the_two_confirmations(demo, coordinator, secretariat_client):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    page = text(
        secretariat_client.get(reverse("network:application-detail", args=[application.pk]))
    )
    assert f'href="{reverse("network:application-approve", args=[application.pk])}"' in page
    assert f'href="{reverse("network:application-decline", args=[application.pk])}"' in page
    assert "<textarea" not in page  # the reason is asked where the decline is confirmed


def test_the_approval_page_says_what_happens_and_changes_nothing(
    demo, coordinator, secretariat_client
):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    url = reverse("network:application-approve", args=[application.pk])
    with unchanged():
        response = secretariat_client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Approve the membership of Drammen?" in page
    assert "becomes a member of the network today" in page
    assert application.contact_email in page  # who is told by e-mail
    assert "cannot be taken back" in page
    assert 'type="submit">Approve the membership<' in page
    assert reverse("network:application-detail", args=[application.pk]) in page  # the way back

    response = secretariat_client.post(url)
    assert response["Location"] == reverse("network:application-detail", args=[application.pk])
    assert Membership.objects.filter(municipality=demo.drammen, status="active").exists()


def test_the_decline_page_asks_the_reason_and_changes_nothing(
    demo, coordinator, secretariat_client
):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    url = reverse("network:application-decline", args=[application.pk])
    with unchanged():
        response = secretariat_client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Decline the membership application of Drammen?" in page
    assert '<textarea name="reason"' in page
    assert "told by e-mail" in page and "cannot be taken back" in page
    assert not response.context["form"].errors  # no error before anything is sent


def test_a_decline_without_a_reason_names_the_field_and_changes_nothing(
    demo, coordinator, secretariat_client
):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    url = reverse("network:application-decline", args=[application.pk])
    with unchanged():
        response = secretariat_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    page = text(response)
    assert 'id="id_reason_error"' in page or "aria-invalid" in page
    assert '<textarea name="reason"' in page  # asked again on the same page
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_decline_with_a_reason_decides(demo, coordinator, secretariat_client):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    url = reverse("network:application-decline", args=[application.pk])
    response = secretariat_client.post(url, {"reason": "The document is not signed."})
    assert response["Location"] == reverse("network:application-detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "declined"
    assert application.decision_reason == "The document is not signed."


def test_a_decided_application_offers_no_decision(demo, secretariat_client):
    application = demo.stockholm_application  # approved already
    for name in ("network:application-approve", "network:application-decline"):
        with unchanged():
            page = text(secretariat_client.get(reverse(name, args=[application.pk])))
        assert "there is nothing to decide now" in page
        assert 'type="submit"' not in page.split("<main", 1)[-1].split("</main>", 1)[0]
