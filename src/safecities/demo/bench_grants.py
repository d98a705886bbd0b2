"""The bench's grants scenario: one call with tens of thousands of applications.

At scale 1 a synthetic programme of the demo funder holds one closed call with 20,000
applications from the synthetic network: most are submitted full proposals awaiting a decision,
two in three of those are reviewed (two reviews each, a score per criterion), and some are
awarded, with payments and reports. The bench times the call's decision pack, as the funder
officer, and the programme's public overview, against the floor.

The rows are written directly with `bulk_create`, not through `safecities.grants.services`:
they are test data for timing, and 20,000 applications through the services would take
minutes. The sums the services keep on rows are then computed from the rows, set-based. The generator keeps the rules the pages rely on: every award is at most what was asked
and fits the programme's budget, scheduled and paid payments never exceed their award, and
budget lines add up to the amount requested.
"""

from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from safecities.charter.models import Goal
from safecities.core.models import User
from safecities.grants.models import (
    Application,
    Award,
    BudgetLine,
    Call,
    Criterion,
    GrantReport,
    Partner,
    Payment,
    Programme,
    Review,
    Score,
    Stage,
)
from safecities.grants.services import (
    refresh_awarded,
    refresh_call_counts,
    refresh_programme_totals,
    refresh_scores,
)
from safecities.network.models import (
    Membership,
    Organisation,
    OrganisationType,
    Role,
    RoleAssignment,
)

SCALE_1 = {"applications": 20_000, "reviewers": 40}
PROGRAMME_SLUG = "bench-grants"
FUNDER_SLUG = "gjensidigestiftelsen"  # the demo funder, whose officer requests the pack
CURRENCY = "NOK"
OPENS = date(2025, 1, 6)
CLOSES = date(2025, 3, 31)
# Share of applications in each state; the rest are submitted full proposals awaiting a decision.
STATUS_SHARES = [
    (Application.Status.DRAFT, 0.08),
    (Application.Status.WITHDRAWN, 0.04),
    (Application.Status.DECLINED, 0.10),
    (Application.Status.AWARDED, 0.06),
]
REVIEWED_SHARE = 2 / 3  # of the applications that were submitted
REVIEWS_PER_APPLICATION = 2
# The budget leaves room for this share of what the waiting proposals ask, so the pack's
# budget line falls part-way down the ranking.
BUDGET_HEADROOM = 0.3
CRITERIA = [
    ({"en": "Relevance to the charter", "nb": "Relevans for charteret"}, 3),
    ({"en": "Strength of the partnership", "nb": "Styrken i partnerskapet"}, 2),
    ({"en": "Measurable effect", "nb": "Målbar effekt"}, 3),
]
BUDGET_ITEMS = ["Project lead", "Activities", "Venues", "Training", "Evaluation", "Communication"]
TOPICS = [
    "Youth dialogue", "Safe nights", "Neighbourhood hosts", "Online moderators", "Parents' circles",
    "Mentors", "Debate club", "School mediators", "Sports against hate", "Trust in politics",
]  # fmt: skip


# Counted in the bench's table of rows.
ROW_MODELS = [Application, Review, Score, Award, Payment]


def scaled(scale: float) -> dict[str, int]:
    counts = {name: max(1, round(count * scale)) for name, count in SCALE_1.items()}
    counts["reviewers"] = max(counts["reviewers"], REVIEWS_PER_APPLICATION + 1)
    return counts


