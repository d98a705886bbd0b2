"""The sums kept on rows (each application's weighted score, each programme's awarded and paid
totals, each call's counts of applications) equal a fresh aggregate of the rows after every kind
of write that could move them."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q
from django.utils import timezone

from safecities.core.money import Money
from safecities.grants import selectors, services
from safecities.grants.models import (
    Application,
    Award,
    AwardedByGoal,
    AwardedByLead,
    Call,
    Criterion,
    GrantReport,
    Payment,
    Programme,
    Review,
    Score,
    Stage,
)
from safecities.grants.selectors import programme_ledger
from safecities.network import services as network_services
from safecities.network.models import Role
from tests.core.factories import UserFactory
from tests.grants.factories import accept_agreement, make_application, make_programme, nok
from tests.utils import unchanged

CRITERIA = [
    {"name": {"en": "Relevance to the charter"}, "weight": 3},
    {"name": {"en": "Partnership"}, "weight": 1},
]


def fresh_scores() -> dict[int, tuple[int, int, int, float | None]]:
    """Per application: Σ score × weight, Σ weight and the number of submitted reviews, and the
    weighted mean, added up here in Python from the rows."""
    weights = dict(Criterion.objects.values_list("pk", "weight"))
    sums = {pk: [0, 0, 0] for pk in Application.objects.values_list("pk", flat=True)}
    for review_pk, application_pk in Review.objects.filter(
        status=Review.Status.SUBMITTED
    ).values_list("pk", "application"):
        sums[application_pk][2] += 1
        for criterion, value in Score.objects.filter(review=review_pk).values_list(
            "criterion", "value"
        ):
            sums[application_pk][0] += value * weights[criterion]
            sums[application_pk][1] += weights[criterion]
    return {pk: (s, w, n, s / w if w else None) for pk, (s, w, n) in sums.items()}


def kept_scores() -> dict[int, tuple[int, int, int, float | None]]:
    return {
        pk: (s, w, n, mean)
        for pk, s, w, n, mean in Application.objects.values_list(
            "pk", "score_sum", "weight_sum", "finished_reviews", "score_mean"
        )
    }


def fresh_totals() -> dict[int, tuple[int, int]]:
    """Per programme: awards less what closed grants released, and payments paid."""
    totals = {pk: [0, 0] for pk in Programme.objects.values_list("pk", flat=True)}
    for award in Award.objects.select_related("application__call"):
        totals[award.application.call.programme_id][0] += award.amount_minor - award.released_minor
    for payment in Payment.objects.filter(status=Payment.Status.PAID).select_related(
        "award__application__call"
    ):
        totals[payment.award.application.call.programme_id][1] += payment.amount_minor
    return {pk: tuple(t) for pk, t in totals.items()}


def kept_totals() -> dict[int, tuple[int, int]]:
    return {
        pk: (awarded, paid)
        for pk, awarded, paid in Programme.objects.values_list("pk", "awarded_minor", "paid_minor")
    }


COUNT_COLUMNS = (
    "received_count",
    "waiting_count",
    "waiting_requested_minor",
    "awarded_count",
    "declined_count",
)


def fresh_counts() -> dict[int, tuple[int, int, int, int, int]]:
    """Per call: applications received (not drafts), full proposals waiting and what they ask
    for, awarded, declined: counted here in Python from the rows."""
    counts = {pk: [0, 0, 0, 0, 0] for pk in Call.objects.values_list("pk", flat=True)}
    for call, status, stage, requested in Application.objects.values_list(
        "call", "status", "stage", "requested_minor"
    ):
        row = counts[call]
        row[0] += status != Application.Status.DRAFT
        if status == Application.Status.SUBMITTED and stage == Stage.FULL:
            row[1] += 1
            row[2] += requested
        row[3] += status == Application.Status.AWARDED
        row[4] += status == Application.Status.DECLINED
    return {pk: tuple(c) for pk, c in counts.items()}


def kept_counts() -> dict[int, tuple[int, int, int, int, int]]:
    return {pk: tuple(rest) for pk, *rest in Call.objects.values_list("pk", *COUNT_COLUMNS)}


def fresh_awarded() -> tuple[set, set]:
    """Per programme and year of decision (in Oslo): awards and their net worth per lead, and
    per charter goal, added up here in Python from the rows."""
    oslo = ZoneInfo("Europe/Oslo")
    leads, goals = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for award in Award.objects.select_related("application__call").prefetch_related(
        "application__goals"
    ):
        application = award.application
        year = award.decided_at.astimezone(oslo).year
        net = award.amount_minor - award.released_minor
        programme = application.call.programme_id
        lead = (application.lead_municipality_id, application.lead_organisation_id)
        for row in [leads[(programme, year, *lead)]] + [
            goals[(programme, year, goal.pk)] for goal in application.goals.all()
        ]:
            row[0] += 1
            row[1] += net
    return (
        {(*key, *value) for key, value in leads.items()},
        {(*key, *value) for key, value in goals.items()},
    )


def kept_awarded() -> tuple[set, set]:
    return (
        set(
            AwardedByLead.objects.values_list(
                "programme", "year", "lead_municipality", "lead_organisation", "awards", "net_minor"
            )
        ),
        set(AwardedByGoal.objects.values_list("programme", "year", "goal", "awards", "net_minor")),
    )


def assert_kept():
    assert kept_awarded() == fresh_awarded()
    assert kept_scores() == fresh_scores()
    assert kept_totals() == fresh_totals()
    assert kept_counts() == fresh_counts()


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(500_000))


def _call_with_criteria(funder_officer, programme):
    now = timezone.now()
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Kept sums"},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        min_amount=Money.zero("NOK"),
        max_amount=nok(200_000),
        requires_partnership=False,
    )
    services.set_criteria(actor=funder_officer, call=call, criteria=CRITERIA)
    return services.open_call(actor=funder_officer, call=call)


def _reviewer(secretariat, name):
    user = UserFactory(full_name=name)
    network_services.assign_role(actor=secretariat, user=user, role=Role.REVIEWER)
    return user


def _review(application, reviewer, *, by, values, submit=True):
    review = services.assign_reviewer(actor=by, application=application, reviewer=reviewer)
    relevance, partnership = application.call.criteria.all()
    return services.save_review(
        actor=reviewer,
        review=review,
        scores={relevance.pk: values[0], partnership.pk: values[1]},
        recommendation="fund" if submit else "",
        submit=submit,
    )


def test_the_kept_sums_follow_every_write(
    demo, funder_officer, coordinator, secretariat, reviewer, programme
):
    call = _call_with_criteria(funder_officer, programme)
    second = _reviewer(secretariat, "Berit Second")
    third = _reviewer(secretariat, "Carl Third")

    def apply(title, amount):
        draft = make_application(
            actor=coordinator,
            call=call,
            requested=nok(amount),
            lead_municipality=demo.oslo,
            title=title,
        )
        assert_kept()  # a draft: nothing reviewed
        return services.submit_application(actor=coordinator, application=draft)

    first = apply("First", 150_000)
    other = apply("Other", 100_000)
    assert_kept()

    # A review saved but not handed in does not count; handed in, it does.
    draft_review = _review(first, reviewer, by=secretariat, values=(5, 1), submit=False)
    assert_kept()
    assert Application.objects.get(pk=first.pk).finished_reviews == 0
    services.save_review(
        actor=reviewer,
        review=draft_review,
        scores={c.pk: v for c, v in zip(call.criteria.all(), (4, 2), strict=True)},
        recommendation="fund",
        submit=True,
    )
    assert_kept()
    _review(first, second, by=secretariat, values=(3, 5))
    assert_kept()
    kept = Application.objects.get(pk=first.pk)
    assert (kept.score_sum, kept.weight_sum, kept.finished_reviews) == (4 * 3 + 2 + 3 * 3 + 5, 8, 2)
    assert kept.score_mean == pytest.approx(28 / 8)

    # A conflict, an assignment taken back, a refused hand-in: no change.
    conflicted = services.assign_reviewer(actor=secretariat, application=other, reviewer=second)
    services.declare_conflict(actor=second, review=conflicted, reason="My cousin leads it.")
    assert_kept()
    taken_back = services.assign_reviewer(actor=secretariat, application=other, reviewer=third)
    services.unassign_reviewer(actor=secretariat, review=taken_back)
    assert_kept()
    late = services.assign_reviewer(actor=secretariat, application=other, reviewer=reviewer)
    with unchanged(), pytest.raises(services.InvalidInput):
        services.save_review(actor=reviewer, review=late, scores={}, submit=True)
    _review(other, third, by=secretariat, values=(2, 2))
    assert_kept()

    # Award, pay, return, cancel, close: the programme's totals follow.
    award = services.award_grant(application=first, amount=nok(120_000), actor=funder_officer)
    assert_kept()
    assert kept_totals()[programme.pk] == (12_000_000, 0)
    paid = services.schedule_payment(
        award=award, amount=nok(70_000), due_on=date(2025, 3, 1), actor=funder_officer
    )
    assert_kept()  # scheduled is not paid
    accept_agreement(award, runner=funder_officer)
    assert_kept()  # the agreement touches no kept sum
    services.mark_paid(payment=paid, actor=funder_officer, paid_on=date(2025, 3, 2))
    assert_kept()
    back = services.schedule_payment(
        award=award, amount=nok(30_000), due_on=date(2025, 6, 1), actor=funder_officer
    )
    services.mark_paid(payment=back, actor=funder_officer)
    assert kept_totals()[programme.pk] == (12_000_000, 10_000_000)
    services.return_payment(payment=back, actor=funder_officer)
    assert_kept()
    assert kept_totals()[programme.pk] == (12_000_000, 7_000_000)
    cancelled = services.schedule_payment(
        award=award, amount=nok(20_000), due_on=date(2025, 9, 1), actor=funder_officer
    )
    services.cancel_payment(payment=cancelled, actor=funder_officer)
    assert_kept()
    report = award.reports.get(kind=GrantReport.Kind.FINAL)
    report = services.submit_report(
        actor=coordinator,
        report=report,
        narrative="Ten debates.",
        results="Trust rose.",
        spent=nok(70_000),
    )
    services.accept_report(actor=funder_officer, report=report)
    services.close_award(actor=funder_officer, award=award)
    assert_kept()
    assert kept_totals()[programme.pk] == (7_000_000, 7_000_000)  # the unpaid rest went back
    assert programme_ledger(programme)["remaining"] == nok(430_000)

    # Decline and withdraw move the applications out of the pack; the sums stay true.
    services.decline_application(application=other, reason="Out of scope.", actor=funder_officer)
    assert_kept()
    withdrawn = apply("Withdrawn", 50_000)
    _review(withdrawn, reviewer, by=secretariat, values=(1, 0))
    services.withdraw_application(actor=coordinator, application=withdrawn)
    assert_kept()


def test_the_call_counts_follow_the_two_stages(
    demo, funder_officer, coordinator, secretariat, reviewer, programme
):
    """A concept note submitted, invited to a full proposal (its stage moves), edited (its
    amount moves, not counted while invited), submitted again, declined; a draft edited: the
    call's counts follow each write."""
    now = timezone.now()
    call = services.create_call(
        actor=funder_officer,
        programme=programme,
        title={"en": "Two stages"},
        opens_at=now - timedelta(days=1),
        concept_closes_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=30),
        min_amount=Money.zero("NOK"),
        max_amount=nok(200_000),
        requires_partnership=False,
        stages=2,
    )
    services.set_criteria(actor=funder_officer, call=call, criteria=CRITERIA)
    call = services.open_call(actor=funder_officer, call=call)
    note = make_application(
        actor=coordinator, call=call, requested=nok(80_000), lead_municipality=demo.oslo
    )
    assert_kept()
    note = services.submit_application(actor=coordinator, application=note)
    assert_kept()
    assert kept_counts()[call.pk] == (1, 0, 0, 0, 0)  # a concept note does not wait in the pack
    invited = services.invite_full_proposal(actor=funder_officer, application=note)
    assert_kept()
    invited = services.update_application(
        actor=coordinator,
        application=invited,
        requested=nok(90_000),
        budget_lines=[("Facilitators", nok(90_000))],
    )
    assert_kept()
    full = services.submit_application(actor=coordinator, application=invited)
    assert_kept()
    assert kept_counts()[call.pk] == (1, 1, 9_000_000, 0, 0)
    _review(full, reviewer, by=secretariat, values=(2, 2))
    services.decline_application(application=full, reason="Out of scope.", actor=funder_officer)
    assert_kept()
    assert kept_counts()[call.pk] == (1, 0, 0, 0, 1)
    draft = make_application(
        actor=coordinator, call=call, requested=nok(10_000), lead_municipality=demo.oslo
    )
    services.update_application(actor=coordinator, application=draft, requested=nok(20_000))
    assert_kept()
    assert selectors.decision_pack(call)["decided"] == {"declined": 1}


