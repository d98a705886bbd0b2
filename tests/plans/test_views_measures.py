"""The measure pages through the test client: adding and changing a measure, posting progress,
and the logic model (linking and unlinking indicators)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.money import Money
from safecities.grants.models import Award
from safecities.plans import services
from safecities.plans.models import Measure, MeasureIndicator, ProgressUpdate
from tests.plans.factories import adopt, make_indicator, make_plan
from tests.utils import unchanged


@pytest.fixture
def goals(demo):
    return list(Goal.objects.order_by("position"))


@pytest.fixture
def plan(demo, coordinator):
    return adopt(actor=coordinator, plan=make_plan(actor=coordinator, municipality=demo.oslo))


@pytest.fixture
def measure(coordinator, plan, goals):
    return services.add_measure(
        actor=coordinator, plan=plan, title="Night walkers", goals=[goals[0]]
    )


def text(response) -> str:
    return response.content.decode()


def measure_data(goal_list, **overrides):
    data = {
        "title": "Safe routes to school",
        "description": "Adults walk the routes.",
        "goals": [goal_list[0].pk, goal_list[1].pk],
        "owner_department": "Education",
        "budget": "150 000",
        "currency": "nok",
        "starts_on": "2025-02-01",
        "ends_on": "2025-12-31",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- adding and changing measures ----------------------------------------------------------


def test_a_coordinator_adds_a_measure_with_budget_partners_terms_and_grant(
    client_for, demo, coordinator, plan, goals
):
    group = Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP, active=True).first()
    award = Award.objects.get(application__title="Oslo snakker")
    client = client_for(coordinator)
    form = client.get(reverse("plans:measure-add", args=[plan.pk])).context["form"]
    assert award in form.fields["grant"].queryset
    assert (
        not form.fields["grant"]
        .queryset.filter(application__lead_municipality__slug="skien")
        .exists()
    )  # another city's grants are not offered

    response = client.post(
        reverse("plans:measure-add", args=[plan.pk]),
        measure_data(
            goals,
            partners=[demo.nuorten_aani.pk],
            target_groups=[group.pk],
            grant=award.pk,
        ),
    )

    measure = Measure.objects.get(title="Safe routes to school")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:measure", args=[measure.pk])
    assert measure.budget == Money("150000", "NOK")
    assert set(measure.goals.all()) == {goals[0], goals[1]}
    assert list(measure.partners.all()) == [demo.nuorten_aani]
    assert list(measure.target_groups.all()) == [group]
    assert measure.grant == award
    page = text(client.get(reverse("plans:measure", args=[measure.pk])))
    assert "Nuorten" in page and "Oslo snakker" in page
    # the coordinator of the lead city may open the award's page: the grant is linked
    assert reverse("grants:award", args=[award.pk]) in page
    assert reverse("grants:award", args=[award.pk]) not in text(
        client_for(None).get(reverse("plans:measure", args=[measure.pk]))
    )
    detail = text(client.get(reverse("plans:detail", args=[plan.pk])))
    assert "Safe routes to school" in detail and "Education" in detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget": "-100"}, "budget", "The budget cannot be negative."),
        ({"currency": ""}, "currency", "Give the currency of the budget"),
        ({"ends_on": "2025-01-01"}, "ends_on", "The end must be on or after the start."),
        ({"goals": None}, "goals", "Name at least one charter goal the measure serves."),
        ({"title": "  "}, "title", "required"),
    ],
)
def test_a_bad_measure_names_the_field_and_changes_nothing(
    client_for, demo, coordinator, plan, goals, overrides, field, message
):
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:measure-add", args=[plan.pk]), measure_data(goals, **overrides)
        )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message in text(response) or field == "title"


def test_a_grant_of_another_city_is_refused(client_for, demo, coordinator, plan, goals):
    skien = Award.objects.filter(application__lead_municipality__slug="skien").first()
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:measure-add", args=[plan.pk]), measure_data(goals, grant=skien.pk)
        )
    assert "grant" in response.context["form"].errors


def test_a_coordinator_of_another_city_may_not_add_or_change_measures(
    client_for, demo, stockholm_coordinator, plan, measure, goals
):
    client = client_for(stockholm_coordinator)
    with unchanged():
        added = client.post(reverse("plans:measure-add", args=[plan.pk]), measure_data(goals))
        edited = client.post(
            reverse("plans:measure-edit", args=[measure.pk]), measure_data(goals, title="Mine")
        )
    assert added.status_code == 403 and edited.status_code == 403
    measure.refresh_from_db()
    assert measure.title == "Night walkers"


def test_a_measure_is_changed(client_for, demo, coordinator, measure, goals):
    client = client_for(coordinator)
    form = client.get(reverse("plans:measure-edit", args=[measure.pk])).context["form"]
    assert form.initial["title"] == "Night walkers"

    response = client.post(
        reverse("plans:measure-edit", args=[measure.pk]),
        measure_data(goals, title="Night walkers in Grorud", budget="20000,50", currency="NOK"),
    )

    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Night walkers in Grorud"
    assert measure.budget == Money("20000.50", "NOK")


def test_a_measure_of_an_archived_plan_cannot_change(
    client_for, demo, coordinator, plan, measure, goals
):
    services.archive_plan(actor=coordinator, plan=plan)
    client = client_for(coordinator)
    page = client.get(reverse("plans:measure-edit", args=[measure.pk]))
    assert page.context["form"] is None
    assert "archived" in text(page)
    with unchanged():
        client.post(reverse("plans:measure-edit", args=[measure.pk]), measure_data(goals))
    measure.refresh_from_db()
    assert measure.title == "Night walkers"


def test_a_draft_plans_measure_is_hidden_from_the_public(client_for, demo, coordinator, goals):
    draft = make_plan(actor=coordinator, municipality=demo.oslo, title="Draft")
    measure = services.add_measure(actor=coordinator, plan=draft, title="Quiet", goals=[goals[0]])
    url = reverse("plans:measure", args=[measure.pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200


# --- progress ------------------------------------------------------------------------------


def test_progress_is_posted_and_moves_the_status(client_for, demo, coordinator, measure):
    client = client_for(coordinator)
    page = client.get(reverse("plans:measure", args=[measure.pk]))
    assert page.context["progress_form"] is not None
    day = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("plans:measure-progress", args=[measure.pk]),
        {"reported_on": day.isoformat(), "text": "Started in Grorud.", "status": "ongoing"},
    )

    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "ongoing"
    update = ProgressUpdate.objects.get(measure=measure)
    assert update.text == "Started in Grorud." and update.reported_on == day
    assert "Started in Grorud." in text(client.get(reverse("plans:measure", args=[measure.pk])))
    plan_page = text(client.get(reverse("plans:detail", args=[measure.plan_id])))
    assert "Started in Grorud." in plan_page and "Ongoing" in plan_page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "done"}, "status", "it cannot become done"),  # planned → done skips ongoing
        (
            {"reported_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
            "reported_on",
            "The date cannot be in the future.",
        ),
        ({"text": ""}, "text", "required"),
    ],
)
def test_bad_progress_names_the_field_and_changes_nothing(
    client_for, demo, coordinator, measure, data, field, message
):
    post = {"reported_on": timezone.localdate().isoformat(), "text": "Went well.", **data}
    post.setdefault("status", "ongoing")
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:measure-progress", args=[measure.pk]), post
        )
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    measure.refresh_from_db()
    assert measure.status == "planned"


def test_the_public_sees_progress_but_no_forms(client_for, demo, coordinator, measure):
    services.post_progress(
        actor=coordinator,
        measure=measure,
        reported_on=timezone.localdate(),
        text="First walk done.",
        status="ongoing",
    )
    page = client_for(None).get(reverse("plans:measure", args=[measure.pk]))
    assert "First walk done." in text(page)
    assert page.context["progress_form"] is None and page.context["link_form"] is None
    assert reverse("plans:measure-progress", args=[measure.pk]) not in text(page)


# --- the logic model ----------------------------------------------------------------------


def test_an_outcome_indicator_is_linked_and_unlinked(client_for, demo, coordinator, measure):
    safe = make_indicator("feel-safe")
    client = client_for(coordinator)
    page = text(client.get(reverse("plans:measure", args=[measure.pk])))
    assert "names no outcome indicator" in page

    response = client.post(
        reverse("plans:measure-link", args=[measure.pk]),
        {"indicator": "feel-safe", "role": "outcome", "direction": "increase"},
    )

    assert response.status_code == 302
    link = MeasureIndicator.objects.get(measure=measure)
    assert (link.indicator, link.role, link.direction) == (safe, "outcome", "increase")
    page = text(client.get(reverse("plans:measure", args=[measure.pk])))
    assert reverse("indicators:detail", args=["feel-safe"]) in page
    assert "names no outcome indicator" not in page
    unlink = reverse("plans:measure-unlink", args=[measure.pk, "feel-safe"])
    assert unlink in page  # behind a confirming <details>

    assert client.get(unlink).status_code == 405  # a GET changes nothing
    response = client.post(unlink)
    assert response.status_code == 302
    assert not MeasureIndicator.objects.filter(measure=measure).exists()


def test_an_output_count_cannot_be_linked_as_an_outcome(client_for, demo, coordinator, measure):
    make_indicator("meetings-held", kind="output")
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:measure-link", args=[measure.pk]),
            {"indicator": "meetings-held", "role": "outcome", "direction": "increase"},
        )
    assert response.status_code == 200
    assert "not an outcome one" in response.context["form"].errors["role"][0]


def test_linking_the_same_indicator_twice_is_refused(client_for, demo, coordinator, measure):
    safe = make_indicator("feel-safe")
    services.link_indicator(
        actor=coordinator, measure=measure, indicator=safe, role="outcome", direction="increase"
    )
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:measure-link", args=[measure.pk]),
            {"indicator": "feel-safe", "role": "outcome", "direction": "decrease"},
        )
    assert "already names" in response.context["form"].errors["indicator"][0]


def test_unlinking_what_is_not_linked_says_so(client_for, demo, coordinator, measure):
    make_indicator("feel-safe")
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:measure-unlink", args=[measure.pk, "feel-safe"]), follow=True
        )
    assert "does not name" in text(response)


def test_another_citys_coordinator_may_not_link_or_unlink(
    client_for, demo, coordinator, stockholm_coordinator, measure
):
    safe = make_indicator("feel-safe")
    services.link_indicator(
        actor=coordinator, measure=measure, indicator=safe, role="outcome", direction="increase"
    )
    client = client_for(stockholm_coordinator)
    with unchanged():
        assert (
            client.post(reverse("plans:measure-unlink", args=[measure.pk, "feel-safe"])).status_code
            == 403
        )
        assert (
            client.post(
                reverse("plans:measure-link", args=[measure.pk]),
                {"indicator": "feel-safe", "role": "outcome", "direction": "decrease"},
            ).status_code
            == 403
        )


def test_the_plan_page_query_count_does_not_grow_with_measures(
    client_for, demo, coordinator, plan, goals, django_assert_max_num_queries
):
    award = Award.objects.get(application__title="Oslo snakker")
    for n in range(12):
        measure = services.add_measure(
            actor=coordinator,
            plan=plan,
            title=f"Measure {n}",
            goals=[goals[n % len(goals)]],
            partners=[demo.nuorten_aani],
            budget=Money(1000 * n, "NOK"),
            grant=award,
        )
        services.post_progress(
            actor=coordinator,
            measure=measure,
            reported_on=timezone.localdate(),
            text=f"Update {n}",
            status="ongoing",
        )
    # the plan with its sections, the measures with their grants, their goals, partners and
    # progress, and what the coordinator's session and permissions read
    with django_assert_max_num_queries(29):
        response = client_for(coordinator).get(reverse("plans:detail", args=[plan.pk]))
    assert "Measure 11" in response.content.decode() and "Update 11" in response.content.decode()
