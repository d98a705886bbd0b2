"""The review, decision and payment pages for the axe-core sweep (tests/browser/test_every_page.py):
per role, the GET pages of that role, as lambdas returning paths (they look the demo records up,
so call them with the demo loaded).

None of these pages is public. The confirm pages reached by POST (award, decline, invite) are
not in the sweep: they render after a first POST of the decide form.
"""

from django.urls import reverse

from safecities.grants.models import Application, Award, Payment, Review


def _application(title: str) -> int:
    return Application.objects.get(title=title).pk


def _open_call() -> int:
    return Application.objects.get(title="Dialogue cafés").call_id


def _two_stage_call() -> int:
    return Application.objects.get(title="Young voices Oslo East").call_id


def _award(title: str) -> int:
    return Award.objects.get(application__title=title).pk


def _payment(title: str, status: str) -> int:
    return (
        Payment.objects.filter(award__application__title=title, status=status)
        .order_by("due_on")
        .first()
        .pk
    )


def _review(title: str) -> int:
    return Review.objects.get(application__title=title, reviewer__email="reviewer@example.org").pk


_RUNNER = [
    lambda: reverse("grants:call-applications", args=[_open_call()]),
    lambda: (
        reverse("grants:call-applications", args=[_two_stage_call()])
        + "?status=awarded&stage=full&sort=amount&q=oslo"
    ),
    lambda: reverse("grants:application-reviewers", args=[_application("Dialogue cafés")]),
    lambda: reverse("grants:application-reviewers", args=[_application("Oslo snakker")]),
    lambda: reverse("grants:decision-packs"),
    lambda: reverse("grants:decision-pack", args=[_open_call()]),
    lambda: reverse("grants:decision-pack", args=[_two_stage_call()]),
    lambda: reverse("grants:application-decide", args=[_application("Dialogue cafés")]),
    lambda: reverse("grants:application-decide", args=[_application("Oslo snakker")]),
    lambda: reverse("grants:application-decide", args=[_application("Neighbourhood hosts Skien")]),
    lambda: reverse("grants:review", args=[_review("Neighbourhood hosts Skien")]),
    lambda: reverse("grants:award", args=[_award("Oslo snakker")]),
    lambda: reverse("grants:award", args=[_award("Young voices Oslo East")]),
    lambda: reverse("grants:payment-schedule", args=[_award("Young voices Oslo East")]),
    lambda: reverse(
        "grants:payment-paid", args=[_payment("Young voices Oslo East", Payment.Status.SCHEDULED)]
    ),
    lambda: reverse("grants:payment-return", args=[_payment("Oslo snakker", Payment.Status.PAID)]),
    lambda: reverse(
        "grants:payment-cancel",
        args=[_payment("Young voices Oslo East", Payment.Status.SCHEDULED)],
    ),
    lambda: reverse("grants:award-close", args=[_award("Oslo snakker")]),
    lambda: reverse("grants:award", args=[_award("Safe nightlife Kristiansand")]),  # not payable
    lambda: reverse("grants:agreement", args=[_award("Safe nightlife Kristiansand")]),  # sent
    lambda: reverse("grants:agreement-reopen", args=[_award("Safe nightlife Kristiansand")]),
    lambda: reverse("grants:agreement", args=[_award("Oslo snakker")]),  # accepted
    lambda: reverse("grants:agreement-edit", args=[_award("Oslo snakker")]),  # says it is locked
    lambda: reverse("grants:agreement-send", args=[_award("Oslo snakker")]),  # says it is sent
    lambda: reverse("grants:my-reviews"),
]

PAGES = {
    "anonymous": [],
    "coordinator": [
        lambda: reverse("grants:my-reviews"),  # the empty state
        lambda: reverse("grants:award", args=[_award("Oslo snakker")]),  # as the grantee
        lambda: reverse("grants:award", args=[_award("Young voices Oslo East")]),
        lambda: reverse("grants:agreement", args=[_award("Oslo snakker")]),  # as the lead
        lambda: reverse("grants:agreement-accept", args=[_award("Oslo snakker")]),  # accepted
        # the change request form, saying why no change may be asked for yet
        lambda: reverse("grants:change-request", args=[_award("Oslo snakker")]),
    ],
    "reviewer": [
        lambda: reverse("grants:my-reviews"),
        lambda: reverse("grants:review", args=[_review("Dialogue cafés")]),  # the scoring form
        lambda: reverse("grants:review", args=[_review("Neighbourhood hosts Skien")]),  # submitted
        lambda: reverse("grants:review-conflict", args=[_review("Dialogue cafés")]),
    ],
    "funder_officer": _RUNNER,
    "secretariat": _RUNNER,
}
