"""Editing a grant programme after it is created: name, period, currency, budget and purpose.

The budget never drops below what is already awarded (refused naming the field), the currency
changes only while the programme has no call, and every change is audited."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.core.errors import NotAllowed
from safecities.core.models import AuditEvent
from safecities.core.money import Money
from safecities.grants import services
from safecities.grants.models import Programme
from safecities.grants.selectors import programme_ledger
from tests.grants.factories import (
    finish_review,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.utils import unchanged


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(1_000_000))


@pytest.fixture
def awarded(demo, programme, funder_officer, coordinator, reviewer):
    """The programme with 150 000 NOK awarded."""
    call = make_open_call(actor=funder_officer, programme=programme)
    application = submitted_application(
        actor=coordinator, call=call, requested=nok(150_000), lead_municipality=demo.oslo
    )
    finish_review(application, actor=funder_officer, reviewer=reviewer)
    services.award_grant(application=application, amount=nok(150_000), actor=funder_officer)
    programme.refresh_from_db()
    return programme


def edit(programme, actor, **changes):
    kwargs = {
        "name": programme.name,
        "budget": programme.budget,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "description": programme.description,
    }
    kwargs.update(changes)
    return services.update_programme(actor=actor, programme=programme, **kwargs)


# --- the service ------------------------------------------------------------------------------


def test_a_runner_changes_name_period_budget_and_purpose(programme, funder_officer):
    edit(
        programme,
        funder_officer,
        name="Trygg by Norge 2024–2027",
        budget=nok(1_200_000),
        ends_on=date(2027, 12, 31),
        description={"en": "Wider.", "nb": "Bredere."},
    )
    programme.refresh_from_db()
    assert programme.name == "Trygg by Norge 2024–2027"
    assert programme.budget == nok(1_200_000)
    assert programme.ends_on == date(2027, 12, 31)
    assert programme.description == {"en": "Wider.", "nb": "Bredere."}
    event = AuditEvent.objects.filter(action="grants.programme.update").latest("id")
    assert event.changes["budget_minor"] == [100_000_000, 120_000_000]
    assert set(event.changes) == {"name", "budget_minor", "ends_on", "description"}


def test_the_budget_may_come_down_to_exactly_what_is_awarded(awarded, funder_officer):
    edit(awarded, funder_officer, budget=nok(150_000))
    awarded.refresh_from_db()
    assert programme_ledger(awarded)["remaining"] == nok(0)


def test_a_budget_below_what_is_awarded_is_refused_naming_the_field(awarded, funder_officer):
    before = AuditEvent.objects.filter(action="grants.programme.update").count()
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        edit(awarded, funder_officer, budget=nok("149999.99"))
    assert exc.value.field == "budget"
    assert "NOK\u00a0150,000" in exc.value.message
    awarded.refresh_from_db()
    assert awarded.budget == nok(1_000_000)
    assert AuditEvent.objects.filter(action="grants.programme.update").count() == before


def test_the_currency_changes_only_while_the_programme_has_no_call(programme, funder_officer):
    edit(programme, funder_officer, budget=Money(100_000, "SEK"))
    programme.refresh_from_db()
    assert (programme.currency, programme.budget_minor) == ("SEK", 10_000_000)

    make_open_call(
        actor=funder_officer,
        programme=programme,
        min_amount=Money(0, "SEK"),
        max_amount=Money(50_000, "SEK"),
    )
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        edit(programme, funder_officer, budget=Money(100_000, "EUR"))
    assert exc.value.field == "currency"
    assert "SEK" in exc.value.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"budget": nok(0)}, "budget"),
        ({"ends_on": date(2023, 12, 31)}, "ends_on"),
        ({"description": {"en": ""}}, "description"),
    ],
)
def test_bad_edits_are_refused_naming_the_field(programme, funder_officer, changes, field):
    if field == "description":
        edit(programme, funder_officer, **changes)  # the purpose is optional
        return
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        edit(programme, funder_officer, **changes)
    assert exc.value.field == field


@pytest.mark.parametrize("role", ["member", "coordinator", "organisation_contact", "reviewer"])
def test_only_those_who_run_the_programme_edit_it(demo, programme, role):
    with unchanged(), pytest.raises(NotAllowed):
        edit(programme, demo.users[role], name="Taken over")


def test_the_secretariat_edits_any_programme(programme, secretariat):
    edit(programme, secretariat, name="Renamed by the secretariat")
    assert Programme.objects.get(pk=programme.pk).name == "Renamed by the secretariat"


# --- the page ---------------------------------------------------------------------------------


def form_of(programme, **overrides) -> dict:
    data = {
        "name": programme.name,
        "currency": programme.currency,
        "budget": str(programme.budget.amount),
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "description_en": programme.description.get("en", ""),
        "description_nb": "",
        "description_sv": "",
    }
    data.update(overrides)
    return data


def test_the_programme_page_links_to_its_edit_page_for_those_who_run_it(
    programme, funder_client, client
):
    url = reverse("grants:programme-edit", args=[programme.slug])
    page = reverse("grants:programme", args=[programme.slug])
    assert url in funder_client.get(page).content.decode()
    assert url not in client.get(page).content.decode()


def test_the_edit_page_shows_the_programme_and_saves_it(programme, funder_client):
    url = reverse("grants:programme-edit", args=[programme.slug])
    response = funder_client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert "funder" not in form.fields
    assert form.initial["budget"] == programme.budget.amount
    assert form.initial["description_en"] == programme.description["en"]

    response = funder_client.post(
        url,
        form_of(programme, budget="1250000", name="Trygg by Norge, wider", ends_on="2027-06-30"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:programme", args=[programme.slug])
    programme.refresh_from_db()
    assert programme.budget == nok(1_250_000)
    assert programme.name == "Trygg by Norge, wider"
    assert programme.ends_on == date(2027, 6, 30)
    shown = funder_client.get(response["Location"]).content.decode()
    assert "The programme is saved." in shown


def test_a_budget_below_what_is_awarded_shows_on_the_budget_field(awarded, funder_client):
    url = reverse("grants:programme-edit", args=[awarded.slug])
    with unchanged():
        response = funder_client.post(url, form_of(awarded, budget="100000", name="Kept typed"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "already awarded" in " ".join(form.errors["budget"])
    assert 'id="id_budget_error"' in response.content.decode()
    assert form["name"].value() == "Kept typed"  # what was typed is shown again


def test_the_edit_page_is_for_those_who_run_the_programme(demo, programme, client_for):
    url = reverse("grants:programme-edit", args=[programme.slug])
    client = client_for(demo.users["coordinator"])
    assert client.get(url).status_code == 403
    with unchanged():
        assert client.post(url, form_of(programme, name="Taken")).status_code == 403


def test_the_api_shows_the_edited_budget(programme, funder_officer, client):
    edit(programme, funder_officer, budget=nok(1_300_000))
    body = client.get(f"/api/v1/grants/programmes/{programme.slug}").json()
    assert "1300000" in str(body).replace(".00", "").replace(",", "")