def test_a_refused_award_leaves_the_totals(demo, funder_officer, coordinator, reviewer, programme):
    call = _call_with_criteria(funder_officer, programme)
    application = services.submit_application(
        actor=coordinator,
        application=make_application(
            actor=coordinator, call=call, requested=nok(200_000), lead_municipality=demo.oslo
        ),
    )
    _review(application, reviewer, by=funder_officer, values=(4, 4))
    Programme.objects.filter(pk=programme.pk).update(budget_minor=10_000_000)
    with unchanged(), pytest.raises(services.BudgetExceeded):
        services.award_grant(application=application, amount=nok(150_000), actor=funder_officer)
    assert_kept()


def test_refreshing_everything_rebuilds_sums_written_around_the_services(
    demo, funder_officer, coordinator, reviewer, programme
):
    """The bench generator and the demo loader write rows in bulk, then refresh: the same
    function puts every kept sum right, however wrong it was."""
    call = _call_with_criteria(funder_officer, programme)
    application = services.submit_application(
        actor=coordinator,
        application=make_application(
            actor=coordinator, call=call, requested=nok(100_000), lead_municipality=demo.oslo
        ),
    )
    _review(application, reviewer, by=funder_officer, values=(5, 3))
    services.award_grant(application=application, amount=nok(90_000), actor=funder_officer)
    Application.objects.update(score_sum=0, weight_sum=0, finished_reviews=7, score_mean=None)
    Programme.objects.update(awarded_minor=1, paid_minor=2)
    Call.objects.update(**dict.fromkeys(COUNT_COLUMNS, 3))
    AwardedByLead.objects.update(awards=9)
    assert kept_awarded() != fresh_awarded()
    assert kept_scores() != fresh_scores()
    assert kept_counts() != fresh_counts()
    services.refresh_all()
    assert_kept()
    assert Application.objects.filter(Q(score_mean__isnull=False)).count() >= 1


