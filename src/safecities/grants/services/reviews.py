"""Reviews: assigning reviewers, conflicts of interest, scoring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import InvalidInput
from safecities.core.permissions import ensure
from safecities.network.models import (
    Municipality,
    Organisation,
    Role,
    RoleAssignment,
)

from .. import selectors, states
from ..errors import (
    NotEditable,
    ReviewerConflict,
)
from ..models import (
    Application,
    Review,
    Score,
)
from ._shared import _now
from .applications import _locked
from .sums import refresh_scores

if TYPE_CHECKING:
    from safecities.core.models import User

# --- reviews ----------------------------------------------------------------------------


def _conflict(reviewer: User, application: Application) -> str | None:
    """The applicant or partner the reviewer belongs to, if any."""
    municipality_ids, organisation_ids = selectors.affiliations(reviewer)
    parties = [application.lead_municipality or application.lead_organisation] + [
        p.party for p in application.partners.all()
    ]
    for party in parties:
        if isinstance(party, Municipality) and party.pk in municipality_ids:
            return str(party)
        if isinstance(party, Organisation) and party.pk in organisation_ids:
            return str(party)
    return None


@transaction.atomic
def assign_reviewer(*, actor: User, application: Application, reviewer: User) -> Review:
    """Assign a reviewer, unless they belong to the applicant or a partner."""
    ensure(actor, "grants.assign_reviewers", application)
    application = _locked(application)
    if application.status != Application.Status.SUBMITTED:
        raise InvalidInput(_("Only submitted applications are reviewed."), field="status")
    if not RoleAssignment.objects.filter(user=reviewer, role=Role.REVIEWER).exists():
        raise InvalidInput(
            _("%(person)s is not a reviewer.") % {"person": reviewer}, field="reviewer"
        )
    party = _conflict(reviewer, application)
    if party:
        raise ReviewerConflict(
            _("%(person)s belongs to %(party)s, which takes part in this application.")
            % {"person": reviewer, "party": party},
            field="reviewer",
        )
    if Review.objects.filter(application=application, reviewer=reviewer).exists():
        raise InvalidInput(
            _("%(person)s is already assigned.") % {"person": reviewer}, field="reviewer"
        )
    review = Review.objects.create(
        application=application, reviewer=reviewer, assigned_by=actor, assigned_at=_now()
    )
    audit.record(
        actor=actor,
        action="grants.review.assign",
        target=review,
        changes={"reviewer": [None, reviewer.email]},
    )
    outbox.owe("grants.reviewer_assigned", review.pk)
    return review


def _locked_review(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=review.pk)
    )


@transaction.atomic
def unassign_reviewer(*, actor: User, review: Review) -> None:
    """Take an assignment back before the review is submitted."""
    ensure(actor, "grants.assign_reviewers", review.application)
    review = _locked_review(review)
    if review.status == Review.Status.SUBMITTED:
        raise InvalidInput(_("A submitted review stays on record."), field="status")
    audit.record(
        actor=actor,
        action="grants.review.unassign",
        target=review.application,
        changes={"reviewer": [review.reviewer.email, None]},
    )
    review.delete()


@transaction.atomic
def declare_conflict(*, actor: User, review: Review, reason: str) -> Review:
    """The reviewer declares a conflict of interest and steps aside."""
    ensure(actor, "grants.review", review)
    if not (reason or "").strip():
        raise InvalidInput(_("Say what the conflict is."), field="conflict_reason")
    review = _locked_review(review)
    states.REVIEW.move(review, Review.Status.CONFLICT)
    review.conflict_reason = reason.strip()
    review.save(update_fields=["status", "conflict_reason"])
    audit.record(
        actor=actor,
        action="grants.review.conflict",
        target=review,
        changes={"status": [Review.Status.ASSIGNED, review.status]},
    )
    return review


@transaction.atomic
def save_review(
    *,
    actor: User,
    review: Review,
    scores: Mapping[int, int | None],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save a reviewer's scores (0–5 per criterion) and, with `submit`, hand the review in."""
    ensure(actor, "grants.review", review)
    # The application first: its kept score sums are recomputed when the review is handed in,
    # and two reviewers handing in at once must not overwrite each other's sums.
    Application.objects.select_for_update().filter(pk=review.application_id).first()
    review = _locked_review(review)
    if review.status != Review.Status.ASSIGNED:
        raise NotEditable(
            _("The review is %(status)s and can no longer be changed.")
            % {"status": review.get_status_display().lower()},
            field="status",
        )
    criteria = {c.pk: c for c in review.application.call.criteria.all()}
    cleaned: dict[int, int] = {}
    for key, value in scores.items():
        criterion = criteria.get(int(key))
        if criterion is None:
            raise InvalidInput(
                _("The call has no criterion %(key)s.") % {"key": key}, field="scores"
            )
        if value is None or value == "":
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= Score.MAX:
            raise InvalidInput(
                _("“%(criterion)s”: give a score from 0 to 5.")
                % {"criterion": criterion.display_name},
                field=f"score_{criterion.pk}",
            )
        cleaned[criterion.pk] = number
    if recommendation and recommendation not in Review.Recommendation.values:
        raise InvalidInput(_("Choose a recommendation."), field="recommendation")
    if submit:
        for criterion in criteria.values():
            if criterion.pk not in cleaned:
                raise InvalidInput(
                    _("Score “%(criterion)s” before submitting.")
                    % {"criterion": criterion.display_name},
                    field=f"score_{criterion.pk}",
                )
        if not recommendation:
            raise InvalidInput(_("Choose a recommendation."), field="recommendation")
    review.scores.all().delete()
    Score.objects.bulk_create(
        [Score(review=review, criterion_id=pk, value=value) for pk, value in cleaned.items()]
    )
    review.recommendation = recommendation
    review.comment = (comment or "").strip()
    fields = ["recommendation", "comment"]
    if submit:
        states.REVIEW.move(review, Review.Status.SUBMITTED)
        review.submitted_at = _now()
        fields += ["status", "submitted_at"]
    review.save(update_fields=fields)
    if submit:
        refresh_scores(Application.objects.filter(pk=review.application_id))
    audit.record(
        actor=actor,
        action="grants.review.submit" if submit else "grants.review.save",
        target=review,
        changes={
            "scores": [None, {str(k): v for k, v in sorted(cleaned.items())}],
            "recommendation": [None, recommendation],
            **({"status": [Review.Status.ASSIGNED, review.status]} if submit else {}),
        },
    )
    return review
