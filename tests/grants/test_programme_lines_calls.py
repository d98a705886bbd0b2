"""The pot a call draws on, chosen on the call's own form, and deleting a budget line.

The call form offers only the programme's grantable pots and needs one when the programme has
any; it goes through `draw_call_on`, which keeps a call's pot once the call has awarded a grant.
A line is deleted only while no call draws on it and nothing was awarded from it: a confirmation
page first, an audited service, and a clear refusal otherwise."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.core.models import AuditEvent
from safecities.grants import services
from safecities.grants.models import Call, ProgrammeLine
from tests.grants.factories import (
    finish_review,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.grants.test_views_programmes import call_form
from tests.utils import unchanged

POT, RESERVED = ProgrammeLine.Kind.POT, ProgrammeLine.Kind.RESERVED


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(1_000_000))


@pytest.fixture
def lines(programme, funder_officer):
    """Two pots and a reserved line."""

    def add(name, kind, amount):
        return services.add_programme_line(
            actor=funder_officer, programme=programme, name=name, kind=kind, amount=nok(amount)
        )

    return {
        "projects": add("Collaboration projects", POT, 500_000),
        "pilots": add("Pilots", POT, 200_000),
        "secretariat": add("Secretariat", RESERVED, 300_000),
    }


def _awarded_call(demo, programme, line, funder_officer, coordinator, reviewer):
    """An open call drawing on `line` with one grant of 100 000 awarded."""
    call = make_open_call(actor=funder_officer, programme=programme)
    services.draw_call_on(actor=funder_officer, call=call, line=line)
    application = submitted_application(
        actor=coordinator, call=call, requested=nok(100_000), lead_municipality=demo.oslo
    )
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    services.award_grant(application=application, amount=nok(100_000), actor=funder_officer)
    return Call.objects.get(pk=call.pk)


# --- the call's service and form -------------------------------------------------------------


def test_a_new_call_draws_on_the_pot_it_is_given_through_draw_call_on(
    programme, lines, funder_officer
):
    call = make_open_call(actor=funder_officer, programme=programme, line=lines["pilots"])
    assert call.line == lines["pilots"]
    event = AuditEvent.objects.filter(action="grants.call.line").latest("id")
    assert event.changes["line"] == [None, "Pilots"]
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        make_open_call(actor=funder_officer, programme=programme, line=lines["secretariat"])
    assert exc.value.field == "line"  # and no call was created either


def test_the_call_form_offers_only_the_pots_and_needs_one(programme, lines, funder_client):
    url = reverse("grants:call-create", args=[programme.slug])
    form = funder_client.get(url).context["form"]
    assert [label for _pk, label in form.fields["line"].choices] == [
        "Collaboration projects",
        "Pilots",
    ]
    with unchanged():
        response = funder_client.post(url, call_form())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["line"] == ["Choose the pot the call draws on."]
    assert form["title_en"].value() == "Local partnerships 2031"  # what was typed stays
    with unchanged():
        response = funder_client.post(url, call_form(line=str(lines["secretariat"].pk)))
    assert response.context["form"].errors["line"]

    response = funder_client.post(url, call_form(line=str(lines["pilots"].pk)))
    assert response.status_code == 302
    call = Call.objects.get(programme=programme, title__en="Local partnerships 2031")
    assert call.line == lines["pilots"]
    html = funder_client.get(response["Location"]).content.decode()
    assert "Grants from the budget line “Pilots”" in html


def test_a_programme_without_pots_has_no_choice_on_the_call_form(programme, funder_client):
    url = reverse("grants:call-create", args=[programme.slug])
    page = funder_client.get(url)
    assert "line" not in page.context["form"].fields
    assert 'name="line"' not in page.content.decode()
    assert funder_client.post(url, call_form()).status_code == 302
    assert Call.objects.get(programme=programme).line is None


def test_a_draft_calls_pot_changes_on_its_edit_form(
    programme, lines, funder_officer, funder_client
):
    now = timezone.now()
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        line=lines["projects"],
        title={"en": "Draft"},
        opens_at=now,
        closes_at=now + timedelta(days=30),
        max_amount=nok(100_000),
    )
    url = reverse("grants:call-edit", args=[call.pk])
    assert funder_client.get(url).context["form"].initial["line"] == lines["projects"].pk
    response = funder_client.post(url, call_form(line=str(lines["pilots"].pk)))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.line == lines["pilots"]
    event = AuditEvent.objects.filter(action="grants.call.line").latest("id")
    assert event.changes["line"] == ["Collaboration projects", "Pilots"]
    # Saved again with the same pot: no second record of the line.
    count = AuditEvent.objects.filter(action="grants.call.line").count()
    funder_client.post(url, call_form(line=str(lines["pilots"].pk)))
    assert AuditEvent.objects.filter(action="grants.call.line").count() == count


def test_the_call_line_page_says_the_pot_stays_once_the_call_has_awarded(
    demo, programme, lines, funder_officer, coordinator, reviewer, funder_client
):
    call = _awarded_call(demo, programme, lines["projects"], funder_officer, coordinator, reviewer)
    url = reverse("grants:call-line", args=[call.pk])
    html = funder_client.get(url).content.decode()
    assert 'id="locked"' in html and 'name="line"' not in html
    with unchanged():
        response = funder_client.post(url, {"line": str(lines["pilots"].pk)})
    assert response.status_code == 200
    assert "only change while nothing is awarded" in " ".join(
        response.context["form"].errors["line"]
    )
    call.refresh_from_db()
    assert call.line == lines["projects"]


# --- deleting a line -----------------------------------------------------------------------


def test_an_unused_line_is_deleted_and_audited(programme, lines, funder_officer):
    line = lines["secretariat"]
    assert services.line_in_use(line) is None
    services.delete_programme_line(actor=funder_officer, line=line)
    assert not ProgrammeLine.objects.filter(pk=line.pk).exists()
    event = AuditEvent.objects.filter(action="grants.programme_line.delete").latest("id")
    assert event.changes["name"] == ["Secretariat", None]
    assert event.changes["amount_minor"] == [30_000_000, None]


def test_a_line_a_call_draws_on_or_that_awarded_is_not_deleted(
    demo, programme, lines, funder_officer, coordinator, reviewer
):
    call = make_open_call(actor=funder_officer, programme=programme, line=lines["pilots"])
    reason = services.line_in_use(lines["pilots"])
    assert "Collaboration projects 2025" in reason  # the call is named
    with unchanged(), pytest.raises(services.NotEditable) as exc:
        services.delete_programme_line(actor=funder_officer, line=lines["pilots"])
    assert exc.value.field == "line"
    services.draw_call_on(actor=funder_officer, call=call, line=None)
    assert services.line_in_use(lines["pilots"]) is None

    _awarded_call(demo, programme, lines["projects"], funder_officer, coordinator, reviewer)
    with unchanged(), pytest.raises(services.NotEditable):
        services.delete_programme_line(actor=funder_officer, line=lines["projects"])


def test_only_those_who_run_the_programme_delete_lines(demo, programme, lines, coordinator):
    with unchanged(), pytest.raises(services.NotAllowed):
        services.delete_programme_line(actor=coordinator, line=lines["pilots"])


def test_the_delete_page_asks_first_then_deletes(programme, lines, funder_client, client_for, demo):
    line = lines["secretariat"]
    url = reverse("grants:programme-line-delete", args=[programme.slug, line.pk])
    lines_page = reverse("grants:programme-lines", args=[programme.slug])
    assert url in funder_client.get(lines_page).content.decode()
    html = funder_client.get(url).content.decode()
    assert "Yes, delete the line" in html and 'id="in-use"' not in html
    assert ProgrammeLine.objects.filter(pk=line.pk).exists()  # a GET deletes nothing

    outsider = client_for(demo.users["coordinator"])
    with unchanged():
        assert outsider.get(url).status_code == 403
        assert outsider.post(url).status_code == 403

    response = funder_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == lines_page
    assert "The budget line “Secretariat” is deleted." in response.content.decode()
    assert not ProgrammeLine.objects.filter(pk=line.pk).exists()


def test_the_delete_page_says_why_a_line_in_use_stays(
    programme, lines, funder_officer, funder_client
):
    make_open_call(actor=funder_officer, programme=programme, line=lines["pilots"])
    url = reverse("grants:programme-line-delete", args=[programme.slug, lines["pilots"].pk])
    html = funder_client.get(url).content.decode()
    assert 'id="in-use"' in html and "Yes, delete the line" not in html
    with unchanged():
        response = funder_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "grants:programme-lines", args=[programme.slug]
    )
    assert "A call draws on this line" in response.content.decode()
