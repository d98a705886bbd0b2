"""The practice workflow, each state and the moves allowed from it in one table, and the
predicates every caller asks (services, pages, templates, the API).

A member drafts a practice and submits it; the secretariat returns it with feedback (a draft
again) or publishes it; a published practice can be taken off the bank (a draft again).
"""

from __future__ import annotations

from safecities.core.states import InvalidTransition, Workflow

from .models import Practice

P = Practice.Status

PRACTICE = Workflow(
    Practice,
    {
        P.DRAFT: {P.SUBMITTED},
        P.SUBMITTED: {P.DRAFT, P.PUBLISHED},  # returned with feedback, or published
        P.PUBLISHED: {P.DRAFT},  # unpublished
    },
    tones={P.SUBMITTED: "info", P.PUBLISHED: "success"},
)


def submittable(practice: Practice) -> bool:
    """A draft: its author may still change it, and hand it in."""
    return PRACTICE.may_move(practice, P.SUBMITTED)


def reviewable(practice: Practice) -> bool:
    """Submitted: waiting for the secretariat to return or publish it."""
    return PRACTICE.may_move(practice, P.PUBLISHED)


def unpublishable(practice: Practice) -> bool:
    return practice.published


__all__ = ["PRACTICE", "InvalidTransition", "reviewable", "submittable", "unpublishable"]
