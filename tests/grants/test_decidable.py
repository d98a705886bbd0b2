# ruff: noqa: F811 - the fixtures imported from test_views_reviews are named as arguments
"""`states.may_be_decided` and its query, `states.decidable`, agree on every kind of
application: a submitted concept note, a full proposal before and after its first finished
review, a withdrawn one and a decided one. The funder's start page lists what the query gives."""

from django.urls import reverse

from safecities.grants import services, states
from safecities.grants.models import Application, Review
from tests.grants.factories import nok
from tests.grants.test_views_reviews import (  # noqa: F401 - fixtures
    call,
    programme,
    score,
    submit,
)


def test_the_predicate_and_the_query_agree(
    call, submit, score, reviewer, coordinator, funder_officer
):
    submit(call, "Unreviewed walks")
    reviewed = submit(call, "Reviewed walks")
    score(reviewed, reviewer, 4)
    withdrawn = submit(call, "Withdrawn walks")
    score(withdrawn, reviewer, 5)
    services.withdraw_application(actor=coordinator, application=withdrawn)
    awarded = submit(call, "Awarded walks")
    score(awarded, reviewer, 5)
    services.award_grant(application=awarded, amount=nok(1000), actor=funder_officer)
    made = Application.objects.filter(call=call)

    by_predicate = {
        a.title
        for a in made
        if states.may_be_decided(
            a, finished_reviews=a.reviews.filter(status=Review.Status.SUBMITTED).count()
        )
    }
    assert by_predicate == {"Reviewed walks"}
    assert {a.title for a in states.decidable(made)} == by_predicate


def test_the_funder_is_asked_to_decide_only_what_may_be_decided(demo, client_for, funder_officer):
    """On the demo, "Dialogue cafés" waits for its review: the start page does not ask the
    funder to decide it, and does ask for the reviewed "Neighbourhood hosts Skien"."""
    page = client_for(funder_officer).get(reverse("core:start")).content.decode()
    for title, listed in (("Neighbourhood hosts Skien", True), ("Dialogue cafés", False)):
        url = reverse("grants:application-decide", args=[Application.objects.get(title=title).pk])
        assert (url in page) is listed, title
