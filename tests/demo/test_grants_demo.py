"""The demo grants: Gjensidigestiftelsen's programmes, written through the real services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from safecities.core.money import Money
from safecities.demo.loader import Loader
from safecities.grants import selectors
from safecities.grants.models import (
    Answer,
    Application,
    ApplicationVersion,
    Award,
    BudgetLine,
    Call,
    Criterion,
    GrantReport,
    Partner,
    Payment,
    Programme,
    ProgrammeLine,
    Question,
    Review,
    Score,
    Stage,
)

pytestmark = pytest.mark.django_db

GRANT_MODELS = [
    Programme, Call, Criterion, Question, Application, Answer, ApplicationVersion, Partner,
    BudgetLine, Review, Score, Award, Payment, GrantReport,
]  # fmt: skip


def nok(amount) -> Money:
    return Money(Decimal(amount), "NOK")


def test_the_two_programmes_of_gjensidigestiftelsen_with_their_real_totals(demo):
    programmes = {p.slug: p for p in Programme.objects.select_related("funder")}
    assert {slug: (p.name, p.budget) for slug, p in programmes.items()} == {
        "safe-cities-norway-2020-2023": ("Safe Cities Norway 2020–2023", nok(38_400_000)),
        "safe-cities-norway-2024-2026": ("Safe Cities Norway 2024–2026", nok(25_000_000)),
    }
    for programme in programmes.values():
        assert programme.funder == demo.funder
        assert set(programme.description) == {"en", "nb", "sv"}
    assert "38,4 millioner" in programmes["safe-cities-norway-2020-2023"].description["nb"]


def test_one_open_call_in_2024_2026_with_criteria_and_questions_of_every_kind(demo):
    [call] = selectors.open_calls()
    assert call.programme.slug == "safe-cities-norway-2024-2026"
    assert call.title == {
        "en": "Local partnerships against hate 2027",
        "nb": "Lokale partnerskap mot hat 2027",
        "sv": "Lokala partnerskap mot hat 2027",
    }
    assert set(call.text) == set(call.eligibility) == {"en", "nb", "sv"}
    assert "illustrative" in call.text["en"]
    assert call.stages == 1 and call.requires_partnership
    assert call.max_amount == nok(500_000)
    assert call.goals.count() == 4
    days_left = call.closes_at - timezone.now()
    assert timedelta(days=59) < days_left <= timedelta(days=61)
    criteria = list(call.criteria.all())
    assert [c.weight for c in criteria] == [3, 2, 3]
    assert all(set(c.name) == {"en", "nb", "sv"} for c in criteria)
    questions = list(call.questions.all())
    assert {q.kind for q in questions} == set(Question.Kind.values)
    assert all(set(q.label) == {"en", "nb", "sv"} for q in questions)
    assert [q.required for q in questions].count(False) == 1
    [choice] = [q for q in questions if q.kind == Question.Kind.CHOICE]
    assert len(choice.choices) == 3
    assert all(set(c["label"]) == {"en", "nb", "sv"} for c in choice.choices)
    # The earlier calls are closed, and their dates lie in the past.
    closed = Call.objects.exclude(pk=call.pk)
    assert set(closed.values_list("status", flat=True)) == {Call.Status.CLOSED}
    assert not closed.filter(closes_at__gte=timezone.now()).exists()
    youth = Call.objects.get(title__en="Youth and democracy 2025")
    assert youth.two_stage and youth.concept_closes_at < youth.closes_at


def test_every_application_status_and_stage_is_present(demo):
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    youth = Call.objects.get(title__en="Youth and democracy 2025")
    assert youth.applications.filter(
        stage=Stage.CONCEPT, status=Application.Status.DECLINED
    ).exists()
    invited = youth.applications.get(status=Application.Status.INVITED)
    assert invited.stage == Stage.FULL
    declined = Application.objects.filter(
        status=Application.Status.DECLINED, stage=Stage.FULL
    ).first()
    assert declined.decision_reason


def test_the_named_records_the_grant_pages_rely_on(demo):
    [open_call] = selectors.open_calls()
    draft = Application.objects.get(title="Safe summer nights")
    assert (draft.status, draft.call, draft.lead_municipality) == ("draft", open_call, demo.oslo)
    assert draft.partners.filter(organisation__type="cso").exists()

    cafes = Application.objects.get(title="Dialogue cafés")
    assert cafes.status == Application.Status.SUBMITTED and cafes.call == open_call
    reviewer = demo.users["reviewer"]
    [review] = cafes.reviews.all()
    assert (review.reviewer, review.status) == (reviewer, Review.Status.ASSIGNED)
    municipality_ids, organisation_ids = selectors.affiliations(reviewer)
    parties = {cafes.lead_municipality_id} | set(
        cafes.partners.values_list("municipality_id", flat=True)
    )
    assert not municipality_ids & parties
    assert not organisation_ids & set(cafes.partners.values_list("organisation_id", flat=True))
    assert cafes.answers.exclude(file="").get().filename == "letter-of-intent.pdf"

    # The other submitted proposal carries the reviewer's scores, so the pack has a ranking.
    pack = selectors.decision_pack(open_call)
    assert pack["count"] == 2
    first, second = pack["rows"]
    assert first.application.title == "Neighbourhood hosts Skien"
    assert first.score == Decimal("3.63") and second.score is None  # (4·3 + 4·2 + 3·3) / 8
    scored = Review.objects.get(application=first.application)
    assert scored.status == Review.Status.SUBMITTED and scored.reviewer == reviewer
    assert scored.scores.count() == open_call.criteria.count() == 3


def test_oslo_snakker_was_awarded_to_oslo_with_the_nobel_peace_center_and_paid_twice(demo):
    application = Application.objects.get(title="Oslo snakker")
    assert application.status == Application.Status.AWARDED
    assert application.lead_municipality == demo.oslo
    assert application.call.programme.slug == "safe-cities-norway-2020-2023"
    assert [p.party.slug for p in application.partners.all()] == ["nobel-peace-center"]
    award = application.award
    assert award.decided_at.year == 2023
    payments = list(award.payments.all())
    assert [p.status for p in payments] == [Payment.Status.PAID, Payment.Status.PAID]
    assert sum(p.amount_minor for p in payments) == award.amount_minor
    [report] = award.reports.all()
    assert (report.kind, report.status) == (GrantReport.Kind.FINAL, GrantReport.Status.SUBMITTED)
    assert report.narrative and report.results and report.spent and report.links
    assert "illustrative" in application.summary


def test_young_voices_oslo_east_has_a_scheduled_payment_and_an_overdue_report(demo):
    application = Application.objects.get(title="Young voices Oslo East")
    assert application.status == Application.Status.AWARDED
    assert application.lead_municipality == demo.oslo
    assert application.call.programme.slug == "safe-cities-norway-2024-2026"
    statuses = [p.status for p in application.award.payments.all()]
    assert statuses == [Payment.Status.PAID, Payment.Status.SCHEDULED]
    overdue = selectors.reports_visible_to(demo.users["coordinator"], overdue_only=True)
    assert (application, GrantReport.Kind.INTERIM) in [
        (r.award.application, r.kind) for r in overdue
    ]
    # Submitted twice: the concept note and the full proposal, each kept as a version.
    versions = list(application.versions.all())
    assert [v.stage for v in versions] == [Stage.CONCEPT, Stage.FULL]
    assert versions[0].submitted_at < versions[1].submitted_at < application.award.decided_at


def test_each_ledger_stays_within_its_budget_and_equals_the_rows(demo):
    years, cities = set(), {}
    for programme in Programme.objects.all():
        ledger = selectors.programme_ledger(programme)
        awards = Award.objects.filter(application__call__programme=programme)
        net = awards.aggregate(t=Sum(F("amount_minor") - F("released_minor")))["t"]
        paid = Payment.objects.filter(award__in=awards, status=Payment.Status.PAID).aggregate(
            t=Sum("amount_minor")
        )["t"]
        assert ledger["awarded"].minor_units == net
        assert ledger["paid"].minor_units == paid
        assert ledger["paid"] <= ledger["awarded"] <= ledger["budget"]
        assert ledger["remaining"] == ledger["budget"] - ledger["awarded"]
        for award in awards:
            committed = award.payments.exclude(status__in=["returned", "cancelled"])
            assert sum(p.amount_minor for p in committed) <= award.amount_minor
            assert award.amount_minor <= award.application.requested_minor
        breakdown = selectors.programme_breakdown(programme)
        years |= {int(s.label) for s in breakdown["by_year"]}
        cities[programme.slug] = [s.label for s in breakdown["by_city"]]
        assert breakdown["by_goal"]
    assert years == set(range(2020, 2027))
    assert len(cities["safe-cities-norway-2020-2023"]) >= 3
    assert len(cities["safe-cities-norway-2024-2026"]) >= 3
    # One grant was closed and gave back what was never paid out.
    assert Award.objects.filter(closed_at__isnull=False, released_minor__gt=0).count() == 1


def test_loading_twice_adds_nothing(demo):
    before = {model: model.objects.count() for model in GRANT_MODELS}
    assert Loader().run() == 0
    assert {model: model.objects.count() for model in GRANT_MODELS} == before


def test_every_demo_application_is_illustrative(demo):
    assert Application.objects.exists()
    assert not Application.objects.filter(illustrative=False).exists()


def test_the_funders_support_sums_to_the_seeds_634_million_on_the_pages_and_in_the_ledgers(
    demo, client
):
    """NOK 63.4 million in all: 38.4 for 2020–2023 (10 of it in 2020) and 25 for 2024–2026. The
    list of programmes, each programme page and the ledgers summed from the award and payment
    rows agree, and each programme's lines add up to its budget."""
    index = client.get("/grants/")
    listed = index.context["programmes"]
    assert sum((p.budget for p in listed), nok(0)) == nok(63_400_000)
    assert {p.slug: p.budget for p in listed} == {
        "safe-cities-norway-2020-2023": nok(38_400_000),
        "safe-cities-norway-2024-2026": nok(25_000_000),
    }
    for programme in listed:
        page = client.get(f"/grants/programmes/{programme.slug}/")
        shown = page.context["ledger"]
        from_rows = selectors.programme_ledger(programme, until=date(9999, 1, 1))
        assert shown == from_rows
        assert (programme.awarded, programme.paid, programme.remaining) == (
            from_rows["awarded"],
            from_rows["paid"],
            from_rows["remaining"],
        )
        awards = Award.objects.filter(application__call__programme=programme)
        net = awards.aggregate(n=Sum(F("amount_minor") - F("released_minor")))["n"]
        assert shown["awarded"] == Money.from_minor(net, "NOK")
        lines = page.context["lines"]
        assert sum((row["budget"] for row in lines), nok(0)) == shown["budget"]
        assert page.context["unallocated"] == nok(0)
        # Every call draws on a pot, so the pots' awards are the programme's.
        assert sum((row["awarded"] for row in lines), nok(0)) == shown["awarded"]
        assert sum((row["paid"] for row in lines), nok(0)) == shown["paid"]
        assert str(shown["budget"]) in page.content.decode()
        # The API gives the same split, line by line.
        api = client.get(f"/api/v1/grants/programmes/{programme.slug}").json()
        assert api["unallocated"] == "0.00"
        assert [
            (a["name"], a["budget"], a["awarded"], a["paid"], a["left"]) for a in api["lines"]
        ] == [
            (
                row["line"].name,
                f"{row['budget'].amount:f}",
                f"{row['awarded'].amount:f}",
                f"{row['paid'].amount:f}",
                f"{row['left'].amount:f}",
            )
            for row in lines
        ]
    pot_2020 = ProgrammeLine.objects.get(name="Safer Norwegian Cities 2020")
    assert pot_2020.amount == nok(10_000_000)
    assert pot_2020.programme.slug == "safe-cities-norway-2020-2023"
    assert pot_2020.calls.count() == 1


def test_the_open_call_is_limited_to_safe_cities_norway_and_its_applications_fit(demo):
    call = Call.objects.get(title__en="Local partnerships against hate 2027")
    assert call.national_programme == demo.programme
    assert selectors.who_may_apply(call) == [
        "Every party is in a member city of Safe Cities Norway."
    ]
    sent = call.applications.exclude(status=Application.Status.DRAFT)
    assert sent.exists()
    for application in sent:
        assert selectors.ineligible_parties(application) == [], application.title


def test_every_submitted_demo_report_spends_per_approved_line_within_it(demo):
    """What the award page shows per budget line adds up to what each report says it spent,
    and no line passes what the agreement approved."""
    reports = GrantReport.objects.exclude(status=GrantReport.Status.DUE).select_related("award")
    assert reports.exists()
    for report in reports:
        spends = list(report.spends.select_related("budget_line"))
        assert spends, report
        assert sum(s.spent_minor for s in spends) == report.spent_minor, report
    for award in Award.objects.all():
        for row in selectors.line_spending(award):
            assert row.spent <= row.approved, (award, row.line.label)