def _aware(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _nok(kroner: int) -> int:
    return kroner * 100


def generate(generator) -> None:
    """Add the grants scenario to the database of `generator` (a `bench_network.Generator`,
    whose seeded random generator, synthetic cities, organisations and logins it uses)."""
    GrantsScenario(generator).run()


class GrantsScenario:
    def __init__(self, generator):
        self.rng = generator.rng
        self.counts = scaled(generator.scale)
        self.bulk = generator._bulk
        self.cities = generator.cities
        self.organisations = generator.organisations
        self.coordinator_of = generator.coordinator_of
        self.contact_of = generator.contact_of
        self.member_city_ids = {
            m.municipality_id
            for m in generator.memberships
            if m.municipality_id and m.status == Membership.Status.ACTIVE
        }

    def run(self) -> None:
        self.programme = Programme.objects.create(
            funder=Organisation.objects.get(slug=FUNDER_SLUG),
            name="Bench grants programme",
            slug=PROGRAMME_SLUG,
            currency=CURRENCY,
            budget_minor=1,  # set below, once the awards are known
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
            description={"en": "A synthetic programme of the benchmark."},
        )
        self.call = Call.objects.create(
            programme=self.programme,
            title={"en": "Bench call", "nb": "Benkutlysning"},
            text={"en": "A synthetic call of the benchmark."},
            opens_at=_aware(OPENS, 9),
            closes_at=_aware(CLOSES, 22),
            min_amount_minor=_nok(50_000),
            max_amount_minor=_nok(500_000),
            requires_partnership=True,
            status=Call.Status.CLOSED,
        )
        self.goals = list(Goal.objects.order_by("position"))
        self.call.goals.set(self.goals)
        self.criteria = self.bulk(
            Criterion,
            [
                Criterion(call=self.call, position=n, name=name, weight=weight)
                for n, (name, weight) in enumerate(CRITERIA, start=1)
            ],
        )
        self.reviewers = self._reviewers()
        self.applications()
        self.reviews()
        self.awards()
        self.budget()
        # Written in bulk around the services: the kept sums (each application's weighted score,
        # the programme's awarded and paid totals, the call's counts) are computed from the rows, set-based.
        refresh_scores(Application.objects.filter(call=self.call))
        refresh_call_counts(Call.objects.filter(pk=self.call.pk))
        refresh_programme_totals(Programme.objects.filter(pk=self.programme.pk))
        refresh_awarded(Programme.objects.filter(pk=self.programme.pk))

    def _reviewers(self) -> list[User]:
        unusable = make_password(None)
        users = self.bulk(
            User,
            [
                User(
                    email=f"reviewer{n}@bench.example.org",
                    full_name=f"Bench Reviewer {n}",
                    password=unusable,
                    date_joined=_aware(OPENS),
                )
                for n in range(1, self.counts["reviewers"] + 1)
            ],
        )
        self.bulk(RoleAssignment, [RoleAssignment(user=u, role=Role.REVIEWER) for u in users])
        return users

    def _status(self) -> str:
        roll = self.rng.random()
        for status, share in STATUS_SHARES:
            if roll < share:
                return status
            roll -= share
        return Application.Status.SUBMITTED

    def applications(self) -> None:
        """Led by a member city (three in four) or a civil-society organisation, each with a
        partner of the other kind, one or two charter goals and two or three budget lines."""
        member_cities = [c for c in self.cities if c.pk in self.member_city_ids] or self.cities
        csos = [
            o for o in self.organisations if o.type == OrganisationType.CSO
        ] or self.organisations
        applications, plans = [], []
        span = (CLOSES - OPENS).days
        for n in range(self.counts["applications"]):
            status = self._status()
            city = self.rng.choice(member_cities)
            organisation = self.rng.choice(csos)
            city_leads = self.rng.random() < 0.75
            requested = self.rng.randrange(50, 501) * 1_000
            submitted = decided = None
            if status != Application.Status.DRAFT:
                submitted = _aware(OPENS + timedelta(days=self.rng.randrange(span)), 14)
            if status == Application.Status.DECLINED:
                decided = submitted + timedelta(days=60)
            elif status == Application.Status.AWARDED:
                decided = _aware(date(2025, 5, 20) + timedelta(days=self.rng.randrange(560)), 10)
            starts = date(2025, self.rng.randrange(5, 10), 1)
            applications.append(
                Application(
                    call=self.call,
                    stage=Stage.FULL,
                    lead_municipality=city if city_leads else None,
                    lead_organisation=None if city_leads else organisation,
                    title=f"{self.rng.choice(TOPICS)} {city.name} {n + 1}",
                    summary="A synthetic application of the benchmark.",
                    requested_minor=_nok(requested),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=365),
                    status=status,
                    illustrative=True,
                    created_by=(
                        self.coordinator_of.get(city.pk)
                        if city_leads
                        else self.contact_of.get(organisation.pk)
                    ),
                    submitted_at=submitted,
                    decided_at=decided,
                    decision_reason=(
                        "A synthetic decision: ranked below the line."
                        if status == Application.Status.DECLINED
                        else ""
                    ),
                )
            )
            plans.append((city, organisation, city_leads, requested))
        self.rows = self.bulk(Application, applications)
        partners, lines, goal_links = [], [], []
        GoalLink = Application.goals.through
        for application, (city, organisation, city_leads, requested) in zip(
            self.rows, plans, strict=True
        ):
            partner = {"organisation": organisation} if city_leads else {"municipality": city}
            partners.append(Partner(application=application, role="Partner", **partner))
            count = self.rng.choice((2, 3))
            items = self.rng.sample(BUDGET_ITEMS, count)
            cuts = sorted(self.rng.sample(range(1, requested // 1_000), count - 1))
            bounds = [0, *cuts, requested // 1_000]
            for position, label in enumerate(items):
                lines.append(
                    BudgetLine(
                        application=application,
                        position=position,
                        label=label,
                        amount_minor=_nok((bounds[position + 1] - bounds[position]) * 1_000),
                    )
                )
            for goal in self.rng.sample(self.goals, self.rng.choice((1, 2))):
                goal_links.append(GoalLink(application_id=application.pk, goal_id=goal.pk))
        self.bulk(Partner, partners)
        self.bulk(BudgetLine, lines)
        self.bulk(GoalLink, goal_links)

    def reviews(self) -> None:
        """Two submitted reviews with a score per criterion for two in three submitted
        applications; one review still to do for a few more."""
        reviews, scored = [], []
        for application in self.rows:
            if (
                application.submitted_at is None
                or application.status == Application.Status.WITHDRAWN
            ):
                continue
            roll = self.rng.random()
            assigned = application.submitted_at + timedelta(days=7)
            if roll < REVIEWED_SHARE:
                for reviewer in self.rng.sample(self.reviewers, REVIEWS_PER_APPLICATION):
                    reviews.append(
                        Review(
                            application=application,
                            reviewer=reviewer,
                            status=Review.Status.SUBMITTED,
                            recommendation=self.rng.choice(Review.Recommendation.values),
                            comment="A synthetic review.",
                            assigned_at=assigned,
                            submitted_at=assigned + timedelta(days=14),
                        )
                    )
                    scored.append(True)
            elif roll < REVIEWED_SHARE + 0.1:
                reviews.append(
                    Review(
                        application=application,
                        reviewer=self.rng.choice(self.reviewers),
                        assigned_at=assigned,
                    )
                )
                scored.append(False)
        reviews = self.bulk(Review, reviews)
        scores = [
            Score(review=review, criterion=criterion, value=self.rng.choice((1, 2, 3, 3, 4, 4, 5)))
            for review, has_scores in zip(reviews, scored, strict=True)
            if has_scores
            for criterion in self.criteria
        ]
        self.bulk(Score, scores)

    def awards(self) -> None:
        """Awards of at most what was asked, paid in one or two tranches, each owing a final
        report."""
        awards = []
        for application in self.rows:
            if application.status != Application.Status.AWARDED:
                continue
            amount = application.requested_minor
            if self.rng.random() < 0.3:  # nine tenths, in whole kroner thousands
                amount = amount * 9 // 10 // _nok(1_000) * _nok(1_000)
            awards.append(
                Award(
                    application=application,
                    amount_minor=amount,
                    decided_at=application.decided_at,
                )
            )
        self.awarded = awards = self.bulk(Award, awards)
        payments, reports = [], []
        for award in awards:
            decided = award.decided_at.date()
            first = award.amount_minor // 2
            payments.append(
                Payment(
                    award=award,
                    label="First tranche",
                    amount_minor=first,
                    status=Payment.Status.PAID,
                    due_on=decided + timedelta(days=30),
                    paid_on=decided + timedelta(days=30),
                )
            )
            second_paid = self.rng.random() < 0.5
            payments.append(
                Payment(
                    award=award,
                    label="Second tranche",
                    amount_minor=award.amount_minor - first,
                    status=Payment.Status.PAID if second_paid else Payment.Status.SCHEDULED,
                    due_on=decided + timedelta(days=240),
                    paid_on=decided + timedelta(days=240) if second_paid else None,
                )
            )
            reports.append(
                GrantReport(
                    award=award,
                    kind=GrantReport.Kind.FINAL,
                    due_on=award.application.ends_on + timedelta(days=60),
                )
            )
        self.bulk(Payment, payments)
        self.bulk(GrantReport, reports)

    def budget(self) -> None:
        """What was awarded, and room for part of what still waits: the ledger stays within."""
        waiting = sum(
            a.requested_minor for a in self.rows if a.status == Application.Status.SUBMITTED
        )
        budget = sum(a.amount_minor for a in self.awarded) + int(waiting * BUDGET_HEADROOM)
        million = _nok(1_000_000)
        Programme.objects.filter(pk=self.programme.pk).update(
            budget_minor=(budget // million + 1) * million
        )


def page_paths() -> dict[str, str]:
    """The bench's grant pages, by URL name: the call's decision pack, the programme, and the
    programme's report for the year of its newest awards."""
    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    call = Call.objects.filter(programme=programme).order_by("pk").first()
    newest = Award.objects.filter(application__call__programme=programme).order_by("-decided_at")
    year = newest.values_list("decided_at__year", flat=True).first() or programme.starts_on.year
    return {
        "decision_pack": reverse("grants:decision-pack", args=[call.pk]),
        "grant_programme": reverse("grants:programme", args=[programme.slug]),
        "programme_report": reverse("reports:programme", args=[programme.slug, year]),
    }
