"""Grant pages of programmes and calls: the landing page, a programme's overview and ledger,
writing a call, its public page, and the public list of awards."""

import html
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from safecities.charter.models import Goal
from safecities.core.money import Money
from safecities.grants import services
from safecities.grants.forms.programmes import format_choices, parse_choices
from safecities.grants.models import Award, Call, Criterion, Programme, Question
from safecities.network.models import Organisation
from tests.grants.factories import (
    accept_agreement,
    finish_review,
    make_call_past_its_concept_deadline,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.utils import unchanged

LOGIN = "/accounts/login/"


NBSP = "\u00a0"


def text(response) -> str:
    return html.unescape(response.content.decode())


def plain(response) -> str:
    """The page's text without its tags, each run of white space one space."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def field_error(response, field: str, form: str = "form") -> str:
    """The error the page shows next to `field`."""
    bound = response.context[form]
    assert field in bound.errors, f"no error on {field}: {bound.errors.as_data()}"
    assert f'id="id_{field}_error"' in response.content.decode()
    return " ".join(bound.errors[field])


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(
        actor=funder_officer, funder=demo.funder, budget=nok(1_000_000), name="Views programme"
    )


@pytest.fixture
def call(programme, funder_officer):
    return make_open_call(actor=funder_officer, programme=programme)


@pytest.fixture
def draft_call(programme, funder_officer):
    now = timezone.now()
    return services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Draft call for tests"},
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
        max_amount=nok(100_000),
    )


def award(*, call, actor, decider, city, amount, requested=None, goals=(), title=None):
    """A submitted application of `city`, reviewed and awarded `amount` (NOK)."""
    application = submitted_application(
        actor=actor,
        call=call,
        requested=nok(requested or amount),
        lead_municipality=city,
        title=title or f"Project in {city.name} for {amount}",
    )
    if goals:
        application.goals.set(goals)
    finish_review(application, actor=decider)
    return services.award_grant(application=application, amount=nok(amount), actor=decider)


# --- the landing page ---------------------------------------------------------------------


def test_the_landing_page_lists_programmes_with_their_ledger(
    demo, client, call, coordinator, funder_officer
):
    a = award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=120_000)
    payment = services.schedule_payment(
        award=a, amount=nok(40_000), due_on=date.today(), actor=funder_officer
    )
    accept_agreement(a, runner=funder_officer)
    services.mark_paid(payment=payment, actor=funder_officer)

    response = client.get(reverse("grants:programmes"))
    assert response.status_code == 200
    [row] = [p for p in response.context["programmes"] if p.name == "Views programme"]
    assert (row.budget, row.awarded, row.paid, row.remaining) == (
        nok(1_000_000),
        nok(120_000),
        nok(40_000),
        nok(880_000),
    )
    page = plain(response)
    row_text = "Views programme Gjensidigestiftelsen 2024–2026 NOK 1,000,000 120,000 40,000 880,000"
    assert row_text in page
    assert call.display_title in page
    assert "New programme" not in page
    assert "Your grant work" not in page


def test_open_calls_close_in_their_own_time_zone(programme, funder_officer, client):
    closes = datetime(2031, 6, 1, 12, 0, tzinfo=UTC)  # 12:00 in Reykjavík, 15:00 in Helsinki
    make_open_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Reykjavík call"},
        closes_at=closes,
        time_zone="Atlantic/Reykjavik",
    )
    make_open_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Helsinki call"},
        closes_at=closes,
        time_zone="Europe/Helsinki",
    )
    page = plain(client.get(reverse("grants:programmes")))
    assert "1 June 2031, 12:00 (Atlantic/Reykjavik)" in page
    assert "1 June 2031, 15:00 (Europe/Helsinki)" in page


def test_a_two_stage_call_past_its_concept_deadline_is_not_offered(
    demo, programme, funder_officer, coordinator, coordinator_client
):
    """Concept notes closed: the call's page offers no "Apply", the landing page does not list
    it among the open calls, and the service refuses a new application, all by one rule."""
    late = make_call_past_its_concept_deadline(actor=funder_officer, programme=programme)
    page = coordinator_client.get(reverse("grants:call", args=[late.pk]))
    assert page.context["accepts_applications"] is False
    assert reverse("grants:application-start", args=[late.pk]) not in page.content.decode()
    assert "Concept notes closed on" in plain(page)
    landing = coordinator_client.get(reverse("grants:programmes"))
    assert late not in landing.context["open_calls"]
    assert "Concept notes closed" not in plain(landing)
    with unchanged(), pytest.raises(services.CallNotOpen):
        services.create_application(
            actor=coordinator, call=late, title="Too late", lead_municipality=demo.oslo
        )


def test_the_landing_page_says_so_when_nothing_is_open(empty_db, client):
    response = client.get(reverse("grants:programmes"))
    assert response.status_code == 200
    assert "No call is open right now" in text(response)
    assert "No grant programmes yet" in text(response)


def test_each_role_sees_links_to_its_own_grant_work(demo, client_for):
    def work(role):
        return text(client_for(demo.users[role]).get(reverse("grants:programmes")))

    funder = work("funder_officer")
    assert reverse("grants:programme-create") in funder
    assert "New programme" in funder
    coordinator = work("coordinator")
    assert reverse("grants:programme-create") not in coordinator
    assert reverse("grants:my-applications") in coordinator
    assert reverse("grants:my-applications") not in funder
    assert reverse("grants:my-reviews") in work("reviewer")
    assert reverse("grants:my-reviews") not in coordinator
    assert reverse("grants:reports") in coordinator
    assert reverse("grants:reports") in funder
    assert "Your grant work" not in work("member")


def test_the_landing_page_reads_a_fixed_number_of_queries(
    demo, funder_client, funder_officer, django_assert_num_queries
):
    client = funder_client  # signed in: the role checks are read too

    def make(n):
        for i in range(n):
            p = make_programme(actor=funder_officer, funder=demo.funder, name=f"Count {n}-{i}")
            make_open_call(actor=funder_officer, programme=p)

    make(3)
    url = reverse("grants:programmes")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(9)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["open_calls"]) >= 12


# --- a programme's overview ---------------------------------------------------------------


def test_the_overview_shows_the_ledger_summed_from_awards_and_payments(
    demo, client, call, coordinator, funder_officer
):
    goals = list(Goal.objects.order_by("position")[:2])
    oslo_1 = award(
        call=call,
        actor=coordinator,
        decider=funder_officer,
        city=demo.oslo,
        amount=150_000,
        goals=goals,
    )
    award(
        call=call,
        actor=coordinator,
        decider=funder_officer,
        city=demo.oslo,
        amount=50_000,
        goals=goals[:1],
    )
    drammen = award(
        call=call, actor=coordinator, decider=funder_officer, city=demo.drammen, amount=80_000
    )
    paid = services.schedule_payment(
        award=oslo_1, amount=nok(100_000), due_on=date.today(), actor=funder_officer
    )
    accept_agreement(oslo_1, runner=funder_officer)
    services.mark_paid(payment=paid, actor=funder_officer)
    services.schedule_payment(
        award=drammen, amount=nok(30_000), due_on=date.today(), actor=funder_officer
    )  # scheduled, not paid
    returned = services.schedule_payment(
        award=drammen, amount=nok(20_000), due_on=date.today(), actor=funder_officer
    )
    accept_agreement(drammen, runner=funder_officer)
    services.mark_paid(payment=returned, actor=funder_officer)
    services.return_payment(payment=returned, actor=funder_officer)

    response = client.get(reverse("grants:programme", args=[call.programme.slug]))
    assert response.status_code == 200
    ledger = response.context["ledger"]
    assert ledger == {
        "budget": nok(1_000_000),
        "awarded": nok(280_000),
        "paid": nok(100_000),
        "remaining": nok(720_000),
    }
    page = text(response)
    assert all(str(m) in page for m in ledger.values())

    bar = response.context["budget_chart"]
    assert [(r.modifier, r.display) for r in bar.rows] == [
        ("paid", str(nok(100_000))),
        ("awarded", str(nok(180_000))),
        ("remaining", str(nok(720_000))),
    ]
    cities = {r.label: r.display for r in response.context["city_chart"].rows}
    assert cities == {"Oslo": str(nok(200_000)), "Drammen": str(nok(80_000))}
    # the chart's table lists each city's sum
    assert f'<th scope="row">Oslo</th><td class="sc-chart__number">{nok(200_000)}</td>' in page
    assert f'<th scope="row">Drammen</th><td class="sc-chart__number">{nok(80_000)}</td>' in page
    by_goal = {r.label: r.display for r in response.context["goal_chart"].rows}
    assert by_goal == {str(goals[0]): str(nok(200_000)), str(goals[1]): str(nok(150_000))}
    year = str(timezone.localdate().year)
    assert [(r.label, r.display) for r in response.context["year_chart"].rows] == [
        (year, str(nok(280_000)))
    ]
    assert [a.application.title for a in response.context["page"]] == [
        "Project in Drammen for 80000",
        "Project in Oslo for 50000",
        "Project in Oslo for 150000",
    ]


@pytest.mark.parametrize(
    ("language", "budget", "up_to"),
    [
        ("en", "NOK 1,000,000", "up to|NOK 200,000"),
        ("nb", "1 000 000 kr", "opptil|200 000 kr"),
        ("sv", "1 000 000 Nkr", "upp till|200 000 Nkr"),
    ],
)
def test_amounts_are_written_in_the_readers_language(
    call, coordinator_client, settings, language, budget, up_to
):
    """One style per language (CLDR's), whole kroner without decimals."""
    words, most = up_to.split("|")
    budget, up_to = budget.replace(" ", NBSP), words + " " + most.replace(" ", NBSP)
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    overview = text(coordinator_client.get(reverse("grants:programme", args=[call.programme.slug])))
    assert f'<html lang="{language}"' in overview
    assert f"<strong>{budget}</strong>" in overview
    page = text(coordinator_client.get(reverse("grants:call", args=[call.pk])))
    assert up_to in page


def test_the_overview_tags_illustrative_grants(demo, client, call, coordinator, funder_officer):
    a = award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=1000)
    url = reverse("grants:programme", args=[call.programme.slug])
    assert "Illustrative" not in text(client.get(url))
    type(a.application).objects.filter(pk=a.application_id).update(illustrative=True)
    assert "Illustrative" in text(client.get(url))


def test_drafts_are_listed_only_for_those_who_run_the_programme(
    demo, client, client_for, draft_call, call
):
    url = reverse("grants:programme", args=[draft_call.programme.slug])
    public = client.get(url)
    assert [c.pk for c in public.context["calls"]] == [call.pk]
    assert "New call" not in text(public)
    for role in ("coordinator", "reviewer"):
        assert draft_call.display_title not in text(client_for(demo.users[role]).get(url))
    runner = client_for(demo.users["funder_officer"]).get(url)
    assert {c.pk for c in runner.context["calls"]} == {call.pk, draft_call.pk}
    assert reverse("grants:call-create", args=[draft_call.programme.slug]) in text(runner)


def test_the_overview_reads_a_fixed_number_of_queries_however_many_awards(
    demo, client, call, coordinator, funder_officer, django_assert_num_queries
):
    goal = Goal.objects.order_by("position").first()
    cities = [demo.oslo, demo.drammen]

    def make(n, start):
        for i in range(start, start + n):
            award(
                call=call,
                actor=coordinator,
                decider=funder_officer,
                city=cities[i % 2],
                amount=1000 + i,
                goals=[goal],
            )

    make(3, 0)
    url = reverse("grants:programme", args=[call.programme.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(9, 3)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    # The programme, its ledger, the cities, the goals and their names, the years, the newest
    # awards, the calls, the budget lines with their sums (a reader not signed in: no session).
    assert len(few) == 9
    # The newest ten of the twelve, and the way to all of them.
    assert len(response.context["page"]) == 10
    assert response.context["page"][0].amount_minor == 1011 * 100
    assert "The 10 newest of 12 grants." in plain(response)
    assert f'href="{reverse("grants:awards")}?programme={call.programme.slug}"' in text(response)


def test_the_programmes_awards_are_read_through_their_awarded_applications(
    demo, call, coordinator, funder_officer
):
    """The programme's awards are asked for by the applications' awarded status too (so the
    database reads the awarded applications only): every award is one of an awarded
    application, and none is left out."""
    from safecities.grants import selectors
    from safecities.grants.models import Application, Award

    for i in range(3):
        award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=900 + i)
    every = Award.objects.filter(application__call__programme=call.programme)
    assert set(every.values_list("application__status", flat=True)) == {Application.Status.AWARDED}
    assert "status" in str(selectors.programme_awards(call.programme).query)
    assert set(selectors.programme_awards(call.programme)) == set(every)
    breakdown = selectors.programme_breakdown(call.programme)
    assert sum(s.count for s in breakdown["by_year"]) == every.count() == 3


def test_the_years_of_decision_are_the_local_years_on_either_side_of_new_year(
    demo, call, coordinator, funder_officer
):
    """Each award counts in the year of its local (Oslo) date: half an hour after midnight on
    New Year's Day in Oslo is still the old year in UTC. Years without awards in between are
    not listed; the same on every database."""
    from safecities.grants import selectors

    moments = [
        datetime(2022, 6, 1, 12, tzinfo=UTC),
        datetime(2024, 12, 31, 22, 59, tzinfo=UTC),  # 23:59 in Oslo: 2024
        datetime(2024, 12, 31, 23, 30, tzinfo=UTC),  # 00:30 in Oslo: 2025
        datetime(2025, 3, 1, 9, tzinfo=UTC),
    ]
    for i, moment in enumerate(moments):
        made = award(
            call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=100 + i
        )
        Award.objects.filter(pk=made.pk).update(decided_at=moment)
    # Written around the services: the kept sums made again, as the bench generator does.
    services.refresh_awarded(Programme.objects.filter(pk=call.programme_id))
    by_year = selectors.programme_breakdown(call.programme)["by_year"]
    assert [(s.label, s.count, s.amount) for s in by_year] == [
        ("2022", 1, nok(100)),
        ("2024", 1, nok(101)),
        ("2025", 2, nok(102 + 103)),
    ]
    with timezone.override("UTC"):  # a reader in another zone: grouped from the awards
        by_utc_year = selectors.programme_breakdown(call.programme)["by_year"]
    assert [(s.label, s.count) for s in by_utc_year] == [("2022", 1), ("2024", 2), ("2025", 1)]


def test_an_unknown_programme_is_404(db, client):
    assert client.get(reverse("grants:programme", args=["no-such"])).status_code == 404


# --- creating a programme -----------------------------------------------------------------


def programme_form(funder, **overrides) -> dict:
    data = {
        "name": "Trygge byer Sverige 2026",
        "funder": funder.pk,
        "currency": "nok",
        "budget": "2500000.50",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "description_en": "Projects between cities and civil society.",
        "description_nb": "Prosjekter mellom byer og sivilsamfunn.",
        "description_sv": "",
    }
    data.update(overrides)
    return data


def test_a_funder_officer_creates_a_programme_for_their_funder(demo, funder_client):
    response = funder_client.get(reverse("grants:programme-create"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["funder"].queryset) == [demo.funder]

    response = funder_client.post(reverse("grants:programme-create"), programme_form(demo.funder))
    programme = Programme.objects.get(name="Trygge byer Sverige 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:programme", args=[programme.slug])
    assert programme.funder == demo.funder
    assert programme.budget == Money("2500000.50", "NOK")
    assert programme.description == {
        "en": "Projects between cities and civil society.",
        "nb": "Prosjekter mellom byer og sivilsamfunn.",
    }
    assert (programme.starts_on, programme.ends_on) == (date(2026, 1, 1), date(2027, 12, 31))


def test_the_secretariat_chooses_among_funding_organisations(demo, secretariat_client):
    response = secretariat_client.get(reverse("grants:programme-create"))
    choices = set(response.context["form"].fields["funder"].queryset)
    assert demo.funder in choices
    assert demo.nuorten_aani not in choices  # a civil-society organisation does not fund
    assert all(
        o.type in ("foundation", "public_agency", "company") or o.grant_programmes.exists()
        for o in choices
    )


def test_a_funder_officer_cannot_create_a_programme_for_another_funder(demo, funder_client):
    other = Organisation.objects.filter(type="foundation").exclude(pk=demo.funder.pk).first()
    other = other or demo.nuorten_aani
    with unchanged():
        response = funder_client.post(reverse("grants:programme-create"), programme_form(other))
    assert response.status_code == 200
    assert "Select a valid choice" in field_error(response, "funder")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2025-12-31"}, "ends_on", "must end on or after its start"),
        ({"budget": "0"}, "budget", "must be more than zero"),
        ({"currency": "ISK", "budget": "1000.50"}, "budget", "ISK"),
        ({"currency": "N0K"}, "currency", "three letters"),
    ],
)
def test_a_programme_refused_shows_why_and_creates_nothing(
    demo, funder_client, overrides, field, message
):
    with unchanged():
        response = funder_client.post(
            reverse("grants:programme-create"), programme_form(demo.funder, **overrides)
        )
    assert response.status_code == 200
    assert message in field_error(response, field)


@pytest.mark.parametrize("role", ["member", "coordinator", "organisation_contact", "reviewer"])
def test_only_those_who_run_programmes_may_create_one(demo, client_for, role):
    client = client_for(demo.users[role])
    assert client.get(reverse("grants:programme-create")).status_code == 403
    with unchanged():
        response = client.post(reverse("grants:programme-create"), programme_form(demo.funder))
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(db, client):
    response = client.get(reverse("grants:programme-create"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- writing a call -----------------------------------------------------------------------


def call_form(**overrides) -> dict:
    data = {
        "title_en": "Local partnerships 2031",
        "title_nb": "Lokale partnerskap 2031",
        "text_en": "We fund partnerships.",
        "eligibility_en": "Member cities with a partner.",
        "time_zone": "Europe/Helsinki",
        "opens_at": "2031-01-10",
        "opens_at_time": "09:00",
        "closes_at": "2031-03-01",
        "closes_at_time": "12:00",
        "concept_closes_at": "",
        "concept_closes_at_time": "",
        "min_amount": "10000",
        "max_amount": "250000",
        "stages": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_runner_writes_a_call_with_times_in_its_time_zone(programme, funder_client):
    goals = list(Goal.objects.order_by("position")[:2])
    url = reverse("grants:call-create", args=[programme.slug])
    assert funder_client.get(url).status_code == 200
    response = funder_client.post(
        url,
        call_form(goals=[g.pk for g in goals], requires_partnership="on", blind_review="on"),
    )
    call = Call.objects.get(programme=programme, title__en="Local partnerships 2031")
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:call", args=[call.pk])
    assert call.status == Call.Status.DRAFT
    assert call.title == {"en": "Local partnerships 2031", "nb": "Lokale partnerskap 2031"}
    assert call.text == {"en": "We fund partnerships."}
    assert call.eligibility == {"en": "Member cities with a partner."}
    assert call.time_zone == "Europe/Helsinki"
    assert call.opens_at == datetime(2031, 1, 10, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki (EET)
    assert call.closes_at == datetime(2031, 3, 1, 10, 0, tzinfo=UTC)
    assert (call.min_amount, call.max_amount) == (nok(10_000), nok(250_000))
    assert set(call.goals.all()) == set(goals)
    assert call.requires_partnership and call.blind_review
    assert call.stages == 1 and call.concept_closes_at is None


def test_a_two_stage_call_has_its_concept_deadline(programme, funder_client):
    response = funder_client.post(
        reverse("grants:call-create", args=[programme.slug]),
        call_form(
            stages="2",
            concept_closes_at="2031-02-01",
            concept_closes_at_time="12:00",
            time_zone="UTC",
        ),
    )
    assert response.status_code == 302
    call = Call.objects.get(programme=programme)
    assert call.stages == 2
    assert call.concept_closes_at == datetime(2031, 2, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_at": "2031-01-09"}, "closes_at", "The call must close after it opens."),
        ({"title_en": ""}, "title_en", "required"),
        ({"max_amount": "5000"}, "max_amount", "at least the smallest"),
        ({"max_amount": "1000.555"}, "max_amount", "decimals"),
        ({"stages": "2"}, "concept_closes_at", "needs a deadline for concept notes"),
        (
            {"stages": "2", "concept_closes_at": "2031-04-01", "concept_closes_at_time": "10:00"},
            "concept_closes_at",
            "before it closes",
        ),
        ({"concept_closes_at": "2031-02-01"}, "concept_closes_at_time", "time as well"),
    ],
)
def test_a_call_refused_shows_why_next_to_the_field_and_creates_nothing(
    programme, funder_client, overrides, field, message
):
    with unchanged():
        response = funder_client.post(
            reverse("grants:call-create", args=[programme.slug]), call_form(**overrides)
        )
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert 'value="Lokale partnerskap 2031"' in response.content.decode()  # input kept


def test_editing_a_draft_call_changes_its_terms(draft_call, funder_client):
    url = reverse("grants:call-edit", args=[draft_call.pk])
    form = funder_client.get(url).context["form"]
    assert form["title_en"].value() == "Draft call for tests"
    assert form["time_zone"].value() == "Europe/Oslo"
    response = funder_client.post(url, call_form(title_en="Renamed", time_zone="UTC"))
    assert response.status_code == 302
    draft_call.refresh_from_db()
    assert draft_call.title == {"en": "Renamed", "nb": "Lokale partnerskap 2031"}
    assert draft_call.opens_at == datetime(2031, 1, 10, 9, 0, tzinfo=UTC)
    assert draft_call.time_zone == "UTC"


def test_an_open_call_cannot_be_edited(call, funder_client):
    url = reverse("grants:call-edit", args=[call.pk])
    response = funder_client.get(url)
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "can only change while it is a draft" in text(response)
    before = Call.objects.values().get(pk=call.pk)
    response = funder_client.post(url, call_form(title_en="Changed after opening"))
    assert response.status_code == 200
    assert "The call is open: its terms can only change while it is a draft." in (
        response.context["form"].non_field_errors()
    )
    assert Call.objects.values().get(pk=call.pk) == before


@pytest.mark.parametrize("role", ["member", "coordinator", "organisation_contact", "reviewer"])
def test_only_runners_write_calls(demo, client_for, programme, draft_call, role):
    client = client_for(demo.users[role])
    for url in (
        reverse("grants:call-create", args=[programme.slug]),
        reverse("grants:call-edit", args=[draft_call.pk]),
        reverse("grants:call-criteria", args=[draft_call.pk]),
        reverse("grants:call-questions", args=[draft_call.pk]),
    ):
        assert client.get(url).status_code == 403, url
        with unchanged():
            assert client.post(url, call_form()).status_code == 403, url


def test_the_secretariat_writes_any_funders_call(programme, secretariat_client):
    url = reverse("grants:call-create", args=[programme.slug])
    assert secretariat_client.post(url, call_form()).status_code == 302


# --- criteria and questions ---------------------------------------------------------------


def formset_data(rows: list[dict], *, initial: int = 0) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return data


def test_a_runner_sets_the_criteria_with_their_weights(draft_call, funder_client):
    url = reverse("grants:call-criteria", args=[draft_call.pk])
    response = funder_client.get(url)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2  # two empty rows to fill
    rows = [
        {"name_en": "Relevance", "name_nb": "Relevans", "description_en": "How", "weight": "3"},
        {"name_en": "Partnership", "weight": "2"},
        {"name_en": "", "weight": ""},  # an empty extra row adds nothing
    ]
    response = funder_client.post(url, formset_data(rows))
    assert response.status_code == 302
    criteria = list(draft_call.criteria.all())
    assert [(c.name, c.weight) for c in criteria] == [
        ({"en": "Relevance", "nb": "Relevans"}, 3),
        ({"en": "Partnership"}, 2),
    ]
    assert criteria[0].description == {"en": "How"}

    # the page shows them again; one removed, one changed
    formset = funder_client.get(url).context["formset"]
    assert [f.initial["name_en"] for f in formset.forms[:2]] == ["Relevance", "Partnership"]
    rows = [
        {"name_en": "Relevance", "name_nb": "Relevans", "weight": "5"},
        {"name_en": "Partnership", "weight": "2", "DELETE": "on"},
    ]
    assert funder_client.post(url, formset_data(rows, initial=2)).status_code == 302
    assert [(c.display_name, c.weight) for c in draft_call.criteria.all()] == [("Relevance", 5)]


def test_a_weight_of_zero_is_refused_naming_the_row(draft_call, funder_officer, funder_client):
    services.set_criteria(
        actor=funder_officer,
        call=draft_call,
        criteria=[{"name": {"en": "Kept"}, "weight": 1}],
    )
    rows = [
        {"name_en": "Relevance", "weight": "3"},
        {"name_en": "Typed, not lost", "weight": "0"},
    ]
    with unchanged():
        response = funder_client.post(
            reverse("grants:call-criteria", args=[draft_call.pk]), formset_data(rows, initial=1)
        )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.non_form_errors() == ["Criterion 2: give a whole-number weight from 1 to 100."]
    page = text(response)
    assert "Criterion 2: give a whole-number weight from 1 to 100." in page
    assert 'value="Typed, not lost"' in page
    assert [(c.display_name, c.weight) for c in draft_call.criteria.all()] == [("Kept", 1)]


def test_a_row_without_an_english_name_is_refused_next_to_the_field(draft_call, funder_client):
    rows = [{"name_nb": "Bare norsk", "weight": "3"}]
    with unchanged():
        response = funder_client.post(
            reverse("grants:call-criteria", args=[draft_call.pk]), formset_data(rows)
        )
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert "name_en" in form.errors
    assert "Criterion 1 — Name in English: This field is required." in text(response)


def question_row(**fields) -> dict:
    row = {"kind": "text", "label_en": "What will change?", "required": "on"}
    row.update(fields)
    return row


def test_a_runner_sets_questions_of_every_kind(draft_call, funder_client):
    url = reverse("grants:call-questions", args=[draft_call.pk])
    response = funder_client.get(url)
    assert response.status_code == 200
    assert "stage" not in response.context["formset"].forms[0].fields  # a one-stage call
    rows = [
        question_row(label_nb="Hva vil endre seg?", help_en="Two sentences."),
        question_row(
            kind="choice",
            label_en="Main target group",
            choices="youth | Young people | nb: Unge\nparents | Parents",
        ),
        question_row(kind="file", label_en="Letter of support", required=""),
        question_row(kind="number", label_en="Participants"),
    ]
    response = funder_client.post(url, formset_data(rows))
    assert response.status_code == 302
    questions = list(draft_call.questions.all())
    assert [(q.kind, q.display_label, q.required) for q in questions] == [
        ("text", "What will change?", True),
        ("choice", "Main target group", True),
        ("file", "Letter of support", False),
        ("number", "Participants", True),
    ]
    assert questions[0].label == {"en": "What will change?", "nb": "Hva vil endre seg?"}
    assert questions[0].help_text == {"en": "Two sentences."}
    assert questions[1].choices == [
        {"value": "youth", "label": {"en": "Young people", "nb": "Unge"}},
        {"value": "parents", "label": {"en": "Parents"}},
    ]
    # shown again as typed
    formset = funder_client.get(url).context["formset"]
    assert (
        formset.forms[1].initial["choices"] == "youth | Young people | nb: Unge\nparents | Parents"
    )


def test_a_choice_question_with_one_choice_is_refused(draft_call, funder_client):
    rows = [
        question_row(),
        question_row(kind="choice", label_en="Pick one", choices="only | The only one"),
    ]
    with unchanged():
        response = funder_client.post(
            reverse("grants:call-questions", args=[draft_call.pk]), formset_data(rows)
        )
    assert response.status_code == 200
    message = "Question 2: a choice question needs at least two choices."
    assert response.context["formset"].non_form_errors() == [message]
    page = text(response)
    assert message in page
    assert "only | The only one" in page  # what was typed is kept
    assert not Question.objects.filter(call=draft_call).exists()


def test_a_two_stage_call_asks_when_each_question_is_asked(programme, funder_officer, client_for):
    now = timezone.now()
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Two stages"},
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=60),
        concept_closes_at=now + timedelta(days=20),
        stages=2,
        max_amount=nok(100_000),
    )
    client = client_for(funder_officer)
    url = reverse("grants:call-questions", args=[call.pk])
    assert "stage" in client.get(url).context["formset"].forms[0].fields
    rows = [question_row(stage="concept"), question_row(label_en="Budget details", stage="full")]
    assert client.post(url, formset_data(rows)).status_code == 302
    assert [q.stage for q in call.questions.all()] == ["concept", "full"]


def test_an_unreadable_choice_line_is_refused_on_its_field(draft_call, funder_client):
    rows = [question_row(kind="choice", choices="a | A | xx: nope\nb | B")]
    with unchanged():
        response = funder_client.post(
            reverse("grants:call-questions", args=[draft_call.pk]), formset_data(rows)
        )
    assert response.status_code == 200
    assert "Line 1" in " ".join(response.context["formset"].forms[0].errors["choices"])


def test_choices_read_and_write_the_same_lines():
    lines = "yes | Yes | nb: Ja | sv: Ja\nno | No\nmaybe"
    choices = parse_choices(lines)
    assert choices == [
        {"value": "yes", "label": {"en": "Yes", "nb": "Ja", "sv": "Ja"}},
        {"value": "no", "label": {"en": "No"}},
        {"value": "maybe", "label": {}},
    ]
    assert format_choices(choices) == lines


def test_criteria_of_an_open_call_cannot_change(call, funder_client):
    url = reverse("grants:call-criteria", args=[call.pk])
    response = funder_client.get(url)
    assert response.status_code == 200
    assert "can only change while it is a draft" in text(response)
    with unchanged():
        response = funder_client.post(url, formset_data([{"name_en": "Late", "weight": "1"}]))
    assert "The call is open: its terms can only change while it is a draft." in (
        response.context["formset"].non_form_errors()
    )
    assert not Criterion.objects.filter(call=call).exists()


# --- opening and closing ------------------------------------------------------------------


def test_a_runner_opens_and_closes_a_call(draft_call, funder_client):
    response = funder_client.post(reverse("grants:call-open", args=[draft_call.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:call", args=[draft_call.pk])
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.OPEN
    response = funder_client.post(reverse("grants:call-close", args=[draft_call.pk]), follow=True)
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.CLOSED
    assert "The call is closed." in text(response)
    # closed is final: the refusal is shown as a message, nothing changes
    response = funder_client.post(reverse("grants:call-open", args=[draft_call.pk]), follow=True)
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.CLOSED
    assert "it cannot become open" in text(response)


def test_opening_and_closing_are_posts_of_runners_only(demo, client_for, draft_call):
    for name in ("grants:call-open", "grants:call-close"):
        url = reverse(name, args=[draft_call.pk])
        assert client_for(demo.users["coordinator"]).post(url).status_code == 403
    close = reverse("grants:call-close", args=[draft_call.pk])
    assert client_for(demo.users["funder_officer"]).get(close).status_code == 405
    assert client_for(None).get(close).status_code == 405
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.DRAFT


def test_opening_a_call_is_confirmed_on_a_page_that_says_what_happens(demo, client_for, draft_call):
    url = reverse("grants:call-open", args=[draft_call.pk])
    runner = client_for(demo.users["funder_officer"])
    call_page = text(runner.get(reverse("grants:call", args=[draft_call.pk])))
    assert f'href="{url}"' in call_page  # the call page leads to the confirmation
    with unchanged():
        page = text(runner.get(url))
    assert "Once open, the call is published" in page and "No e-mail is sent." in page
    assert "Yes, open the call" in page
    assert reverse("grants:call", args=[draft_call.pk]) in page  # the way back
    runner.post(url)
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.OPEN
    with unchanged():
        assert "Only a draft call can be opened." in text(runner.get(url))


# --- the call's page ----------------------------------------------------------------------


def test_a_draft_call_is_not_found_by_those_who_do_not_run_it(demo, client_for, draft_call):
    url = reverse("grants:call", args=[draft_call.pk])
    for role in (None, "member", "coordinator", "organisation_contact", "reviewer"):
        user = demo.users[role] if role else None
        assert client_for(user).get(url).status_code == 404, role
    for role in ("funder_officer", "secretariat"):
        response = client_for(demo.users[role]).get(url)
        assert response.status_code == 200
        page = text(response)
        assert reverse("grants:call-edit", args=[draft_call.pk]) in page
        assert reverse("grants:call-criteria", args=[draft_call.pk]) in page
        assert reverse("grants:call-questions", args=[draft_call.pk]) in page
        assert reverse("grants:call-open", args=[draft_call.pk]) in page
        assert reverse("grants:call-close", args=[draft_call.pk]) not in page


def test_an_open_call_shows_its_terms_in_the_readers_language(
    client, call, funder_officer, settings
):
    page = text(client.get(reverse("grants:call", args=[call.pk])))
    assert "Collaboration projects 2025" in page
    assert "Log in to apply" in page
    assert reverse("grants:call-edit", args=[call.pk]) not in page
    page = text(
        client.get(reverse("grants:call", args=[call.pk]), headers={"accept-language": "nb"})
    )
    assert "Samarbeidsprosjekter 2025" in page


def test_the_call_page_lists_criteria_with_weights_and_questions(programme, funder_officer, client):
    now = timezone.now()
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Scored call"},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=9),
        max_amount=nok(100_000),
        time_zone="Europe/Stockholm",
    )
    services.set_criteria(
        actor=funder_officer,
        call=call,
        criteria=[
            {"name": {"en": "Relevance"}, "weight": 3},
            {"name": {"en": "Cost"}, "weight": 1},
        ],
    )
    services.set_questions(
        actor=funder_officer,
        call=call,
        questions=[
            {
                "kind": "choice",
                "label": {"en": "Who"},
                "choices": [{"value": "a", "label": {"en": "Alpha"}}, {"value": "b"}],
            }
        ],
    )
    services.open_call(actor=funder_officer, call=call)
    response = client.get(reverse("grants:call", args=[call.pk]))
    assert [(c["name"][0], c["weight"], c["share"]) for c in response.context["criteria"]] == [
        ("Relevance", 3, 75),
        ("Cost", 1, 25),
    ]
    page = text(response)
    assert "Alpha" in page and "Who" in page
    closes = call.closes_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert f"{closes:%H:%M}" in page


def test_the_apply_button_is_for_those_who_may_apply_while_the_call_is_open(
    demo, client_for, call, funder_officer
):
    url = reverse("grants:call", args=[call.pk])
    start = reverse("grants:application-start", args=[call.pk])
    assert start in text(client_for(demo.users["coordinator"]).get(url))
    assert start in text(client_for(demo.users["organisation_contact"]).get(url))
    assert start not in text(client_for(demo.users["reviewer"]).get(url))
    assert start not in text(client_for(None).get(url))
    services.close_call(actor=funder_officer, call=call)
    page = text(client_for(demo.users["coordinator"]).get(url))
    assert start not in page
    assert "This call is closed" in page


def test_an_unknown_call_is_404(db, client):
    assert client.get(reverse("grants:call", args=[999_999])).status_code == 404


# --- the public list of awards ------------------------------------------------------------


@pytest.fixture
def awards(demo, call, coordinator, funder_officer, programme):
    """Three awards in the test programme: Oslo 2023 and 2024, Drammen 2024."""
    made = [
        award(call=call, actor=coordinator, decider=funder_officer, city=city, amount=amount)
        for city, amount in ((demo.oslo, 30_000), (demo.oslo, 90_000), (demo.drammen, 60_000))
    ]
    for a, year in zip(made, (2023, 2024, 2024), strict=True):
        Award.objects.filter(pk=a.pk).update(decided_at=datetime(year, 6, 1, 12, tzinfo=UTC))
    return made


def titles(response) -> list[str]:
    return [a.application.title for a in response.context["page"]]


def test_the_awards_list_filters_by_programme_year_and_city(client, programme, awards):
    url = reverse("grants:awards")
    mine = f"?programme={programme.slug}"
    assert titles(client.get(url + mine))[-1] == "Project in Oslo for 30000"  # newest first
    assert len(titles(client.get(url + mine))) == 3
    assert set(titles(client.get(url + mine + "&year=2024"))) == {
        "Project in Oslo for 90000",
        "Project in Drammen for 60000",
    }
    assert titles(client.get(url + mine + "&city=dram")) == ["Project in Drammen for 60000"]
    assert titles(client.get(url + mine + "&sort=amount")) == [
        "Project in Oslo for 90000",
        "Project in Drammen for 60000",
        "Project in Oslo for 30000",
    ]
    assert titles(client.get(url + mine + "&year=2023")) == ["Project in Oslo for 30000"]
    # not a year with grants: that filter is shown as an error and left out, the others apply
    response = client.get(url + mine + "&year=1999&city=oslo")
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert set(titles(response)) == {"Project in Oslo for 90000", "Project in Oslo for 30000"}


def test_the_awards_list_links_the_open_data(db, client):
    page = text(client.get(reverse("grants:awards")))
    assert 'href="/api/v1/grants/360giving.json"' in page
    assert 'href="/api/v1/grants/360giving.csv"' in page
    assert "Open data" in page


def test_the_awards_list_reads_a_fixed_number_of_queries(
    demo, client, call, coordinator, funder_officer, django_assert_num_queries
):
    def make(n, start):
        for i in range(start, start + n):
            award(
                call=call,
                actor=coordinator,
                decider=funder_officer,
                city=(demo.oslo, demo.drammen)[i % 2],
                amount=1000 + i,
            )

    make(3, 0)
    url = reverse("grants:awards") + f"?programme={call.programme.slug}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(9, 3)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"]) == 12


# --- the overview's cities: the largest in the chart, all of them a page at a time ---------


def test_the_overview_charts_the_largest_cities_and_links_to_all(
    demo, client, call, coordinator, funder_officer, monkeypatch
):
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=5000)
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.drammen, amount=2000)
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=1000)
    url = reverse("grants:programme", args=[call.programme.slug])
    page = plain(client.get(url))
    assert "All 2 cities" not in page  # both fit in the chart

    monkeypatch.setattr("safecities.grants.views.programmes.TOP_CITIES", 1)
    response = client.get(url)
    chart = response.context["city_chart"]
    assert [(row.label, row.text) for row in chart.rows] == [
        ("Oslo", f"NOK{NBSP}6,000"),
        ("1 other city", f"NOK{NBSP}2,000"),  # Drammen, in one slice with any others
    ]
    cities_url = reverse("grants:programme-cities", args=[call.programme.slug])
    assert f'href="{cities_url}"' in text(response)
    assert "All 2 cities, with what each was awarded" in plain(response)

    listing = client.get(cities_url)
    assert listing.status_code == 200
    assert [(s.label, s.count, s.amount) for s in listing.context["rows"]] == [
        ("Oslo", 2, nok(6000)),
        ("Drammen", 1, nok(2000)),
    ]
    assert "Drammen" in plain(listing)


def test_the_cities_page_reads_a_fixed_number_of_queries_and_paginates(
    demo, client, call, coordinator, funder_officer, django_assert_num_queries
):
    url = reverse("grants:programme-cities", args=[call.programme.slug])
    assert "No grants awarded yet." in plain(client.get(url))
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=1000)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.drammen, amount=2000)
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=3000)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert [s.label for s in response.context["rows"]] == ["Oslo", "Drammen"]
    assert len(one) <= 4  # the programme, the count of cities, the page of cities (+ session)
    assert client.get(url + "?page=9").context["page"].number == 1  # past the end: the last


def test_the_overview_reads_the_same_queries_with_few_or_many_cities(
    demo, client, call, coordinator, funder_officer, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("safecities.grants.views.programmes.TOP_CITIES", 1)
    url = reverse("grants:programme", args=[call.programme.slug])
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.oslo, amount=1000)
    client.get(url)
    with CaptureQueriesContext(connection) as one_city:
        client.get(url)
    award(call=call, actor=coordinator, decider=funder_officer, city=demo.drammen, amount=2000)
    with django_assert_num_queries(len(one_city)):
        response = client.get(url)
    assert len(response.context["city_chart"].rows) == 2  # the largest, and the other one
