"""In a blind call an uploaded file's own name ("Stockholm-stad-support-letter.pdf") would tell
the reviewer who applies: reviewers see every file answer under a neutral name, on the pages,
in the API and in the download's Content-Disposition; whoever may see the applicant sees the
name it was uploaded with."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.core.services import create_api_token
from safecities.grants import services
from safecities.grants.models import Answer
from tests.grants.factories import make_programme, nok
from tests.grants.test_views_applications import QUESTIONS, open_call, text
from tests.network.factories import decision_pdf

UPLOADED = "Oslo-kommune-support-letter.pdf"


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(1_000_000))


def _blind_application(demo, *, coordinator, funder_officer, reviewer, programme, blind=True):
    call = open_call(
        actor=funder_officer, programme=programme, blind_review=blind, questions=QUESTIONS
    )
    letter = call.questions.get(kind="file")
    application = services.create_application(
        actor=coordinator,
        call=call,
        title="Night walks",
        summary="Walks in the parks.",
        requested=nok(10_000),
        budget_lines=[("Walkers", nok(10_000))],
        lead_municipality=demo.oslo,
        starts_on=date(2025, 3, 1),
        ends_on=date(2026, 2, 28),
    )
    answers = {str(q.pk): "12" for q in call.questions.filter(kind="number")}
    answers |= {str(q.pk): "Safer parks." for q in call.questions.filter(kind="text")}
    services.update_application(
        actor=coordinator,
        application=application,
        answers=answers,
        files={str(letter.pk): decision_pdf(UPLOADED)},
    )
    application = services.submit_application(actor=coordinator, application=application)
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    return application, review, Answer.objects.get(application=application, question=letter)


@pytest.mark.django_db
def test_a_blind_reviewer_sees_no_uploaded_file_name(
    demo, coordinator, funder_officer, reviewer, programme, client_for
):
    application, review, answer = _blind_application(
        demo,
        coordinator=coordinator,
        funder_officer=funder_officer,
        reviewer=reviewer,
        programme=programme,
    )
    neutral = f"attachment-{answer.question_id}.pdf"
    client = client_for(reviewer)
    for url in (
        reverse("grants:application", args=[application.pk]),
        reverse("grants:application-versions", args=[application.pk]),
        reverse("grants:review", args=[review.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Oslo-kommune" not in text(response), url
    assert neutral in text(client.get(reverse("grants:application", args=[application.pk])))
    download = client.get(reverse("grants:answer-file", args=[answer.pk]))
    assert download.status_code == 200
    assert "Oslo-kommune" not in download["Content-Disposition"]
    assert neutral in download["Content-Disposition"]
    raw = create_api_token(actor=reviewer, name="script")[1]
    body = client_for(None).get(
        f"/api/v1/grants/applications/{application.pk}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert body.status_code == 200
    assert body.json()["files"] == {str(answer.question_id): neutral}


@pytest.mark.django_db
def test_who_may_see_the_applicant_sees_the_uploaded_name(
    demo, coordinator, funder_officer, reviewer, programme, client_for
):
    application, _review, answer = _blind_application(
        demo,
        coordinator=coordinator,
        funder_officer=funder_officer,
        reviewer=reviewer,
        programme=programme,
    )
    for person in (coordinator, funder_officer):
        page = client_for(person).get(reverse("grants:application", args=[application.pk]))
        assert UPLOADED in text(page)
        download = client_for(person).get(reverse("grants:answer-file", args=[answer.pk]))
        assert UPLOADED in download["Content-Disposition"]
