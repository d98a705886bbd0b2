"""A full proposal is decided on its reviews: the services refuse to award or decline one before
at least one review of it is finished; a concept note is invited or declined without review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safecities.grants import services
from safecities.grants.models import Application, Award, Review, Stage
from safecities.grants.states import InvalidTransition
from safecities.network.models import Role, RoleAssignment
from tests.core.factories import UserFactory
from tests.grants.factories import (
    finish_review,
    make_application,
    make_open_call,
    make_programme,
    nok,
    submitted_application,
)
from tests.utils import unchanged


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder)


@pytest.fixture
def proposal(demo, coordinator, funder_officer, programme):
    """A submitted full proposal, nobody has reviewed yet."""
    call = make_open_call(actor=funder_officer, programme=programme)
    return submitted_application(
        actor=coordinator, call=call, requested=nok(150_000), lead_municipality=demo.oslo
    )


@pytest.fixture
def concept(demo, coordinator, funder_officer, programme):
    """A submitted concept note of a two-stage call, nobody has reviewed."""
    now = timezone.now()
    call = make_open_call(
        actor=funder_officer,
        programme=programme,
        stages=2,
        concept_closes_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
    )
    note = make_application(
        actor=coordinator,
        call=call,
        requested=nok(80_000),
        lead_municipality=demo.oslo,
        budget_lines=[],
    )
    return services.submit_application(actor=coordinator, application=note)


def award(application, officer):
    return services.award_grant(application=application, amount=nok(100_000), actor=officer)


def decline(application, officer):
    return services.decline_application(
        application=application, reason="Outside the call's aims.", actor=officer
    )


def assert_still_submitted(application):
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.decision_reason == ""
    assert not Award.objects.filter(application=application).exists()


@pytest.mark.parametrize("decide", [award, decline], ids=["award", "decline"])
def test_an_unreviewed_full_proposal_is_not_decided(proposal, funder_officer, decide):
    assert proposal.stage == Stage.FULL
    with unchanged(), pytest.raises(services.NotReviewed) as exc:
        decide(proposal, funder_officer)
    assert exc.value.field == "status"
    assert exc.value.status == 409
    assert "No review of this proposal is finished yet" in exc.value.message
    assert_still_submitted(proposal)


@pytest.mark.parametrize("decide", [award, decline], ids=["award", "decline"])
def test_a_review_assigned_or_saved_but_not_submitted_is_not_enough(
    proposal, funder_officer, reviewer, decide
):
    review = services.assign_reviewer(actor=funder_officer, application=proposal, reviewer=reviewer)
    services.save_review(
        actor=reviewer,
        review=review,
        scores={c.pk: 3 for c in proposal.call.criteria.all()},
        recommendation="fund",
    )  # saved, not handed in
    with unchanged(), pytest.raises(services.NotReviewed):
        decide(proposal, funder_officer)
    assert_still_submitted(proposal)


def test_one_submitted_review_among_unfinished_ones_lets_the_proposal_be_awarded(
    proposal, funder_officer, reviewer
):
    other = UserFactory(email="second-reviewer@example.net")
    RoleAssignment.objects.create(user=other, role=Role.REVIEWER)
    services.assign_reviewer(actor=funder_officer, application=proposal, reviewer=other)
    finish_review(proposal, actor=funder_officer, reviewer=reviewer)
    assert list(proposal.reviews.order_by("status").values_list("status", flat=True)) == [
        Review.Status.ASSIGNED,
        Review.Status.SUBMITTED,
    ]
    granted = award(proposal, funder_officer)
    proposal.refresh_from_db()
    assert proposal.status == Application.Status.AWARDED
    assert granted.amount == nok(100_000)


def test_a_reviewed_proposal_is_declined(proposal, secretariat, funder_officer):
    finish_review(proposal, actor=secretariat)
    decline(proposal, funder_officer)
    proposal.refresh_from_db()
    assert proposal.status == Application.Status.DECLINED
    assert proposal.decision_reason == "Outside the call's aims."


def test_a_proposal_no_longer_submitted_fails_its_move_not_the_review_rule(
    demo, coordinator, funder_officer, programme
):
    call = make_open_call(actor=funder_officer, programme=programme)
    draft = make_application(
        actor=coordinator, call=call, requested=nok(1000), lead_municipality=demo.oslo
    )
    for decide in (award, decline):
        with unchanged(), pytest.raises(InvalidTransition):
            decide(draft, funder_officer)


def test_a_concept_note_is_declined_without_review(concept, funder_officer):
    assert concept.stage == Stage.CONCEPT
    decline(concept, funder_officer)
    concept.refresh_from_db()
    assert concept.status == Application.Status.DECLINED
    assert not concept.reviews.exists()


def test_a_concept_note_is_invited_without_review(concept, funder_officer):
    services.invite_full_proposal(actor=funder_officer, application=concept)
    concept.refresh_from_db()
    assert (concept.status, concept.stage) == (Application.Status.INVITED, Stage.FULL)
    assert not concept.reviews.exists()
