"""A programme's budget lines: grantable pots and reserved lines, each with its ledger.

The lines never hold more than the programme's budget, a line never drops below what its calls
have awarded, a call draws on one pot and its awards never exceed what the pot has left; every
refusal names the field and changes nothing, every change is audited. A programme without lines
is one implicit pot, as before."""

import pytest
from django.urls import reverse

from safecities.core.errors import NotAllowed
from safecities.core.models import AuditEvent
from safecities.grants import selectors, services
from safecities.grants.models import ProgrammeLine
from tests.grants.factories import (
    finish_review,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.utils import unchanged

POT, RESERVED = ProgrammeLine.Kind.POT, ProgrammeLine.Kind.RESERVED


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(1_000_000))


def add(programme, actor, name="Collaboration projects", kind=POT, amount=600_000):
    return services.add_programme_line(
        actor=actor, programme=programme, name=name, kind=kind, amount=nok(amount)
    )


def change(line, actor, **changes):
    kwargs = {"name": line.name, "kind": line.kind, "amount": line.amount}
    kwargs.update(changes)
    return services.update_programme_line(actor=actor, line=line, **kwargs)


def reviewed(demo, call, actor, reviewer, requested):
    application = submitted_application(
        actor=actor, call=call, requested=nok(requested), lead_municipality=demo.oslo
    )
    finish_review(application, actor=demo.users["funder_officer"], reviewer=reviewer)
    return application


@pytest.fixture
def pot_call(demo, programme, funder_officer):
    """A pot of 300 000 and a reserved line of 200 000, and an open call drawing on the pot."""
    pot = add(programme, funder_officer, amount=300_000)
    add(programme, funder_officer, name="Secretariat", kind=RESERVED, amount=200_000)
    call = make_open_call(actor=funder_officer, programme=programme)
    services.draw_call_on(actor=funder_officer, call=call, line=pot)
    call.refresh_from_db()
    return call


# --- the service ------------------------------------------------------------------------------


def test_lines_split_the_budget_and_are_audited(programme, funder_officer):
    pot = add(programme, funder_officer)
    reserved = add(programme, funder_officer, name="Secretariat", kind=RESERVED, amount=400_000)
    assert [(line.name, line.kind, line.amount) for line in programme.lines.all()] == [
        ("Collaboration projects", POT, nok(600_000)),
        ("Secretariat", RESERVED, nok(400_000)),
    ]
    event = AuditEvent.objects.filter(action="grants.programme_line.create").latest("id")
    assert event.changes["amount_minor"] == [None, 40_000_000]
    change(pot, funder_officer, name="Projects", amount=nok(500_000))
    event = AuditEvent.objects.filter(action="grants.programme_line.update").latest("id")
    assert event.changes == {
        "name": ["Collaboration projects", "Projects"],
        "amount_minor": [60_000_000, 50_000_000],
    }
    overview = selectors.lines_overview(programme)
    assert overview["allocated"] == nok(900_000)
    assert overview["unallocated"] == nok(100_000)
    assert reserved.grantable is False


def test_the_lines_never_hold_more_than_the_budget(programme, funder_officer):
    pot = add(programme, funder_officer, amount=700_000)
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        add(programme, funder_officer, name="Secretariat", kind=RESERVED, amount=300_001)
    assert exc.value.field == "amount"
    assert "300,000" in exc.value.message
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        change(pot, funder_officer, amount=nok("1000000.01"))
    assert exc.value.field == "amount"
    change(pot, funder_officer, amount=nok(1_000_000))  # exactly the budget


