"""The applicant's grant pages: starting, writing, autosaving, submitting, versions, file
answers and grantee reports, through the page layer with the test client."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.money import Money, parse_amount
from safecities.grants import services
from safecities.grants.models import Answer, Application, GrantReport, Question
from tests.grants.factories import (
    finish_review,
    make_application,
    make_call_past_its_concept_deadline,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.network.factories import MunicipalityFactory, coordinator_of, decision_pdf
from tests.utils import unchanged

QUESTIONS = [
    {"kind": "text", "label": {"en": "What will change?"}, "required": True},
    {"kind": "number", "label": {"en": "How many people take part?"}, "required": True},
    {
        "kind": "choice",
        "label": {"en": "Scale"},
        "choices": [
            {"value": "local", "label": {"en": "Local"}},
            {"value": "national", "label": {"en": "National"}},
        ],
        "required": False,
    },
    {"kind": "date", "label": {"en": "First event"}, "required": False},
    {"kind": "file", "label": {"en": "Letter of support"}, "required": False},
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str:
    """The error the edit page shows for `field`, as the form holds it."""
    form = response.context["form"]
    assert field in form.errors, f"no error on {field}: {form.errors.as_data()}"
    assert f'id="id_{field}_error"' in response.content.decode()
    return " ".join(form.errors[field])


def open_call(*, actor, programme, questions=(), stages=1, goals=(), **overrides):
    now = timezone.now()
    fields = {
        "title": {"en": "Collaboration projects 2025"},
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "min_amount": Money.zero("NOK"),
        "max_amount": nok(200_000),
    }
    if stages == 2:
        fields.update(stages=2, concept_closes_at=now + timedelta(days=10))
    fields.update(overrides)
    call = services.create_call(actor=actor, programme=programme, goals=goals, **fields)
    if questions:
        services.set_questions(actor=actor, call=call, questions=questions)
    return services.open_call(actor=actor, call=call)


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder)


@pytest.fixture
def call(programme, funder_officer):
    """An open one-stage call asking a question of every kind."""
    return open_call(actor=funder_officer, programme=programme, questions=QUESTIONS)


@pytest.fixture
def plain_call(programme, funder_officer):
    """An open one-stage call with no questions."""
    return open_call(actor=funder_officer, programme=programme, title={"en": "Plain call"})


def questions(call) -> dict[str, Question]:
    return {q.kind: q for q in call.questions.all()}


@pytest.fixture
def newtown(demo):
    """A city with no demo grant applications."""
    return MunicipalityFactory(country=demo.oslo.country, name="Nyby")


@pytest.fixture
def newcomer(newtown):
    """A coordinator of `newtown`: whatever the demo holds, their lists start empty."""
    return coordinator_of(newtown)


@pytest.fixture
def draft(demo, coordinator, call):
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(150_000),
        lead_municipality=demo.oslo,
        title="Night patrols in the parks",
    )


def formset(prefix: str, rows: list[dict], fields: list[str], extra: int = 1) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate([*rows, *[{}] * extra]):
        for name in fields:
            data[f"{prefix}-{n}-{name}"] = row.get(name, "")
    return data


def edit_payload(call, *, partners=(), budget=None, answers=None, **overrides) -> dict:
    """A whole edit-form POST: a complete draft unless overridden."""
    data = {
        "title": "Night patrols in the parks",
        "summary": "Youth workers and volunteers in the parks on summer nights.",
        "requested": "150000",
        "starts_on": "2025-06-01",
        "ends_on": "2025-09-30",
    }
    data.update(formset("partners", list(partners), ["party", "role"]))
    lines = [{"label": "Youth workers", "amount": "150000"}] if budget is None else budget
    data.update(formset("budget", lines, ["label", "amount"]))
    q = questions(call)
    if answers is None and q:
        answers = {
            q["text"].pk: "Fewer fights, more trust.",
            q["number"].pk: "120",
            q["choice"].pk: "local",
            q["date"].pk: "2025-06-20",
        }
    for pk, value in (answers or {}).items():
        data[f"answer_{pk}"] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(application) -> str:
    return reverse("grants:application-edit", args=[application.pk])


# --- my applications --------------------------------------------------------------------


def test_my_applications_lists_the_users_applications_with_a_status_filter(
    newtown, newcomer, client_for, plain_call
):
    kept = make_application(
        actor=newcomer,
        call=plain_call,
        requested=nok(10_000),
        lead_municipality=newtown,
        title="Draft one",
    )
    submitted_application(
        actor=newcomer,
        call=plain_call,
        requested=nok(10_000),
        lead_municipality=newtown,
        title="Sent one",
    )
    client = client_for(newcomer)
    response = client.get(reverse("grants:my-applications"))
    assert response.status_code == 200
    page = text(response)
    assert "Draft one" in page and "Sent one" in page
    assert "Plain call" in page
    assert reverse("grants:application", args=[kept.pk]) in page

    response = client.get(reverse("grants:my-applications") + "?status=submitted")
    page = text(response)
    assert "Sent one" in page and "Draft one" not in page


def test_my_applications_empty_state(member_client, newcomer, client_for):
    page = text(member_client.get(reverse("grants:my-applications")))
    assert "No applications yet" in page and "City coordinators and organisation" in page
    page = text(client_for(newcomer).get(reverse("grants:my-applications")))
    assert "No applications yet" in page and "Apply" in page


def test_my_applications_query_count_does_not_grow_with_the_rows(
    newtown, newcomer, client_for, plain_call
):
    def add(n):
        for _i in range(n):
            make_application(
                actor=newcomer,
                call=plain_call,
                requested=nok(10_000),
                lead_municipality=newtown,
                title=f"Project {Application.objects.count()}",
            )

    def count():
        client = client_for(newcomer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("grants:my-applications"))
        assert response.status_code == 200
        return len(queries), len(response.context["page"].object_list)

    add(3)
    few, rows = count()
    assert rows == 3
    add(9)
    many, rows = count()
    assert rows == 12
    assert many == few


# --- starting an application -------------------------------------------------------------


def test_a_coordinator_starts_an_application_for_their_city(
    demo, coordinator, coordinator_client, call
):
    url = reverse("grants:application-start", args=[call.pk])
    page = text(coordinator_client.get(url))
    assert "Oslo" in page and "Drammen" in page  # the cities the coordinator coordinates
    response = coordinator_client.post(
        url, {"lead": f"municipality:{demo.oslo.pk}", "title": "Night patrols in the parks"}
    )
    application = Application.objects.get(title="Night patrols in the parks")
    assert response.status_code == 302
    assert response["Location"] == edit_url(application)
    assert application.lead_municipality == demo.oslo
    assert application.status == Application.Status.DRAFT
    assert application.created_by == coordinator


def test_an_organisation_contact_starts_one_for_their_organisation(demo, contact_client, call):
    response = contact_client.post(
        reverse("grants:application-start", args=[call.pk]),
        {"lead": f"organisation:{demo.nuorten_aani.pk}", "title": "Nuorten kesä"},
    )
    assert response.status_code == 302
    assert Application.objects.get(title="Nuorten kesä").lead_organisation == demo.nuorten_aani


def test_starting_on_a_closed_call_shows_the_services_message(
    demo, funder_officer, coordinator_client, call
):
    services.close_call(actor=funder_officer, call=call)
    with unchanged():
        response = coordinator_client.post(
            reverse("grants:application-start", args=[call.pk]),
            {"lead": f"municipality:{demo.oslo.pk}", "title": "Too late"},
        )
    assert response.status_code == 200
    assert "The call is not open for applications." in text(response)


def test_the_start_page_of_a_call_past_its_concept_deadline_says_it_is_not_open(
    demo, funder_officer, programme, coordinator_client
):
    late = make_call_past_its_concept_deadline(actor=funder_officer, programme=programme)
    url = reverse("grants:application-start", args=[late.pk])
    assert "The call is not open for applications." in text(coordinator_client.get(url))
    with unchanged():
        response = coordinator_client.post(
            url, {"lead": f"municipality:{demo.oslo.pk}", "title": "Too late"}
        )
    assert "The deadline" in text(response)


def test_a_lead_the_user_does_not_act_for_is_not_offered(demo, coordinator_client, call):
    with unchanged():
        response = coordinator_client.post(
            reverse("grants:application-start", args=[call.pk]),
            {"lead": f"organisation:{demo.nuorten_aani.pk}", "title": "Not mine"},
        )
    assert "lead" in response.context["form"].errors


def test_only_those_who_may_apply_start(demo, member_client, funder_client, call, client_for):
    url = reverse("grants:application-start", args=[call.pk])
    assert member_client.get(url).status_code == 403
    assert funder_client.get(url).status_code == 403
    assert client_for(None).get(url)["Location"].startswith("/accounts/login/")


# --- writing the draft ------------------------------------------------------------------


def test_a_draft_saved_incomplete_is_resumed_with_its_values(demo, coordinator_client, draft, call):
    goal = Goal.objects.order_by("position").first()
    youth = Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP).order_by("code").first()
    q = questions(call)
    data = edit_payload(
        call,
        requested="",
        starts_on="",
        ends_on="",
        partners=[{"party": f"organisation:{demo.nuorten_aani.pk}", "role": "Recruits"}],
        budget=[{"label": "Youth workers", "amount": "80 000,50"}],
        answers={q["text"].pk: "Fewer fights, more trust.", q["number"].pk: ""},
        goals=[goal.pk],
        target_groups=[youth.pk],
    )
    response = coordinator_client.post(edit_url(draft), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft.refresh_from_db()
    assert draft.requested_minor == 0
    assert draft.starts_on is None
    assert [(b.label, b.amount_minor) for b in draft.budget_lines.all()] == [
        ("Youth workers", 8_000_050)
    ]
    assert [p.organisation for p in draft.partners.all()] == [demo.nuorten_aani]

    response = coordinator_client.get(edit_url(draft))
    form = response.context["form"]
    assert form["title"].value() == "Night patrols in the parks"
    assert form["summary"].value().startswith("Youth workers and volunteers")
    assert form[f"answer_{q['text'].pk}"].value() == "Fewer fights, more trust."
    assert [int(pk) for pk in form["goals"].value()] == [goal.pk]
    assert [int(pk) for pk in form["target_groups"].value()] == [youth.pk]
    page = response.content.decode()
    assert f'value="organisation:{demo.nuorten_aani.pk}" selected' in page
    assert 'value="Youth workers"' in page and 'value="80,000.50"' in page
    assert "(required)" in page  # required questions are marked, not enforced
    assert 'hx-post="' + edit_url(draft) + '"' in page
    assert 'aria-live="polite"' in page


def test_autosave_answers_a_fragment_and_saves(coordinator_client, draft, call):
    response = coordinator_client.post(
        edit_url(draft),
        edit_payload(call, title="Night patrols in the parks in Oslo"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = text(response)
    assert "Saved at" in body
    assert "<html" not in body
    assert 'id="budget-total" hx-swap-oob="true"' in body
    draft.refresh_from_db()
    assert draft.title == "Night patrols in the parks in Oslo"


def test_autosave_names_the_field_it_could_not_save(coordinator_client, draft, call):
    number = questions(call)["number"]
    with unchanged():
        response = coordinator_client.post(
            edit_url(draft),
            edit_payload(call, **{f"answer_{number.pk}": "abc"}),
            headers={"HX-Request": "true"},
        )
    body = text(response)
    assert "Not saved." in body
    assert f'href="#id_answer_{number.pk}"' in body
    assert "“How many people take part?”: give a number." in body


def test_a_number_answered_abc_is_refused_at_its_field(coordinator_client, draft, call):
    number = questions(call)["number"]
    with unchanged():
        response = coordinator_client.post(
            edit_url(draft),
            edit_payload(call, title="Changed title", **{f"answer_{number.pk}": "abc"}),
        )
    assert response.status_code == 200
    assert field_error(response, f"answer_{number.pk}") == (
        "“How many people take part?”: give a number."
    )
    draft.refresh_from_db()
    assert draft.title == "Night patrols in the parks"
    assert not draft.answers.exists()


def test_a_file_that_is_not_a_pdf_is_refused_naming_the_file(coordinator_client, draft, call):
    question = questions(call)["file"]
    data = edit_payload(call)
    data[f"answer_{question.pk}"] = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    with unchanged():
        response = coordinator_client.post(edit_url(draft), data)
    assert field_error(response, f"answer_{question.pk}") == "notes.txt is not a PDF file."


def test_a_pdf_answer_is_stored_and_served_only_to_who_may_see_it(
    demo, coordinator_client, funder_client, client_for, draft, call
):
    question = questions(call)["file"]
    data = edit_payload(call)
    data[f"answer_{question.pk}"] = decision_pdf("support.pdf")
    assert coordinator_client.post(edit_url(draft), data).status_code == 302
    answer = Answer.objects.get(application=draft, question=question)
    assert answer.filename == "support.pdf"

    file_url = reverse("grants:answer-file", args=[answer.pk])
    page = text(coordinator_client.get(edit_url(draft)))
    assert "support.pdf" in page and file_url in page

    response = coordinator_client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert funder_client.get(file_url).status_code == 200
    assert client_for(demo.stockholm_coordinator).get(file_url).status_code == 403
    assert client_for(demo.users["reviewer"]).get(file_url).status_code == 403
    assert client_for(None).get(file_url)["Location"].startswith("/accounts/login/")


def test_a_submitted_application_is_not_edited(coordinator, coordinator_client, draft, call):
    services.update_application(
        actor=coordinator,
        application=draft,
        answers={questions(call)["text"].pk: "Trust", questions(call)["number"].pk: "3"},
    )
    services.submit_application(actor=coordinator, application=draft)
    response = coordinator_client.get(edit_url(draft))
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application", args=[draft.pk])


# --- submitting -------------------------------------------------------------------------


def test_the_submit_page_shows_a_checklist(coordinator_client, draft):
    response = coordinator_client.get(reverse("grants:application-submit", args=[draft.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Before you submit" in page
    assert "Missing" in page  # the required questions are not answered
    assert "Answered: “What will change?”" in page


PARTNERSHIP = "A member municipality and a civil-society organisation take part"


@pytest.mark.parametrize(
    ("lead", "partner"),
    [("drammen", "nuorten_aani"), ("oslo", "funder")],
    ids=["city-not-a-member", "partner-not-civil-society"],
)
def test_the_checklist_asks_for_the_partnership_the_service_requires(
    demo, programme, funder_officer, coordinator, coordinator_client, lead, partner
):
    """The page ticks off the partnership only when the service would take it: an active member
    city and a civil-society organisation; the refusal then repeats the same item."""
    call = make_open_call(actor=funder_officer, programme=programme, requires_partnership=True)
    draft = make_application(
        actor=coordinator,
        call=call,
        requested=nok(1000),
        lead_municipality=getattr(demo, lead),
        partners=[(getattr(demo, partner), "")],
    )
    url = reverse("grants:application-submit", args=[draft.pk])
    response = coordinator_client.get(url)
    [item] = [i for i in response.context["checklist"] if i["field"] == "partners"]
    assert item["done"] is False
    [line] = [li for li in text(response).split("<li>") if PARTNERSHIP in li]
    assert "Missing" in line
    with unchanged():
        refused = coordinator_client.post(url)
    assert [i["field"] for i in refused.context["checklist"] if not i["done"]] == ["partners"]
    assert "This call funds partnerships" in text(refused)


def test_the_checklist_ticks_off_a_partnership_the_service_takes(
    demo, programme, funder_officer, coordinator, coordinator_client
):
    call = make_open_call(actor=funder_officer, programme=programme, requires_partnership=True)
    draft = make_application(
        actor=coordinator,
        call=call,
        requested=nok(1000),
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Youth outreach")],
    )
    url = reverse("grants:application-submit", args=[draft.pk])
    checklist = coordinator_client.get(url).context["checklist"]
    assert all(item["done"] for item in checklist)
    assert coordinator_client.post(url).status_code == 302


def test_submit_with_budget_lines_not_adding_up_shows_the_message(
    coordinator, coordinator_client, draft, call
):
    q = questions(call)
    services.update_application(
        actor=coordinator,
        application=draft,
        budget_lines=[("Youth workers", nok(100_000))],
        answers={q["text"].pk: "Trust", q["number"].pk: "3"},
    )
    with unchanged():
        response = coordinator_client.post(reverse("grants:application-submit", args=[draft.pk]))
    assert response.status_code == 200
    page = text(response)
    assert (
        f"The budget lines add up to {nok(100_000)}, but the application asks for "
        f"{nok(150_000)}." in page
    )
    assert edit_url(draft) + "#id_budget_lines" in page
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_a_resubmission_after_an_invitation_is_version_2_and_the_diff_shows_it(
    demo, coordinator, coordinator_client, funder_officer, programme
):
    two_stage = open_call(actor=funder_officer, programme=programme, stages=2)
    draft = make_application(
        actor=coordinator,
        call=two_stage,
        requested=nok(150_000),
        lead_municipality=demo.oslo,
        title="Night patrols in the parks",
    )
    assert draft.stage == "concept"
    submit_url = reverse("grants:application-submit", args=[draft.pk])
    assert coordinator_client.post(submit_url).status_code == 302
    assert [v.number for v in draft.versions.all()] == [1]

    services.invite_full_proposal(actor=funder_officer, application=draft)
    data = edit_payload(two_stage, title="Night patrols in the parks for all")
    assert coordinator_client.post(edit_url(draft), data).status_code == 302
    assert coordinator_client.post(submit_url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert [(v.number, v.stage) for v in draft.versions.all()] == [(1, "concept"), (2, "full")]

    response = coordinator_client.get(reverse("grants:application-versions", args=[draft.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "From version 1 to version 2" in page
    assert "<strong>Removed:</strong> <del>Night patrols in the parks</del>" in page
    assert "<strong>Added:</strong> <ins>Night patrols in the parks for all</ins>" in page
    diff = response.context["diff"]
    changed = [f["changed"] for f in diff]
    assert changed == sorted(changed, reverse=True)  # changed fields first

    # The detail page lists both versions, linking to the diff.
    page = text(coordinator_client.get(reverse("grants:application", args=[draft.pk])))
    assert "Version 2" in page and "?a=1&b=2" in page


def test_one_version_is_shown_whole(coordinator, coordinator_client, demo, plain_call):
    application = submitted_application(
        actor=coordinator,
        call=plain_call,
        requested=nok(10_000),
        lead_municipality=demo.oslo,
        title="Only once",
    )
    response = coordinator_client.get(reverse("grants:application-versions", args=[application.pk]))
    page = text(response)
    assert "Version 1" in page and "Only once" in page
    assert "<del>" not in page and "<ins>" not in page


def test_withdrawing_asks_first_then_acts(coordinator_client, draft):
    url = reverse("grants:application-withdraw", args=[draft.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert "This cannot be undone." in text(response)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    response = coordinator_client.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN


# --- who sees what ----------------------------------------------------------------------


def test_another_coordinator_gets_403_on_someone_elses_application(demo, client_for, draft):
    other = client_for(demo.stockholm_coordinator)
    for name in (
        "grants:application",
        "grants:application-edit",
        "grants:application-submit",
        "grants:application-withdraw",
        "grants:application-versions",
    ):
        assert other.get(reverse(name, args=[draft.pk])).status_code == 403, name
    with unchanged():
        assert (
            other.post(reverse("grants:application-withdraw", args=[draft.pk])).status_code == 403
        )


def test_the_detail_page_shows_actions_by_permission(
    coordinator_client, funder_client, secretariat_client, draft
):
    url = reverse("grants:application", args=[draft.pk])
    page = text(coordinator_client.get(url))
    assert edit_url(draft) in page
    assert reverse("grants:application-submit", args=[draft.pk]) in page
    assert reverse("grants:application-withdraw", args=[draft.pk]) in page
    assert "Oslo" in page
    for client in (funder_client, secretariat_client):
        response = client.get(url)
        assert response.status_code == 200
        assert edit_url(draft) not in text(response)


def test_a_blind_reviewer_does_not_see_who_applies(
    demo, coordinator, funder_officer, reviewer, reviewer_client, programme
):
    blind = open_call(actor=funder_officer, programme=programme, blind_review=True)
    application = submitted_application(
        actor=coordinator,
        call=blind,
        requested=nok(10_000),
        lead_municipality=demo.oslo,
        title="Night walks",
        partners=[(demo.nuorten_aani, "Recruits walkers")],
    )
    services.assign_reviewer(actor=funder_officer, application=application, reviewer=reviewer)
    response = reviewer_client.get(reverse("grants:application", args=[application.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Hidden for blind review" in page
    assert demo.oslo.name not in page and demo.nuorten_aani.name not in page
    page = text(reviewer_client.get(reverse("grants:application-versions", args=[application.pk])))
    assert demo.oslo.name not in page and "Hidden for blind review" in page


# --- reports ----------------------------------------------------------------------------


def _award(coordinator, funder_officer, call, lead, *, title, amount=None, due=None):
    amount = amount or nok(10_000)
    application = submitted_application(
        actor=coordinator, call=call, requested=amount, lead_municipality=lead, title=title
    )
    finish_review(application, actor=funder_officer)
    return services.award_grant(
        application=application,
        amount=amount,
        actor=funder_officer,
        reports=[(GrantReport.Kind.FINAL, due or date.today() + timedelta(days=90))],
    )


def test_the_report_form_refuses_spent_over_the_award(
    demo, coordinator, coordinator_client, funder_officer, funder_client, plain_call
):
    award = _award(coordinator, funder_officer, plain_call, demo.oslo, title="Summer nights")
    report = award.reports.get()
    line = award.application.budget_lines.get()
    spend = f"spend_{line.pk}"
    url = reverse("grants:report", args=[report.pk])
    data = {
        "narrative": "We walked the parks every Friday.",
        "results": "Fewer incidents.",
        spend: "10001",
        **formset(
            "links", [{"title": "Toolkit", "url": "https://example.org/kit"}], ["title", "url"]
        ),
    }
    with unchanged():
        response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert field_error(response, spend).startswith(f"{line.label}: ")  # the line, named
    assert f"approved {nok(10_000)}" in field_error(response, spend)
    report.refresh_from_db()
    assert report.status == GrantReport.Status.DUE

    response = coordinator_client.post(url, {**data, spend: "9 500,00"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED
    assert report.spent == nok(9_500)
    assert report.links == [{"title": "Toolkit", "url": "https://example.org/kit"}]

    page = text(funder_client.get(url))
    assert "We walked the parks every Friday." in page and "Toolkit" in page


def test_a_report_is_seen_by_the_grantee_and_the_runners_only(
    demo, coordinator, funder_officer, client_for, plain_call
):
    award = _award(coordinator, funder_officer, plain_call, demo.oslo, title="Summer nights")
    url = reverse("grants:report", args=[award.reports.get().pk])
    for role, status in [
        ("coordinator", 200),
        ("funder_officer", 200),
        ("secretariat", 200),
        ("member", 403),
        ("reviewer", 403),
        ("organisation_contact", 403),
    ]:
        assert client_for(demo.users[role]).get(url).status_code == status, role
    assert client_for(demo.stockholm_coordinator).get(url).status_code == 403
    with unchanged():
        assert client_for(demo.users["member"]).post(url, {}).status_code == 403


def test_reports_list_overdue_filter_and_fixed_query_count(
    demo, newtown, newcomer, funder_officer, client_for, plain_call
):
    def add(n, start):
        for i in range(n):
            due = date.today() - timedelta(days=5) if i % 2 == 0 else None
            title = f"Project {start + i}"
            _award(newcomer, funder_officer, plain_call, newtown, title=title, due=due)

    def count(query=""):
        client = client_for(newcomer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("grants:reports") + query)
        assert response.status_code == 200
        return len(queries), response

    add(3, 0)
    few, response = count()
    assert len(response.context["page"].object_list) == 3
    assert "Overdue" in text(response)
    add(9, 3)
    many, response = count()
    assert len(response.context["page"].object_list) == 12
    assert many == few

    _n, response = count("?overdue=1")
    reports = response.context["page"].object_list
    assert len(reports) == 2 + 5  # every other one, counted from the first of each batch
    assert all(r.due_on < date.today() for r in reports)

    # The funder officer follows them too; a coordinator of another city sees none of them.
    response = client_for(funder_officer).get(reverse("grants:reports"))
    assert response.context["page"].paginator.count >= 12
    other = client_for(coordinator_of(MunicipalityFactory(country=demo.oslo.country)))
    assert "No reports to show." in text(other.get(reverse("grants:reports")))


def test_the_awarded_application_shows_payments_and_reports(
    demo, coordinator, coordinator_client, funder_officer, plain_call
):
    award = _award(coordinator, funder_officer, plain_call, demo.oslo, title="Summer nights")
    services.schedule_payment(
        award=award, amount=nok(6_000), due_on=date(2025, 3, 1), actor=funder_officer, label="First"
    )
    page = text(coordinator_client.get(reverse("grants:application", args=[award.application.pk])))
    assert "First" in page and str(nok(6_000)) in page and "Scheduled" in page
    assert reverse("grants:report", args=[award.reports.get().pk]) in page
    assert str(nok(10_000)) in page


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("nb", "25 000,50", "25\u00a0000,50"),
        ("sv", "25000.50", "25\u00a0000,50"),
        ("da", "25.000,50", "25.000,50"),
        ("en", "25,000.50", "25,000.50"),
        ("nb", "30 000", "30\u00a0000"),  # whole kroner without ",00"
    ],
)
def test_amounts_are_typed_and_shown_as_the_readers_language_writes_them(
    coordinator_client, draft, call, language, typed, shown
):
    coordinator_client.cookies["django_language"] = language
    data = edit_payload(call, budget=[{"label": "Youth workers", "amount": typed}])
    response = coordinator_client.post(edit_url(draft), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    line = draft.budget_lines.get()
    assert line.amount_minor == int(Decimal(parse_amount(shown, language=language)) * 100)
    page = coordinator_client.get(edit_url(draft)).content.decode()
    assert f'value="{shown}"' in page


def test_an_amount_that_is_not_a_number_is_named_and_nothing_is_saved(
    coordinator_client, draft, call
):
    coordinator_client.cookies["django_language"] = "nb"
    before = list(draft.budget_lines.values_list("label", "amount_minor"))
    data = edit_payload(call, budget=[{"label": "Youth workers", "amount": "25.000.000"}])
    with unchanged():
        response = coordinator_client.post(edit_url(draft), data)
    assert response.status_code == 200
    assert list(draft.budget_lines.values_list("label", "amount_minor")) == before
