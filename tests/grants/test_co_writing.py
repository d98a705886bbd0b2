"""Co-writing: the lead gives each partner questions of the call to write; whoever acts for the
partner writes those answers, and only those, while the application is editable. Through the
services, the pages (the draft form and its autosave, the partners page) and the API."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.core.money import Money
from safecities.core.services import create_api_token
from safecities.grants import services
from safecities.grants.errors import NotEditable
from safecities.grants.models import Answer
from safecities.grants.permissions import may_write_question
from tests.grants.factories import confirm_partners, make_application, make_programme, nok
from tests.network.factories import coordinator_of
from tests.utils import unchanged

QUESTIONS = [
    {"kind": "text", "label": {"en": "How do young people take part?"}, "required": False},
    {"kind": "text", "label": {"en": "What does the city contribute?"}, "required": False},
]


@pytest.fixture
def call(demo, funder_officer):
    programme = make_programme(actor=funder_officer, funder=demo.funder)
    now = timezone.now()
    draft = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Youth and dialogue 2025"},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        min_amount=Money.zero("NOK"),
        max_amount=Money(Decimal(200_000), "NOK"),
    )
    services.set_questions(actor=funder_officer, call=draft, questions=QUESTIONS)
    return services.open_call(actor=funder_officer, call=draft)


@pytest.fixture
def draft(demo, call, coordinator):
    """Oslo leads; Stockholm (a city) and Nuorten ääni (an organisation) are partners."""
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.stockholm, "Shares its method"), (demo.nuorten_aani, "Recruits")],
        confirmed=False,
    )


@pytest.fixture
def questions(call):
    return list(call.questions.order_by("position", "pk"))


@pytest.fixture
def stockholm_writes_first(demo, draft, coordinator, questions):
    """The lead gives Stockholm the first question."""
    partner = draft.partners.get(municipality=demo.stockholm)
    return services.grant_questions(
        actor=coordinator, partner=partner, question_ids=[questions[0].pk]
    )


def _answer(draft, question) -> str:
    answer = Answer.objects.filter(application=draft, question=question).first()
    return answer.value if answer else ""


# --- the services ------------------------------------------------------------------------------


def test_the_lead_gives_and_takes_back_questions_audited(
    demo, draft, coordinator, questions, stockholm_writes_first
):
    partner = stockholm_writes_first
    assert partner.writes_questions == [questions[0].pk]
    event = AuditEvent.objects.filter(action="grants.partner.grant_questions").latest("pk")
    assert event.changes == {"writes_questions": [[], [questions[0].pk]]}

    services.grant_questions(actor=coordinator, partner=partner, question_ids=[])
    partner.refresh_from_db()
    assert partner.writes_questions == []


def test_only_the_lead_gives_questions_and_only_the_calls_own(
    demo, draft, coordinator, stockholm_coordinator, contact, questions, secretariat
):
    partner = draft.partners.get(municipality=demo.stockholm)
    for actor in (stockholm_coordinator, contact, secretariat):
        with unchanged(), pytest.raises(NotAllowed):
            services.grant_questions(actor=actor, partner=partner, question_ids=[questions[0].pk])
    with unchanged(), pytest.raises(InvalidInput) as refused:
        services.grant_questions(actor=coordinator, partner=partner, question_ids=[999_999])
    assert refused.value.field == f"writes_{partner.pk}"


def test_a_partner_writes_the_answers_it_was_given_and_no_others(
    demo, draft, stockholm_coordinator, contact, questions, stockholm_writes_first
):
    first, second = questions
    services.update_application(
        actor=stockholm_coordinator, application=draft, answers={first.pk: "Through the panel."}
    )
    assert _answer(draft, first) == "Through the panel."
    assert may_write_question(stockholm_coordinator, draft, first.pk)
    assert not may_write_question(stockholm_coordinator, draft, second.pk)

    with unchanged(), pytest.raises(NotAllowed) as refused:
        services.update_application(
            actor=stockholm_coordinator,
            application=draft,
            answers={first.pk: "Changed", second.pk: "Not ours to write"},
        )
    assert refused.value.field == f"answer_{second.pk}"
    assert "has not given this question to you" in str(refused.value)
    assert _answer(draft, first) == "Through the panel."

    with unchanged(), pytest.raises(NotAllowed) as refused:
        services.update_application(actor=stockholm_coordinator, application=draft, title="Ours")
    assert refused.value.field == "title"
    draft.refresh_from_db()
    assert draft.title != "Ours"

    # Nuorten ääni was given nothing: it writes nothing.
    with unchanged(), pytest.raises(NotAllowed):
        services.update_application(actor=contact, application=draft, answers={first.pk: "x"})


def test_what_a_partner_writes_stays_when_the_lead_rewrites_the_partner_list(
    demo, draft, coordinator, questions, stockholm_writes_first
):
    services.update_application(
        actor=coordinator,
        application=draft,
        partners=[(demo.stockholm, "Shares its method and trains"), (demo.nuorten_aani, "")],
    )
    assert draft.partners.get(municipality=demo.stockholm).writes_questions == [questions[0].pk]
    assert draft.partners.get(organisation=demo.nuorten_aani).writes_questions == []


def test_nothing_is_written_once_the_application_is_submitted(
    demo, draft, coordinator, stockholm_coordinator, questions, stockholm_writes_first
):
    confirm_partners(draft)
    services.submit_application(actor=coordinator, application=draft)
    draft.refresh_from_db()
    assert not may_write_question(stockholm_coordinator, draft, questions[0].pk)
    with unchanged(), pytest.raises(NotEditable):
        services.update_application(
            actor=stockholm_coordinator, application=draft, answers={questions[0].pk: "Late"}
        )
    with unchanged(), pytest.raises(NotEditable):
        services.grant_questions(
            actor=coordinator,
            partner=draft.partners.get(municipality=demo.stockholm),
            question_ids=[],
        )


# --- the pages ---------------------------------------------------------------------------------


def test_the_partner_writes_on_the_same_form_the_rest_read_only(
    demo, draft, client_for, stockholm_coordinator, questions, stockholm_writes_first
):
    first, second = questions
    client = client_for(stockholm_coordinator)
    detail = client.get(reverse("grants:application", args=[draft.pk])).content.decode()
    url = reverse("grants:application-edit", args=[draft.pk])
    assert url in detail and "Write our questions" in detail

    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert not form.fields[f"answer_{first.pk}"].disabled
    assert form.fields[f"answer_{second.pk}"].disabled and form.fields["title"].disabled
    html = page.content.decode()
    assert reverse("grants:application-submit", args=[draft.pk]) not in html
    assert 'name="partners-TOTAL_FORMS"' not in html

    # A tampered post of the read-only fields changes nothing of them.
    response = client.post(
        url,
        {
            f"answer_{first.pk}": "Young hosts run the cafés.",
            f"answer_{second.pk}": "Tampered",
            "title": "Tampered",
            "save": "draft",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert _answer(draft, first) == "Young hosts run the cafés."
    assert _answer(draft, second) == "" and draft.title != "Tampered"

    # Autosave, the lead's path too.
    response = client.post(url, {f"answer_{first.pk}": "Autosaved."}, headers={"HX-Request": "1"})
    assert response["X-Autosave"] == "saved"
    assert _answer(draft, first) == "Autosaved."


def test_a_partner_given_nothing_and_a_stranger_do_not_reach_the_form(
    demo, draft, client_for, contact, stockholm_writes_first
):
    url = reverse("grants:application-edit", args=[draft.pk])
    assert client_for(contact).get(url).status_code == 403
    assert client_for(coordinator_of(demo.drammen)).get(url).status_code == 403


def test_the_lead_gives_questions_on_the_partners_page(
    demo, draft, client_for, coordinator, stockholm_coordinator, questions
):
    first, second = questions
    stockholm = draft.partners.get(municipality=demo.stockholm)
    nuorten = draft.partners.get(organisation=demo.nuorten_aani)
    url = reverse("grants:application-partners", args=[draft.pk])
    lead = client_for(coordinator)
    page = lead.get(url)
    assert page.status_code == 200
    assert f'name="writes_{stockholm.pk}"' in page.content.decode()

    response = lead.post(url, {f"writes_{stockholm.pk}": [first.pk], f"writes_{nuorten.pk}": []})
    assert response.status_code == 302
    stockholm.refresh_from_db()
    assert stockholm.writes_questions == [first.pk]

    # An unknown question names the partner's row and changes nothing.
    with unchanged():
        response = lead.post(url, {f"writes_{stockholm.pk}": ["999999"]})
    assert response.status_code == 200
    assert f"#id_writes_{stockholm.pk}" in response.content.decode()

    # The partner sees who writes what, read-only; its post is refused and changes nothing.
    partner = client_for(stockholm_coordinator)
    page = partner.get(url).content.decode()
    assert "How do young people take part?" in page and 'type="checkbox"' not in page
    with unchanged():
        partner.post(url, {f"writes_{stockholm.pk}": [first.pk, second.pk]})
    stockholm.refresh_from_db()
    assert stockholm.writes_questions == [first.pk]
    assert client_for(coordinator_of(demo.drammen)).get(url).status_code == 403


# --- the API -----------------------------------------------------------------------------------


def test_a_partner_writes_its_answers_through_the_api_and_is_refused_the_others(
    demo, draft, client, stockholm_coordinator, questions, stockholm_writes_first
):
    first, second = questions
    raw = create_api_token(actor=stockholm_coordinator, name="Script")[1]
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/grants/applications/{draft.pk}"

    def patch(body):
        return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)

    response = patch({"answers": {str(first.pk): "Through the panel."}})
    assert response.status_code == 200, response.content
    assert _answer(draft, first) == "Through the panel."

    with unchanged():
        response = patch({"answers": {str(second.pk): "Not ours"}})
    assert response.status_code == 403
    assert response.json()["field"] == f"answers.{second.pk}"
    assert "has not given this question to you" in response.json()["message"]
    with unchanged():
        response = patch({"title": "Ours now"})
    assert response.status_code == 403 and response.json()["field"] == "title"