def test_the_decision_pack_pages_in_the_database_as_it_ranks_whole(
    demo, funder_officer, coordinator, secretariat, reviewer, programme
):
    """A page of the pack holds the ranks, running totals and budget line of the whole
    ranking: the database ranks by the kept mean, unscored last, ties in submission order."""
    call = _call_with_criteria(funder_officer, programme)
    Programme.objects.filter(pk=programme.pk).update(budget_minor=30_000_000)  # NOK 300,000
    second = _reviewer(secretariat, "Berit Second")
    scored = {"Tie early": (3, 3), "Best": (5, 4), "Tie late": (3, 3), "Worst": (0, 1)}
    applications = {}
    for title in ["Unscored", *scored]:
        applications[title] = services.submit_application(
            actor=coordinator,
            application=make_application(
                actor=coordinator,
                call=call,
                requested=nok(100_000),
                lead_municipality=demo.oslo,
                title=title,
            ),
        )
    for title, values in scored.items():
        _review(applications[title], reviewer, by=secretariat, values=values)
    _review(applications["Best"], second, by=secretariat, values=(4, 4))
    whole = selectors.decision_pack(call)
    assert [row.application.title for row in whole["rows"]] == [
        "Best",
        "Tie early",
        "Tie late",
        "Worst",
        "Unscored",
    ]
    assert [row.score for row in whole["rows"]] == [
        Decimal("4.38"),  # (5×3 + 4 + 4×3 + 4) / 8
        Decimal("3.00"),
        Decimal("3.00"),
        Decimal("0.25"),
        None,
    ]
    assert [row.review_count for row in whole["rows"]] == [2, 1, 1, 1, 0]
    assert whole["line_at"] == 4  # three of 100,000 fit in 300,000
    assert whole["count"] == 5
    assert whole["requested_total"] == nok(500_000)

    page = selectors.decision_pack(call, offset=2, limit=2)
    assert [(r.rank, r.application_id, r.cumulative, r.within_budget) for r in page["rows"]] == [
        (r.rank, r.application_id, r.cumulative, r.within_budget) for r in whole["rows"][2:4]
    ]
    assert page["line_at"] == 4 and page["count"] == 5
    # A page above the line does not draw it; the rows still say they fit.
    above = selectors.decision_pack(call, offset=0, limit=2)
    assert above["line_at"] is None and [r.within_budget for r in above["rows"]] == [True, True]
    assert selectors.decision_pack(call, offset=5, limit=2)["rows"] == []

    # Awarded: out of the pack, and the budget line moves up with the money left.
    services.award_grant(
        application=applications["Best"], amount=nok(100_000), actor=funder_officer
    )
    after = selectors.decision_pack(call)
    assert [row.rank for row in after["rows"]] == [1, 2, 3, 4]
    assert after["rows"][0].application.title == "Tie early"
    assert after["line_at"] == 3
    assert after["decided"] == {"awarded": 1}
