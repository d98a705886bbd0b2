"""The runners' and reviewers' grant pages: reviews, the decision pack, awards and payments.

Everything goes through the pages with the test client; data is made with the real services.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecities.grants import services
from safecities.grants.models import Application, Award, GrantReport, Payment, Review
from safecities.grants.selectors import programme_ledger
from safecities.network import services as network_services
from safecities.network.models import Role
from tests.core.factories import UserFactory
from tests.grants.factories import (
    accept_agreement,
    make_application,
    make_programme,
    nok,
    submitted_application,
)
from tests.utils import sign_in, unchanged

CRITERIA = [
    {"name": {"en": "Relevance"}, "description": {"en": "Fits the charter."}, "weight": 3},
    {"name": {"en": "Feasibility"}, "weight": 1},
]


def make_call(*, actor, programme, **overrides):
    """An open call with two weighted criteria."""
    now = timezone.now()
    fields = {
        "title": {"en": "Partnerships 2026"},
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "max_amount": nok(200_000),
    }
    fields.update(overrides)
    call = services.create_call(actor=actor, programme=programme, **fields)
    services.set_criteria(actor=actor, call=call, criteria=CRITERIA)
    return services.open_call(actor=actor, call=call)


def make_reviewer(secretariat, name: str, **scope):
    user = UserFactory(full_name=name)
    network_services.assign_role(actor=secretariat, user=user, role=Role.REVIEWER)
    for role, kwargs in scope.items():
        network_services.assign_role(actor=secretariat, user=user, role=role, **kwargs)
    return user


def _client(user) -> Client:
    return sign_in(Client(), user)


def _row(page: str, text: str = "Night walks") -> str:
    """The table row of `page` that holds `text`."""
    return next(row for row in page.split("<tr") if text in row)


def html(response) -> str:
    return response.content.decode()


def field_error(response, field: str) -> str:
    """The validation message shown under a field (core/forms/field.html)."""
    match = re.search(rf'id="id_{field}_error">(.*?)</p>', html(response), re.S)
    return match.group(1) if match else ""


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder)


@pytest.fixture
def call(programme, funder_officer):
    return make_call(actor=funder_officer, programme=programme)


@pytest.fixture
def submit(demo, coordinator):
    """submit(call, title, requested=150_000, **fields) -> a submitted application led by Oslo."""

    def make(call, title, requested=150_000, **fields):
        fields.setdefault("lead_municipality", demo.oslo)
        return submitted_application(
            actor=coordinator, call=call, requested=nok(requested), title=title, **fields
        )

    return make


@pytest.fixture
def score(funder_officer):
    """score(application, reviewer, value, comment=...) -> a submitted review, all criteria
    scored `value`."""

    def make(application, reviewer, value, comment="Solid plan.", submit=True):
        review = services.assign_reviewer(
            actor=funder_officer, application=application, reviewer=reviewer
        )
        return services.save_review(
            actor=reviewer,
            review=review,
            scores={c.pk: value for c in application.call.criteria.all()},
            recommendation="fund",
            comment=comment,
            submit=submit,
        )

    return make


@pytest.fixture
def application(call, submit):
    return submit(call, "Night walks")


@pytest.fixture
def award(application, funder_officer, score, reviewer):
    score(application, reviewer, 4)  # a full proposal is decided on a finished review
    return services.award_grant(application=application, amount=nok(150_000), actor=funder_officer)


# --- a call's applications ------------------------------------------------------------------


def test_call_applications_list_submitted_ones_with_their_scores(
    demo, call, submit, score, funder_client, reviewer, coordinator
):
    scored = submit(call, "Night walks")
    score(scored, reviewer, 4)
    make_application(
        actor=coordinator,
        call=call,
        requested=nok(1000),
        lead_municipality=demo.oslo,
        title="Secret draft",
    )
    response = funder_client.get(reverse("grants:call-applications", args=[call.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Night walks" in page
    assert "Secret draft" not in page  # never drafts
    assert "4.00" in page  # weighted score
    assert "1 / 1" in page  # reviews submitted / assigned
    assert reverse("grants:application-reviewers", args=[scored.pk]) in page
    assert reverse("grants:application-decide", args=[scored.pk]) in page


def test_call_applications_filter_and_sort(call, submit, funder_client):
    submit(call, "Bravo", requested=50_000)
    submit(call, "Alpha", requested=100_000)
    submit(call, "Charlie", requested=20_000)
    url = reverse("grants:call-applications", args=[call.pk])
    page = html(funder_client.get(url, {"sort": "title"}))
    assert page.index("Alpha") < page.index("Bravo") < page.index("Charlie")
    page = html(funder_client.get(url, {"sort": "amount"}))
    assert page.index("Alpha") < page.index("Bravo") < page.index("Charlie")
    page = html(funder_client.get(url, {"q": "brav"}))
    assert "Bravo" in page and "Alpha" not in page
    page = html(funder_client.get(url, {"status": "awarded"}))
    assert "Bravo" not in page and "No submitted applications match." in page


def test_call_applications_take_the_same_queries_for_3_or_12(
    call, submit, score, secretariat_client, reviewer
):
    def add(n):
        for i in range(n):
            application = submit(call, f"Project {Application.objects.count()} {i}")
            score(application, reviewer, i % 6)

    url = reverse("grants:call-applications", args=[call.pk])
    add(3)
    few = count_queries(secretariat_client, url)
    add(9)
    many = count_queries(secretariat_client, url)
    assert few == many
    assert many <= 8


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("member", 403),
        ("coordinator", 403),
        ("organisation_contact", 403),
        ("reviewer", 403),
        ("funder_officer", 200),
        ("secretariat", 200),
    ],
)
def test_only_runners_open_the_runners_pages(demo, client_for, award, role, expected):
    application = award.application
    client = client_for(demo.users[role])
    for url in (
        reverse("grants:call-applications", args=[application.call_id]),
        reverse("grants:application-reviewers", args=[application.pk]),
        reverse("grants:decision-pack", args=[application.call_id]),
        reverse("grants:application-decide", args=[application.pk]),
        reverse("grants:payment-schedule", args=[award.pk]),
        reverse("grants:award-close", args=[award.pk]),
    ):
        assert client.get(url).status_code == expected, (url, role)


def test_anonymous_visitors_are_sent_to_log_in(client, award):
    url = reverse("grants:decision-pack", args=[award.application.call_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert client.get(reverse("grants:my-reviews")).status_code == 302


# --- assigning reviewers ----------------------------------------------------------------------


def test_a_runner_assigns_a_reviewer(application, funder_client, reviewer):
    url = reverse("grants:application-reviewers", args=[application.pk])
    page = html(funder_client.get(url))
    assert f'value="{reviewer.pk}"' in page  # offered: holds the reviewer role
    response = funder_client.post(url, {"reviewer": reviewer.pk}, follow=True)
    assert response.redirect_chain[-1][0] == url
    review = Review.objects.get(application=application)
    assert review.reviewer == reviewer and review.status == Review.Status.ASSIGNED
    page = html(response)
    assert "is assigned to review the application" in page
    assert str(reviewer) in page
    assert f'value="{reviewer.pk}"' not in page  # not offered twice


def test_only_reviewers_are_offered(application, funder_client, member):
    url = reverse("grants:application-reviewers", args=[application.pk])
    with unchanged():
        response = funder_client.post(url, {"reviewer": member.pk})
    assert response.status_code == 200
    assert field_error(response, "reviewer")


def test_a_reviewer_from_a_partner_is_refused_naming_the_party(
    demo, call, submit, funder_client, secretariat
):
    conflicted = make_reviewer(
        secretariat,
        "Kari Konflikt",
        **{Role.ORGANISATION_CONTACT: {"organisation": demo.nuorten_aani}},
    )
    application = submit(call, "Youth forum", partners=[(demo.nuorten_aani, "Youth work")])
    url = reverse("grants:application-reviewers", args=[application.pk])
    with unchanged():
        response = funder_client.post(url, {"reviewer": conflicted.pk})
    assert response.status_code == 200
    message = field_error(response, "reviewer")
    assert "Kari Konflikt" in message
    assert str(demo.nuorten_aani) in message
    assert not Review.objects.filter(application=application).exists()


def test_a_runner_unassigns_a_review_not_yet_submitted(
    application, funder_officer, reviewer, funder_client
):
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    url = reverse("grants:review-unassign", args=[review.pk])
    assert funder_client.get(url).status_code == 405
    response = funder_client.post(url)
    assert response["Location"] == reverse("grants:application-reviewers", args=[application.pk])
    assert not Review.objects.filter(pk=review.pk).exists()


def test_a_submitted_review_stays(application, score, reviewer, funder_client):
    review = score(application, reviewer, 3)
    with unchanged():
        funder_client.post(reverse("grants:review-unassign", args=[review.pk]))
    assert Review.objects.filter(pk=review.pk).exists()


# --- reviewing --------------------------------------------------------------------------------


def test_my_reviews_is_empty_for_someone_without_reviews(member_client):
    response = member_client.get(reverse("grants:my-reviews"))
    assert response.status_code == 200
    assert "You have no reviews." in html(response)


def test_my_reviews_lists_the_reviewers_assignments(application, funder_officer, reviewer):
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    client = _client(reviewer)
    page = html(client.get(reverse("grants:my-reviews")))
    assert "Night walks" in page
    assert reverse("grants:review", args=[review.pk]) in page
    assert "Oslo" in page  # not a blind call


def test_a_reviewer_scores_saves_then_submits(application, funder_officer, reviewer):
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    relevance, feasibility = application.call.criteria.all()
    client = _client(reviewer)
    url = reverse("grants:review", args=[review.pk])
    page = html(client.get(url))
    assert re.search(r"Relevance <span[^>]*>weight 3 · 0–5</span>", page)
    assert "Fits the charter." in page
    assert "Night walks" in page and "Facilitators" in page  # the content under review
    # the application and the form beside it, in one two-column block
    response = client.get(url)
    block = response.content.decode().split('<div class="sc-review">', 1)[1]
    application_part, form_part = block.split('<div class="sc-review__side">', 1)
    assert "Night walks" in application_part and "Facilitators" in application_part
    assert f'name="score_{relevance.pk}"' in form_part and 'value="submit"' in form_part
    assert "cannot be changed" in page
    assert reverse("grants:review-conflict", args=[review.pk]) in page

    response = client.post(
        url, {f"score_{relevance.pk}": "4", "comment": "Half done", "action": "save"}
    )
    assert response["Location"] == url
    review.refresh_from_db()
    assert review.status == Review.Status.ASSIGNED
    assert {s.criterion_id: s.value for s in review.scores.all()} == {relevance.pk: 4}

    with unchanged():  # incomplete: refused at the missing criterion
        response = client.post(
            url, {f"score_{relevance.pk}": "4", "recommendation": "fund", "action": "submit"}
        )
    assert response.status_code == 200
    assert "Feasibility" in field_error(response, f"score_{feasibility.pk}")
    review.refresh_from_db()
    assert review.status == Review.Status.ASSIGNED

    response = client.post(
        url,
        {
            f"score_{relevance.pk}": "4",
            f"score_{feasibility.pk}": "2",
            "recommendation": "fund_with_changes",
            "comment": "Good.",
            "action": "submit",
        },
    )
    assert response["Location"] == url
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert review.recommendation == "fund_with_changes"
    page = html(client.get(url))
    assert "3.50" in page  # (4×3 + 2×1) / 4
    assert 'name="action"' not in page  # no form any more
    with unchanged():
        client.post(url, {f"score_{relevance.pk}": "0", "action": "save"})


def test_a_reviewer_sees_the_other_reviews_only_after_submitting(
    application, funder_officer, reviewer, secretariat, score
):
    other = make_reviewer(secretariat, "Berit Other")
    score(application, other, 5, comment="Strong local anchoring")
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    client = _client(reviewer)
    url = reverse("grants:review", args=[review.pk])
    page = html(client.get(url))
    assert "Strong local anchoring" not in page
    assert "Berit Other" not in page
    assert "once you have submitted yours" in page

    client.post(
        url,
        {
            **{f"score_{c.pk}": "3" for c in application.call.criteria.all()},
            "recommendation": "fund",
            "action": "submit",
        },
    )
    page = html(client.get(url))
    assert "Strong local anchoring" in page
    assert "Berit Other" in page


def test_only_the_assigned_reviewer_opens_a_review(
    demo, application, funder_officer, reviewer, client_for, score
):
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    url = reverse("grants:review", args=[review.pk])
    for role in ("member", "coordinator", "funder_officer", "secretariat"):
        assert client_for(demo.users[role]).get(url).status_code == 403, role
    assert client_for(demo.users["reviewer"]).get(url).status_code == 200


def test_runners_read_a_submitted_review(application, reviewer, funder_client, score):
    review = score(application, reviewer, 4, comment="Worth funding")
    response = funder_client.get(reverse("grants:review", args=[review.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Worth funding" in page
    assert 'name="action"' not in page


def test_a_blind_call_hides_the_applicant_from_the_reviewer(
    demo, programme, funder_officer, submit, reviewer, funder_client
):
    call = make_call(
        actor=funder_officer, programme=programme, blind_review=True, title={"en": "Blind 2026"}
    )
    application = submit(call, "Night walks")
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    client = _client(reviewer)
    for url in (reverse("grants:review", args=[review.pk]), reverse("grants:my-reviews")):
        response = client.get(url)
        assert response.status_code == 200
        # the demo's own reviews (not blind) may be listed too: look at this application's part
        page = html(response)
        part = page[page.index("<main") :] if url != reverse("grants:my-reviews") else _row(page)
        assert "Night walks" in part
        assert demo.oslo.name not in part, url
    assert "Applicant hidden for blind review" in html(
        client.get(reverse("grants:review", args=[review.pk]))
    )
    # whoever runs the call sees who applies
    page = html(funder_client.get(reverse("grants:application-reviewers", args=[application.pk])))
    assert demo.oslo.name in page
    page = html(funder_client.get(reverse("grants:call-applications", args=[call.pk])))
    assert demo.oslo.name in page


def test_a_reviewer_declares_a_conflict(demo, application, funder_officer, reviewer, client_for):
    review = services.assign_reviewer(
        actor=funder_officer, application=application, reviewer=reviewer
    )
    url = reverse("grants:review-conflict", args=[review.pk])
    assert client_for(demo.users["member"]).get(url).status_code == 403
    client = _client(reviewer)
    assert client.get(url).status_code == 200
    with unchanged():
        response = client.post(url, {"conflict_reason": ""})
    assert field_error(response, "conflict_reason")
    response = client.post(url, {"conflict_reason": "I advised the city on this project."})
    assert response["Location"] == reverse("grants:my-reviews")
    review.refresh_from_db()
    assert review.status == Review.Status.CONFLICT
    assert review.conflict_reason == "I advised the city on this project."
    page = html(client.get(reverse("grants:review", args=[review.pk])))
    assert "Facilitators" not in page  # no longer reads the application
    runners_page = html(
        _client(funder_officer).get(reverse("grants:application-reviewers", args=[application.pk]))
    )
    assert "I advised the city on this project." in runners_page


# --- the decision pack ------------------------------------------------------------------------


def test_the_decision_pack_ranks_by_score_and_draws_the_budget_line(
    demo, funder_officer, submit, score, reviewer, secretariat, funder_client
):
    programme = make_programme(
        actor=funder_officer, funder=demo.funder, budget=nok(300_000), name="Small programme"
    )
    call = make_call(actor=funder_officer, programme=programme)
    second = make_reviewer(secretariat, "Berit Other")
    top = submit(call, "Alpha project", requested=150_000)
    low = submit(call, "Bravo project", requested=100_000)
    middle = submit(call, "Charlie project", requested=100_000)
    score(top, reviewer, 5)
    score(top, second, 4)
    score(low, reviewer, 2)
    score(middle, reviewer, 4)

    response = funder_client.get(reverse("grants:decision-pack", args=[call.pk]))
    assert response.status_code == 200
    page = html(response)
    alpha, charlie, bravo = (page.index(t) for t in ("Alpha", "Charlie", "Bravo"))
    line = page.index("Budget runs out here")
    assert alpha < charlie < line < bravo  # 150 000 + 100 000 fit in 300 000; the next does not
    assert "remaining NOK\xa0300,000" in page
    assert page.index("Over budget") > line
    assert page.count("Over budget") == 1
    assert "4.50" in page  # Alpha's weighted score over two reviews
    assert "(2 reviews)" in page
    assert "NOK\xa0350,000" in page  # cumulative at Bravo, and the total requested
    # What each row leaves of the programme's money, or how far it falls short.
    assert "NOK\xa0150,000 left" in page and "NOK\xa050,000 left" in page
    assert "NOK\xa050,000 short" in page
    assert reverse("grants:application-decide", args=[low.pk]) in page


def test_the_decision_pack_takes_the_same_queries_for_3_or_12(
    call, submit, score, reviewer, funder_client
):
    def add(n):
        for i in range(n):
            application = submit(call, f"Project {Application.objects.count()} {i}")
            score(application, reviewer, i % 6)

    url = reverse("grants:decision-pack", args=[call.pk])
    add(3)
    few = count_queries(funder_client, url)
    add(9)
    many = count_queries(funder_client, url)
    assert few == many
    # The session, the user, the call, the roles; the call's kept counts, the page of the
    # ranking and its applications; the ledger.
    assert many == 8


# --- deciding ---------------------------------------------------------------------------------


def test_an_award_is_confirmed_then_made(application, score, reviewer, funder_client):
    score(application, reviewer, 4)  # a proposal is decided once a review is finished
    url = reverse("grants:application-decide", args=[application.pk])
    page = html(funder_client.get(url))
    assert 'value="150,000"' in page  # the amount requested, as English writes it
    assert (application.ends_on + timedelta(days=60)).isoformat() in page  # final report due
    data = {
        "action": "award",
        "amount": "120 000",
        "conditions": "Report on youth reached.",
        "final_report_due": "2026-05-01",
        "interim_report_due": "2025-09-01",
    }
    with unchanged():
        response = funder_client.post(url, data)
    assert response.status_code == 200
    page = html(response)
    assert "Award the grant?" in page and 'name="confirmed" value="yes"' in page

    response = funder_client.post(url, {**data, "confirmed": "yes"})
    award = Award.objects.get(application=application)
    assert response["Location"] == reverse("grants:award", args=[award.pk])
    assert award.amount == nok(120_000)
    assert award.conditions == "Report on youth reached."
    assert sorted(award.reports.values_list("kind", "due_on")) == [
        (GrantReport.Kind.FINAL, date(2026, 5, 1)),
        (GrantReport.Kind.INTERIM, date(2025, 9, 1)),
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED


def test_an_award_over_the_remaining_budget_is_refused(
    demo, funder_officer, submit, score, reviewer, funder_client
):
    programme = make_programme(
        actor=funder_officer, funder=demo.funder, budget=nok(300_000), name="Small programme"
    )
    call = make_call(actor=funder_officer, programme=programme)
    first = submit(call, "Alpha project", requested=200_000)
    score(first, reviewer, 4)
    services.award_grant(application=first, amount=nok(200_000), actor=funder_officer)
    second = submit(call, "Bravo project", requested=150_000)
    score(second, reviewer, 3)
    url = reverse("grants:application-decide", args=[second.pk])
    assert "NOK\xa0100,000" in html(funder_client.get(url))  # left in the programme
    with unchanged():
        response = funder_client.post(
            url,
            {
                "action": "award",
                "amount": "150000",
                "final_report_due": "2026-05-01",
                "confirmed": "yes",
            },
        )
    assert response.status_code == 200
    message = field_error(response, "amount")
    assert "NOK\xa0100,000" in message and "left in" in message
    second.refresh_from_db()
    assert second.status == Application.Status.SUBMITTED


def test_a_runner_declines_with_a_reason(application, score, reviewer, funder_client):
    score(application, reviewer, 1)
    url = reverse("grants:application-decide", args=[application.pk])
    with unchanged():
        response = funder_client.post(url, {"action": "decline", "reason": ""})
    assert field_error(response, "reason")
    with unchanged():
        response = funder_client.post(url, {"action": "decline", "reason": "Out of scope."})
    assert "Decline the application?" in html(response)
    response = funder_client.post(
        url, {"action": "decline", "reason": "Out of scope.", "confirmed": "yes"}
    )
    assert response["Location"] == reverse("grants:decision-pack", args=[application.call_id])
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.decision_reason == "Out of scope."


def test_a_concept_note_is_invited_to_a_full_proposal(
    demo, programme, funder_officer, submit, funder_client
):
    now = timezone.now()
    call = make_call(
        actor=funder_officer,
        programme=programme,
        stages=2,
        concept_closes_at=now + timedelta(days=10),
        title={"en": "Two stages 2026"},
    )
    concept = submit(call, "Concept: night walks")
    assert concept.stage == "concept"
    page = html(funder_client.get(reverse("grants:decision-pack", args=[call.pk])))
    assert "Concept notes waiting for a decision" in page and "Concept: night walks" in page
    url = reverse("grants:application-decide", args=[concept.pk])
    page = html(funder_client.get(url))
    assert 'value="invite"' in page and 'name="amount"' not in page
    with unchanged():
        funder_client.post(url, {"action": "award", "amount": "1000", "confirmed": "yes"})
    response = funder_client.post(url, {"action": "invite", "confirmed": "yes"})
    assert response.status_code == 302
    concept.refresh_from_db()
    assert concept.status == Application.Status.INVITED and concept.stage == "full"


# --- awards and payments ----------------------------------------------------------------------


def test_the_award_page_is_for_runners_and_the_grantee(demo, award, client_for):
    url = reverse("grants:award", args=[award.pk])
    expected = {
        "member": 403,
        "coordinator": 200,  # coordinates Oslo, the grantee
        "organisation_contact": 403,
        "reviewer": 403,
        "funder_officer": 200,
        "secretariat": 200,
    }
    for role, status in expected.items():
        assert client_for(demo.users[role]).get(url).status_code == status, role
    grantee_page = html(client_for(demo.users["coordinator"]).get(url))
    assert "NOK\xa0150,000" in grantee_page
    assert reverse("grants:payment-schedule", args=[award.pk]) not in grantee_page
    runner_page = html(client_for(demo.users["funder_officer"]).get(url))
    assert reverse("grants:payment-schedule", args=[award.pk]) in runner_page


def test_two_tranches_scheduled_and_paid_update_the_ledger(award, funder_client, funder_officer):
    programme = award.application.call.programme
    accept_agreement(award, runner=funder_officer)
    schedule = reverse("grants:payment-schedule", args=[award.pk])
    for label, amount, due in (
        ("First", "100000", "2025-03-01"),
        ("Second", "50 000", "2025-09-01"),
    ):
        response = funder_client.post(schedule, {"label": label, "amount": amount, "due_on": due})
        assert response["Location"] == reverse("grants:award", args=[award.pk])
    first, second = Payment.objects.filter(award=award).order_by("due_on")
    assert (first.label, first.amount, second.amount) == ("First", nok(100_000), nok(50_000))
    assert programme_ledger(programme)["paid"] == nok(0)

    paid = reverse("grants:payment-paid", args=[first.pk])
    assert "Mark as paid" in html(funder_client.get(paid))
    funder_client.post(paid, {"paid_on": "2025-03-02"})
    funder_client.post(reverse("grants:payment-paid", args=[second.pk]), {"paid_on": ""})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Payment.Status.PAID
    assert first.paid_on == date(2025, 3, 2) and second.paid_on == timezone.localdate()
    ledger = programme_ledger(programme)
    assert ledger["paid"] == nok(150_000)
    assert ledger["awarded"] == nok(150_000)
    page = html(funder_client.get(reverse("grants:award", args=[award.pk])))
    assert "NOK\xa0150,000" in page

    with unchanged():  # a third tranche would pay more than the award
        response = funder_client.post(
            schedule, {"label": "Third", "amount": "1", "due_on": "2025-12-01"}
        )
    assert response.status_code == 200
    assert "Only NOK\xa00 of the award" in field_error(response, "amount")


def test_a_scheduled_payment_is_cancelled_and_a_paid_one_returned(
    award, funder_officer, funder_client
):
    scheduled = services.schedule_payment(
        award=award, amount=nok(50_000), due_on=date(2025, 3, 1), actor=funder_officer
    )
    paid = services.schedule_payment(
        award=award, amount=nok(100_000), due_on=date(2025, 2, 1), actor=funder_officer
    )
    accept_agreement(award, runner=funder_officer)
    services.mark_paid(payment=paid, actor=funder_officer)
    cancel = reverse("grants:payment-cancel", args=[scheduled.pk])
    with unchanged():
        assert "not made" in html(funder_client.get(cancel))  # what cancelling does
    assert funder_client.post(cancel).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == Payment.Status.CANCELLED

    url = reverse("grants:payment-return", args=[paid.pk])
    assert funder_client.get(url).status_code == 200
    funder_client.post(url, {"returned_on": "2025-04-01"})
    paid.refresh_from_db()
    assert paid.status == Payment.Status.RETURNED and paid.returned_on == date(2025, 4, 1)
    # a returned payment cannot be paid: the page says so and offers no button
    page = html(funder_client.get(reverse("grants:payment-paid", args=[paid.pk])))
    assert "this cannot be done to it" in page
    with unchanged():
        funder_client.post(reverse("grants:payment-paid", args=[paid.pk]), {"paid_on": ""})


def test_closing_releases_the_unpaid_rest_to_the_programme(
    award, funder_officer, coordinator, funder_client
):
    programme = award.application.call.programme
    payment = services.schedule_payment(
        award=award, amount=nok(100_000), due_on=date(2025, 3, 1), actor=funder_officer
    )
    accept_agreement(award, runner=funder_officer)
    services.mark_paid(payment=payment, actor=funder_officer)
    close = reverse("grants:award-close", args=[award.pk])

    with unchanged():  # the final report is not accepted yet
        response = funder_client.post(close)
    assert response.status_code == 200
    assert "Accept the final report" in html(response)

    report = award.reports.get(kind=GrantReport.Kind.FINAL)
    services.submit_report(
        actor=coordinator,
        report=report,
        narrative="Twelve night walks.",
        results="Fewer incidents.",
        spent=nok(100_000),
    )
    accept = reverse("grants:report-accept", args=[report.pk])
    with unchanged():
        assert "cannot be sent back" in html(funder_client.get(accept))  # what accepting does
    funder_client.post(accept)
    report.refresh_from_db()
    assert report.status == GrantReport.Status.ACCEPTED

    page = html(funder_client.get(close))
    assert "NOK\xa050,000" in page  # what goes back
    response = funder_client.post(close)
    assert response["Location"] == reverse("grants:award", args=[award.pk])
    award.refresh_from_db()
    assert award.closed_at is not None
    assert award.released == nok(50_000)
    ledger = programme_ledger(programme)
    assert ledger["awarded"] == nok(100_000)
    assert ledger["remaining"] == nok(900_000)