def test_the_programme_budget_never_drops_below_its_lines(programme, funder_officer):
    add(programme, funder_officer, amount=600_000)
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        services.update_programme(
            actor=funder_officer,
            programme=programme,
            name=programme.name,
            budget=nok(599_999),
            starts_on=programme.starts_on,
            ends_on=programme.ends_on,
        )
    assert exc.value.field == "budget"
    assert "budget lines" in exc.value.message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "collaboration PROJECTS"}, "name"),  # the name is taken
        ({"kind": "other"}, "kind"),
        ({"amount": 0}, "amount"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(programme, funder_officer, kwargs, field):
    add(programme, funder_officer)
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        add(programme, funder_officer, **{"name": "Other", **kwargs})
    assert exc.value.field == field


@pytest.mark.parametrize("role", ["member", "coordinator", "organisation_contact", "reviewer"])
def test_only_those_who_run_the_programme_set_up_lines(demo, programme, role):
    with unchanged(), pytest.raises(NotAllowed):
        add(programme, demo.users[role])


def test_awards_never_exceed_the_pot_and_name_the_field(
    demo, pot_call, funder_officer, coordinator, reviewer
):
    first = reviewed(demo, pot_call, coordinator, reviewer, 200_000)
    second = reviewed(demo, pot_call, coordinator, reviewer, 150_000)
    services.award_grant(application=first, amount=nok(200_000), actor=funder_officer)
    # The programme has 800 000 left, the pot only 100 000.
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        services.award_grant(application=second, amount=nok(150_000), actor=funder_officer)
    assert exc.value.field == "amount"
    assert "Collaboration projects" in exc.value.message and "100,000" in exc.value.message
    services.award_grant(application=second, amount=nok(100_000), actor=funder_officer)
    [pot, reserved] = selectors.programme_lines(pot_call.programme)
    assert (pot["budget"], pot["awarded"], pot["left"]) == (nok(300_000), nok(300_000), nok(0))
    assert reserved["awarded"] == nok(0)


def test_a_line_never_drops_below_what_it_awarded_and_stays_a_pot(
    demo, pot_call, funder_officer, coordinator, reviewer
):
    application = reviewed(demo, pot_call, coordinator, reviewer, 200_000)
    services.award_grant(application=application, amount=nok(200_000), actor=funder_officer)
    pot = pot_call.line
    with unchanged(), pytest.raises(services.BudgetExceeded) as exc:
        change(pot, funder_officer, amount=nok(199_999))
    assert exc.value.field == "amount"
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        change(pot, funder_officer, kind=RESERVED)
    assert exc.value.field == "kind"
    change(pot, funder_officer, amount=nok(200_000))


def test_a_call_draws_on_a_pot_of_its_own_programme_only(demo, programme, pot_call, funder_officer):
    reserved = programme.lines.get(kind=RESERVED)
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.draw_call_on(actor=funder_officer, call=pot_call, line=reserved)
    assert exc.value.field == "line"
    other = make_programme(actor=funder_officer, funder=demo.funder, name="Another programme")
    elsewhere = add(other, funder_officer, amount=100_000)
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.draw_call_on(actor=funder_officer, call=pot_call, line=elsewhere)
    assert exc.value.field == "line"
    services.draw_call_on(actor=funder_officer, call=pot_call, line=None)
    pot_call.refresh_from_db()
    assert pot_call.line is None
    event = AuditEvent.objects.filter(action="grants.call.line").latest("id")
    assert event.changes["line"][1] is None


def test_a_call_keeps_its_pot_once_it_has_awarded(
    demo, programme, pot_call, funder_officer, coordinator, reviewer
):
    assert services.call_line_locked(pot_call) is None
    application = reviewed(demo, pot_call, coordinator, reviewer, 100_000)
    services.award_grant(application=application, amount=nok(100_000), actor=funder_officer)
    assert services.call_line_locked(pot_call)
    roomy = add(programme, funder_officer, name="Roomy pot", amount=400_000)
    for line in (roomy, None):
        with unchanged(), pytest.raises(services.NotEditable) as exc:
            services.draw_call_on(actor=funder_officer, call=pot_call, line=line)
        assert exc.value.field == "line"
    # Saying the same pot again changes nothing and is not refused.
    services.draw_call_on(actor=funder_officer, call=pot_call, line=pot_call.line)


def test_a_programme_without_lines_is_one_pot(
    demo, programme, funder_officer, coordinator, reviewer
):
    call = make_open_call(actor=funder_officer, programme=programme)
    application = reviewed(demo, call, coordinator, reviewer, 200_000)
    services.award_grant(application=application, amount=nok(200_000), actor=funder_officer)
    assert selectors.programme_lines(programme) == []
    assert selectors.programme_ledger(programme)["remaining"] == nok(800_000)


# --- the pages --------------------------------------------------------------------------------


def test_the_programme_page_shows_the_lines_and_their_ledgers(
    demo, pot_call, funder_officer, coordinator, reviewer, client, django_assert_max_num_queries
):
    application = reviewed(demo, pot_call, coordinator, reviewer, 120_000)
    services.award_grant(application=application, amount=nok(120_000), actor=funder_officer)
    page = client.get(reverse("grants:programme", args=[pot_call.programme.slug]))
    html = page.content.decode()
    assert 'id="lines"' in html
    rows = {row["line"].name: row for row in page.context["lines"]}
    assert rows["Collaboration projects"]["awarded"] == nok(120_000)
    assert rows["Collaboration projects"]["left"] == nok(180_000)
    assert page.context["unallocated"] == nok(500_000)
    assert "Not in any line" in html
    # Those who do not run the programme see the split, not the set-up.
    assert reverse("grants:programme-lines", args=[pot_call.programme.slug]) not in html


def test_the_programme_page_without_lines_says_so(programme, client):
    html = client.get(reverse("grants:programme", args=[programme.slug])).content.decode()
    assert 'id="no-lines"' in html


def test_a_runner_adds_and_changes_lines_on_the_page(programme, funder_client):
    url = reverse("grants:programme-lines", args=[programme.slug])
    page = funder_client.get(reverse("grants:programme", args=[programme.slug]))
    assert url in page.content.decode()
    assert 'id="no-lines"' in funder_client.get(url).content.decode()
    response = funder_client.post(url, {"name": "Projects", "kind": POT, "amount": "700000"})
    assert response.status_code == 302 and response["Location"] == url
    line = programme.lines.get()
    assert line.amount == nok(700_000)
    assert "Projects" in funder_client.get(url).content.decode()

    edit_url = reverse("grants:programme-line-edit", args=[programme.slug, line.pk])
    assert funder_client.get(edit_url).context["form"].initial["amount"] == line.amount.amount
    response = funder_client.post(edit_url, {"name": "Projects", "kind": POT, "amount": "800000"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == nok(800_000)


def test_a_line_over_the_budget_shows_on_the_amount_field(programme, funder_client):
    url = reverse("grants:programme-lines", args=[programme.slug])
    with unchanged():
        response = funder_client.post(url, {"name": "Kept typed", "kind": POT, "amount": "1000001"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "no other line holds" in " ".join(form.errors["amount"])
    assert form["name"].value() == "Kept typed"


def test_the_call_page_chooses_the_pot(programme, pot_call, funder_client, client):
    url = reverse("grants:call-line", args=[pot_call.pk])
    call_page = reverse("grants:call", args=[pot_call.pk])
    assert "Collaboration projects" in client.get(call_page).content.decode()
    assert url not in client.get(call_page).content.decode()
    assert url in funder_client.get(call_page).content.decode()
    response = funder_client.post(url, {"line": ""})
    assert response.status_code == 302
    pot_call.refresh_from_db()
    assert pot_call.line is None
    reserved = programme.lines.get(kind=RESERVED)
    with unchanged():
        response = funder_client.post(url, {"line": str(reserved.pk)})
    assert response.status_code == 200 and response.context["form"].errors["line"]


def test_the_line_pages_are_for_those_who_run_the_programme(demo, programme, client_for):
    line = add(programme, demo.users["funder_officer"])
    client = client_for(demo.users["coordinator"])
    for url in (
        reverse("grants:programme-lines", args=[programme.slug]),
        reverse("grants:programme-line-edit", args=[programme.slug, line.pk]),
    ):
        assert client.get(url).status_code == 403
        with unchanged():
            assert client.post(url, {"name": "X", "kind": POT, "amount": "1"}).status_code == 403
