"""The plan pages through the test client: lists, a plan, writing, adopting and archiving it,
its document, and the network template. Measures and the effect page are in
test_views_measures.py and test_views_effect.py.

The demo's plans and indicators are taken out first (tests/plans/conftest.py): each test builds
its own through the services.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safecities.charter.models import Goal
from safecities.plans import services
from safecities.plans.models import ActionPlan, TemplateSection
from tests.plans.factories import adopt, make_plan, pdf
from tests.utils import unchanged


@pytest.fixture
def oslo_draft(demo, coordinator):
    return make_plan(actor=coordinator, municipality=demo.oslo, title="Oslo draft 2026–2029")


@pytest.fixture
def oslo_adopted(demo, coordinator):
    plan = make_plan(actor=coordinator, municipality=demo.oslo, title="Oslo plan 2023–2026")
    return adopt(actor=coordinator, plan=plan)


@pytest.fixture
def stockholm_draft(demo, stockholm_coordinator):
    return make_plan(
        actor=stockholm_coordinator, municipality=demo.stockholm, title="Stockholm draft"
    )


def text(response) -> str:
    return response.content.decode()


# --- the list and a city's plans --------------------------------------------------------------


def test_the_list_shows_public_plans_to_everyone_and_drafts_to_those_who_manage_them(
    client_for, demo, coordinator, oslo_draft, oslo_adopted, stockholm_draft, member
):
    url = reverse("plans:list")

    anonymous = text(client_for(None).get(url))
    assert "Oslo plan 2023–2026" in anonymous
    assert "Oslo draft" not in anonymous
    assert "Stockholm draft" not in anonymous
    assert "New plan" not in anonymous
    assert "New plan" not in text(client_for(member).get(url))

    mine = text(client_for(coordinator).get(url))
    assert "Oslo draft" in mine
    assert "Stockholm draft" not in mine  # another city's draft
    assert reverse("plans:create") in mine  # the "New plan" button

    everything = text(client_for(demo.users["secretariat"]).get(url))
    assert "Stockholm draft" in everything


def test_the_list_filters_sorts_and_says_when_nothing_matches(
    client_for, demo, secretariat, coordinator, oslo_draft, oslo_adopted, stockholm_draft
):
    client = client_for(secretariat)
    url = reverse("plans:list")

    drafts = text(client.get(url, {"status": "draft"}))
    assert "Oslo draft" in drafts and "Stockholm draft" in drafts
    assert "Oslo plan 2023–2026" not in drafts

    swedish = text(client.get(url, {"country": "SE"}))
    assert "Stockholm draft" in swedish and "Oslo draft" not in swedish

    oslo = text(client.get(url, {"city": "oslo", "sort": "title"}))
    assert oslo.index("Oslo draft") < oslo.index("Oslo plan 2023–2026")
    assert "Stockholm draft" not in oslo

    none = text(client.get(url, {"city": "stockholm", "status": "adopted"}))
    assert "No plans match these filters." in none


def test_the_list_says_so_when_no_plan_is_published(client_for, demo):
    response = client_for(None).get(reverse("plans:list"))
    assert "No city has published an action plan yet." in text(response)


def test_the_list_pages_and_its_query_count_does_not_grow(
    client_for, demo, secretariat, django_assert_max_num_queries
):
    for year in range(2000, 2030):
        make_plan(
            actor=secretariat,
            municipality=demo.oslo if year % 2 else demo.stockholm,
            title=f"Plan {year}",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
        )
    client = client_for(secretariat)
    with django_assert_max_num_queries(15):
        first = client.get(reverse("plans:list"), {"sort": "-starts"})
    assert first.status_code == 200
    assert "Plan 2029" in text(first) and "Plan 2000" not in text(first)
    second = client.get(reverse("plans:list"), {"sort": "-starts", "page": 2})
    assert "Plan 2000" in text(second)
    assert "30 results" in text(second)


def test_a_citys_page_lists_its_plans_and_offers_a_new_one_to_its_coordinator(
    client_for, demo, coordinator, stockholm_coordinator, oslo_draft, oslo_adopted
):
    url = reverse("plans:city", args=["oslo"])

    public = text(client_for(None).get(url))
    assert "Oslo plan 2023–2026" in public and "Oslo draft" not in public
    assert reverse("plans:effect", args=[oslo_adopted.pk]) in public

    mine = text(client_for(coordinator).get(url))
    assert "Oslo draft" in mine
    assert f"{reverse('plans:create')}?city=oslo" in mine
    assert "?city=oslo" not in text(client_for(stockholm_coordinator).get(url))
    assert client_for(None).get(reverse("plans:city", args=["atlantis"])).status_code == 404


def test_a_city_without_plans_says_so(client_for, demo):
    response = client_for(None).get(reverse("plans:city", args=["stockholm"]))
    assert "Stockholm has no published action plan yet." in text(response)


# --- creating and writing a plan ------------------------------------------------------------


def test_a_coordinator_creates_a_draft_for_their_city(client_for, demo, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("plans:create"))
    choices = page.context["form"].fields["municipality"].queryset
    assert set(choices) == {demo.oslo, demo.drammen}

    response = client.post(
        reverse("plans:create"),
        {
            "municipality": demo.oslo.pk,
            "title": "Handlingsplan 2027–2030",
            "starts_on": "2027-01-01",
            "ends_on": "2030-12-31",
        },
    )

    plan = ActionPlan.objects.get(title="Handlingsplan 2027–2030")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[plan.pk])
    assert plan.municipality == demo.oslo and plan.status == "draft"
    assert plan.sections.count() == Goal.objects.count()


def test_a_plan_ending_before_it_starts_is_refused_naming_the_field(client_for, demo, coordinator):
    client = client_for(coordinator)
    with unchanged():
        response = client.post(
            reverse("plans:create"),
            {
                "municipality": demo.oslo.pk,
                "title": "Backwards",
                "starts_on": "2027-01-01",
                "ends_on": "2026-12-31",
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["The end must be on or after the start."]
    assert "Until: The end must be on or after the start." in text(response)


def test_a_coordinator_cannot_create_a_plan_for_another_city(client_for, demo, coordinator):
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:create"),
            {
                "municipality": demo.stockholm.pk,
                "title": "Not mine",
                "starts_on": "2027-01-01",
                "ends_on": "2030-12-31",
            },
        )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors


@pytest.mark.parametrize("role", ["member", "organisation_contact", "reviewer", "funder_officer"])
def test_only_those_who_manage_plans_may_create_one(client_for, demo, role):
    assert client_for(demo.users[role]).get(reverse("plans:create")).status_code == 403


def test_a_draft_is_written_per_charter_goal(client_for, demo, coordinator, oslo_draft):
    goals = list(Goal.objects.order_by("position"))
    services.save_template_section(
        actor=demo.users["secretariat"],
        goal=goals[0],
        heading={"en": "Safe streets"},
        guidance={"en": "Say how streets become safer."},
    )
    client = client_for(coordinator)
    page = client.get(reverse("plans:edit", args=[oslo_draft.pk]))
    assert page.status_code == 200
    data = {
        "title": "Oslo draft, revised",
        "starts_on": "2026-01-01",
        "ends_on": "2029-12-31",
        f"section_{goals[1].code}": "We talk with young people online.",
    }

    response = client.post(reverse("plans:edit", args=[oslo_draft.pk]), data)

    assert response.status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.title == "Oslo draft, revised"
    assert oslo_draft.sections.get(goal=goals[1]).text == "We talk with young people online."
    detail = text(client.get(reverse("plans:detail", args=[oslo_draft.pk])))
    assert "We talk with young people online." in detail


def test_the_plan_guidance_of_the_template_is_shown_while_writing(
    client_for, demo, secretariat, coordinator
):
    goal = Goal.objects.order_by("position").first()
    services.save_template_section(
        actor=secretariat,
        goal=goal,
        heading={"en": "Safe streets"},
        guidance={"en": "Say how streets become safer."},
    )
    plan = make_plan(actor=coordinator, municipality=demo.oslo)
    page = text(client_for(coordinator).get(reverse("plans:edit", args=[plan.pk])))
    assert "Safe streets" in page and "Say how streets become safer." in page


def test_editing_with_an_empty_title_changes_nothing(client_for, demo, coordinator, oslo_draft):
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:edit", args=[oslo_draft.pk]),
            {"title": " ", "starts_on": "2026-01-01", "ends_on": "2029-12-31"},
        )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    oslo_draft.refresh_from_db()
    assert oslo_draft.title == "Oslo draft 2026–2029"


def test_an_adopted_plan_cannot_be_edited(client_for, demo, coordinator, oslo_adopted):
    response = client_for(coordinator).get(reverse("plans:edit", args=[oslo_adopted.pk]))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "can only change while it is a draft" in text(response)


def test_a_coordinator_of_another_city_may_not_edit(
    client_for, demo, stockholm_coordinator, oslo_draft
):
    client = client_for(stockholm_coordinator)
    with unchanged():
        response = client.post(
            reverse("plans:edit", args=[oslo_draft.pk]),
            {"title": "Mine now", "starts_on": "2026-01-01", "ends_on": "2029-12-31"},
        )
    assert response.status_code == 403
    oslo_draft.refresh_from_db()
    assert oslo_draft.title == "Oslo draft 2026–2029"


# --- seeing a plan and its document ----------------------------------------------------------


def test_a_draft_is_found_only_by_those_who_manage_it(
    client_for, demo, coordinator, stockholm_coordinator, oslo_draft
):
    url = reverse("plans:detail", args=[oslo_draft.pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(stockholm_coordinator).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(demo.users["secretariat"]).get(url).status_code == 200


def test_an_adopted_plan_shows_its_adoption_and_serves_its_document(client_for, demo, oslo_adopted):
    client = client_for(None)
    page = text(client.get(reverse("plans:detail", args=[oslo_adopted.pk])))
    assert "City council" in page and "2025/1234" in page
    assert reverse("plans:document", args=[oslo_adopted.pk]) in page
    assert "/media/" not in page

    response = client.get(reverse("plans:document", args=[oslo_adopted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_drafts_document_page_is_not_found(client_for, demo, oslo_draft, coordinator):
    assert client_for(None).get(reverse("plans:document", args=[oslo_draft.pk])).status_code == 404
    # the coordinator sees the draft, which has no document yet
    response = client_for(coordinator).get(reverse("plans:document", args=[oslo_draft.pk]))
    assert response.status_code == 404


# --- adopting and archiving --------------------------------------------------------------------


def adoption(**overrides):
    data = {
        "body": "Bystyret",
        "adopted_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "case_number": "26/00042",
        "document": pdf("vedtak.pdf"),
        "confirmed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_draft_is_adopted_with_its_document(client_for, demo, coordinator, oslo_draft):
    client = client_for(coordinator)
    assert client.get(reverse("plans:adopt", args=[oslo_draft.pk])).status_code == 200

    response = client.post(reverse("plans:adopt", args=[oslo_draft.pk]), adoption())

    assert response.status_code == 302
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "adopted"
    assert oslo_draft.adopted_by_body == "Bystyret" and oslo_draft.case_number == "26/00042"
    assert oslo_draft.document.name.endswith("vedtak.pdf")
    assert client_for(None).get(reverse("plans:detail", args=[oslo_draft.pk])).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"document": None}, "document", "Attach the adopted plan as a PDF."),
        (
            {"document": SimpleUploadedFile("plan.pdf", b"not a pdf", "application/pdf")},
            "document",
            "is not a PDF file",
        ),
        ({"body": ""}, "body", "Name the body that adopted the plan"),
        ({"case_number": ""}, "case_number", "Give the case number of the decision."),
        (
            {"adopted_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "adopted_on",
            "The date cannot be in the future.",
        ),
        ({"confirmed": None}, "confirmed", "Tick the box to confirm the adoption."),
    ],
)
def test_a_bad_adoption_names_the_field_and_changes_nothing(
    client_for, demo, coordinator, oslo_draft, overrides, field, message
):
    with unchanged():
        response = client_for(coordinator).post(
            reverse("plans:adopt", args=[oslo_draft.pk]), adoption(**overrides)
        )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "draft"


def test_a_second_adopted_plan_is_refused_until_the_first_is_archived(
    client_for, demo, coordinator, oslo_adopted, oslo_draft
):
    client = client_for(coordinator)
    with unchanged():
        response = client.post(reverse("plans:adopt", args=[oslo_draft.pk]), adoption())
    assert "already has an adopted plan" in text(response)

    archive = client.get(reverse("plans:archive", args=[oslo_adopted.pk]))
    assert "leaves force" in text(archive)
    client.post(reverse("plans:archive", args=[oslo_adopted.pk]))
    oslo_adopted.refresh_from_db()
    assert oslo_adopted.status == "archived"
    # archived after adoption: still public
    assert client_for(None).get(reverse("plans:detail", args=[oslo_adopted.pk])).status_code == 200

    client.post(reverse("plans:adopt", args=[oslo_draft.pk]), adoption())
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "adopted"


def test_an_archived_plan_cannot_be_archived_again(client_for, demo, coordinator, oslo_draft):
    services.archive_plan(actor=coordinator, plan=oslo_draft)
    client = client_for(coordinator)
    assert "archived already" in text(client.get(reverse("plans:archive", args=[oslo_draft.pk])))
    with unchanged():
        response = client.post(reverse("plans:archive", args=[oslo_draft.pk]), follow=True)
    assert "cannot become archived" in text(response)


def test_another_citys_coordinator_may_not_adopt_or_archive(
    client_for, demo, stockholm_coordinator, oslo_draft
):
    client = client_for(stockholm_coordinator)
    with unchanged():
        assert (
            client.post(reverse("plans:adopt", args=[oslo_draft.pk]), adoption()).status_code == 403
        )
        assert client.post(reverse("plans:archive", args=[oslo_draft.pk])).status_code == 403
    oslo_draft.refresh_from_db()
    assert oslo_draft.status == "draft"


# --- the network template ------------------------------------------------------------------


def test_the_secretariat_writes_the_template_per_goal(client_for, demo, secretariat):
    goal = Goal.objects.order_by("position").first()
    client = client_for(secretariat)
    assert client.get(reverse("plans:template")).status_code == 200
    url = reverse("plans:template-section", args=[goal.code])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "heading_en": "Safe streets and squares",
            "heading_nb": "Trygge gater og plasser",
            "guidance_en": "Say what the city does.",
        },
    )

    assert response.status_code == 302
    section = TemplateSection.objects.get(goal=goal)
    assert section.heading == {"en": "Safe streets and squares", "nb": "Trygge gater og plasser"}
    assert section.guidance == {"en": "Say what the city does."}
    assert "Safe streets and squares" in text(client.get(reverse("plans:template")))


def test_a_template_section_without_an_english_heading_is_refused(client_for, demo, secretariat):
    goal = Goal.objects.order_by("position").first()
    with unchanged():
        response = client_for(secretariat).post(
            reverse("plans:template-section", args=[goal.code]), {"heading_nb": "Bare norsk"}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["heading_en"] == ["Give it in English at least."]


def test_only_the_secretariat_edits_the_template(client_for, demo, coordinator):
    goal = Goal.objects.order_by("position").first()
    client = client_for(coordinator)
    assert client.get(reverse("plans:template")).status_code == 403
    with unchanged():
        response = client.post(
            reverse("plans:template-section", args=[goal.code]), {"heading_en": "Mine"}
        )
    assert response.status_code == 403


def test_the_list_links_the_template_for_the_secretariat_only(
    client_for, demo, secretariat, coordinator
):
    template = reverse("plans:template")
    assert template in text(client_for(secretariat).get(reverse("plans:list")))
    assert template not in text(client_for(coordinator).get(reverse("plans:list")))


def test_the_adoption_page_lists_what_the_service_would_refuse_with(
    client_for, demo, coordinator, oslo_adopted, oslo_draft
):
    client = client_for(coordinator)
    page = client.get(reverse("plans:adopt", args=[oslo_draft.pk])).content.decode()
    assert "The plan cannot be adopted yet:" in page
    assert "already has an adopted plan" in page and oslo_adopted.title in page
    assert 'name="case_number"' not in page
    with unchanged(), pytest.raises(services.AlreadyAdopted) as refused:
        adopt(actor=coordinator, plan=oslo_draft)
    assert escape(refused.value.message) in page  # the same words as the service's refusal

    services.archive_plan(actor=coordinator, plan=oslo_adopted)
    page = client.get(reverse("plans:adopt", args=[oslo_draft.pk])).content.decode()
    assert "The plan cannot be adopted yet:" not in page
    assert 'name="case_number"' in page
