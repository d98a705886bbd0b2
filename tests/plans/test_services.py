"""Action plans through the services, the way pages and the API will call them."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.errors import DomainError, NotAllowed
from safecities.core.models import AuditEvent
from safecities.core.money import Money
from safecities.core.permissions import has_perm
from safecities.grants.models import Award
from safecities.indicators.models import Indicator
from safecities.network.states import InvalidTransition
from safecities.plans import services
from safecities.plans.models import ActionPlan, Measure, MeasureIndicator, ProgressUpdate
from safecities.plans.permissions import can_view
from tests.plans.factories import adopt, make_indicator, make_plan, pdf
from tests.utils import unchanged


def actions(since: int = 0) -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="plans.", pk__gt=since)
        .order_by("id")
        .values_list("action", flat=True)
    )


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


@pytest.fixture
def goals(demo):
    return list(Goal.objects.order_by("position"))


@pytest.fixture
def plan(demo, coordinator):
    return make_plan(actor=coordinator, municipality=demo.oslo)


@pytest.fixture
def measure(demo, coordinator, plan, goals):
    return services.add_measure(
        actor=coordinator, plan=plan, title="Oslo snakker", goals=[goals[5]]
    )


# --- the whole way --------------------------------------------------------------------------


def test_a_plan_from_template_to_archive(demo, coordinator, secretariat, goals):
    since = last_event_id()
    for goal in goals:
        services.save_template_section(
            actor=secretariat,
            goal=goal,
            heading={"en": f"Our work for {goal.code}", "nb": f"Vårt arbeid: {goal.code}"},
            guidance={"en": "Say what the city does and with whom."},
        )
    plan = make_plan(actor=coordinator, municipality=demo.oslo)
    assert plan.status == ActionPlan.Status.DRAFT
    sections = list(plan.sections.order_by("position"))
    assert [s.goal for s in sections] == goals
    assert sections[0].heading["nb"].startswith("Vårt arbeid")

    plan = services.update_plan(
        actor=coordinator, plan=plan, title="Trygg i Oslo", sections={goals[0]: "Lighting."}
    )
    assert plan.title == "Trygg i Oslo"
    assert plan.sections.get(goal=goals[0]).text == "Lighting."

    measure = services.add_measure(
        actor=coordinator,
        plan=plan,
        title="Oslo snakker",
        description="City-wide debates with the Nobel Peace Center.",
        goals=[goals[5], goals[4]],
        target_groups=[term(Vocabulary.TARGET_GROUP, "youth")],
        phenomena=[term(Vocabulary.PHENOMENON, "polarisation")],
        owner_department="Culture and sport",
        partners=[demo.nuorten_aani],
        budget=Money("250000.00", "NOK"),
        starts_on=date(2025, 3, 1),
        ends_on=date(2026, 6, 30),
    )
    assert measure.status == Measure.Status.PLANNED
    assert measure.budget == Money("250000", "NOK")
    assert set(measure.goals.all()) == {goals[4], goals[5]}
    assert list(measure.partners.all()) == [demo.nuorten_aani]

    trust = make_indicator("trust-in-others")
    debates = make_indicator("debates-held", Indicator.Kind.OUTPUT)
    services.link_indicator(
        actor=coordinator, measure=measure, indicator=trust, role="outcome", direction="increase"
    )
    services.link_indicator(
        actor=coordinator, measure=measure, indicator=debates, role="output", direction="increase"
    )
    assert measure.indicators.count() == 2

    plan = adopt(actor=coordinator, plan=plan)
    assert plan.status == ActionPlan.Status.ADOPTED
    assert plan.document.name.endswith(".pdf")
    assert plan.adopted_by_body == "City council"

    today = timezone.localdate()
    services.post_progress(
        actor=coordinator,
        measure=measure,
        reported_on=today,
        text="First debate.",
        status="ongoing",
    )
    services.post_progress(
        actor=coordinator, measure=measure, reported_on=today, text="Six more.", status="ongoing"
    )
    services.post_progress(
        actor=coordinator, measure=measure, reported_on=today, text="Finished.", status="done"
    )
    measure.refresh_from_db()
    assert measure.status == Measure.Status.DONE
    assert list(measure.progress_updates.values_list("status", flat=True)) == [
        "done",
        "ongoing",
        "ongoing",
    ]

    plan = services.archive_plan(actor=coordinator, plan=plan)
    assert plan.status == ActionPlan.Status.ARCHIVED
    assert can_view(None, plan)  # archived after adoption: still public

    assert actions(since) == [
        *["plans.template.save_section"] * len(goals),
        "plans.plan.create",
        "plans.plan.update",
        "plans.measure.add",
        "plans.measure.link_indicator",
        "plans.measure.link_indicator",
        "plans.plan.adopt",
        "plans.measure.progress",
        "plans.measure.progress",
        "plans.measure.progress",
        "plans.plan.archive",
    ]
    adopted = AuditEvent.objects.get(action="plans.plan.adopt", pk__gt=since)
    assert adopted.actor == coordinator
    assert adopted.changes["status"] == ["draft", "adopted"]
    assert adopted.changes["case_number"] == ["", "2025/1234"]


def test_without_a_template_a_plan_has_a_section_per_charter_goal(plan, goals):
    assert [s.goal for s in plan.sections.order_by("position")] == goals


def test_the_secretariat_may_drive_any_citys_plan(demo, secretariat):
    plan = make_plan(actor=secretariat, municipality=demo.stockholm)
    assert plan.created_by == secretariat


# --- who may -------------------------------------------------------------------------------


def test_a_coordinator_of_another_city_is_refused(demo, stockholm_coordinator, plan, measure):
    with unchanged():
        with pytest.raises(NotAllowed) as exc:
            make_plan(actor=stockholm_coordinator, municipality=demo.oslo)
        assert exc.value.field == "municipality"
        with pytest.raises(NotAllowed):
            services.add_measure(
                actor=stockholm_coordinator, plan=plan, title="X", goals=measure.goals.all()
            )
        with pytest.raises(NotAllowed):
            services.update_measure(actor=stockholm_coordinator, measure=measure, title="Y")
        with pytest.raises(NotAllowed):
            adopt(actor=stockholm_coordinator, plan=plan)
        with pytest.raises(NotAllowed):
            services.post_progress(
                actor=stockholm_coordinator,
                measure=measure,
                reported_on=timezone.localdate(),
                text="Not ours.",
                status="ongoing",
            )
    assert make_plan(actor=stockholm_coordinator, municipality=demo.stockholm)


def test_only_the_secretariat_edits_the_template(coordinator, goals):
    with unchanged(), pytest.raises(NotAllowed):
        services.save_template_section(actor=coordinator, goal=goals[0], heading={"en": "X"})


def test_a_template_heading_needs_english(secretariat, goals):
    with unchanged(), pytest.raises(DomainError) as exc:
        services.save_template_section(actor=secretariat, goal=goals[0], heading={"nb": "Trygg"})
    assert exc.value.field == "heading"


def test_saving_a_template_section_again_updates_it(secretariat, goals):
    first = services.save_template_section(actor=secretariat, goal=goals[0], heading={"en": "A"})
    again = services.save_template_section(actor=secretariat, goal=goals[0], heading={"en": "B"})
    assert first.pk == again.pk
    assert again.display_heading == "B"


def test_drafts_are_seen_only_by_those_who_manage(demo, coordinator, member, plan):
    assert has_perm(coordinator, "plans.view", plan)
    assert not has_perm(member, "plans.view", plan)
    assert not can_view(None, plan)
    plan = adopt(actor=coordinator, plan=plan)
    assert has_perm(member, "plans.view", plan)
    assert can_view(None, plan)


# --- plans ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"ends_on": date(2024, 12, 31)}, "ends_on"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_a_plan_needs_a_title_and_a_period(demo, coordinator, fields, field):
    with unchanged(), pytest.raises(DomainError) as exc:
        make_plan(actor=coordinator, municipality=demo.oslo, **fields)
    assert exc.value.field == field


def not_a_pdf():
    return SimpleUploadedFile("plan.pdf", b"just words", "application/pdf")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"document": None}, "document"),
        ({"document": "not a pdf"}, "document"),
        ({"adopted_on": None}, "adopted_on"),
        ({"adopted_on": "future"}, "adopted_on"),
        ({"body": ""}, "body"),
        ({"case_number": " "}, "case_number"),
    ],
)
def test_adoption_needs_a_pdf_a_past_date_a_body_and_a_case(coordinator, plan, fields, field):
    if fields.get("document") == "not a pdf":
        fields["document"] = not_a_pdf()
    if fields.get("adopted_on") == "future":
        fields["adopted_on"] = timezone.localdate() + timedelta(days=1)
    with unchanged(), pytest.raises(DomainError) as exc:
        adopt(actor=coordinator, plan=plan, **fields)
    assert exc.value.field == field
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT
    assert not plan.document


def test_adopted_today_is_fine(coordinator, plan):
    assert adopt(actor=coordinator, plan=plan, adopted_on=timezone.localdate()).adopted_on


def test_a_second_adopted_plan_is_refused_naming_the_first(demo, coordinator, plan):
    adopt(actor=coordinator, plan=plan)
    second = make_plan(actor=coordinator, municipality=demo.oslo, title="Plan 2029–2032")
    with unchanged(), pytest.raises(services.AlreadyAdopted) as exc:
        adopt(actor=coordinator, plan=second, document=pdf("second.pdf"))
    assert plan.title in exc.value.message
    assert exc.value.field == "status"
    services.archive_plan(actor=coordinator, plan=plan)
    assert adopt(actor=coordinator, plan=second).status == ActionPlan.Status.ADOPTED


def test_another_city_may_adopt_at_the_same_time(demo, coordinator, plan):
    adopt(actor=coordinator, plan=plan)
    drammen = make_plan(actor=coordinator, municipality=demo.drammen)
    assert adopt(actor=coordinator, plan=drammen).status == ActionPlan.Status.ADOPTED


def test_the_database_holds_one_adopted_plan_per_city(demo, coordinator, plan):
    adopt(actor=coordinator, plan=plan)
    second = make_plan(actor=coordinator, municipality=demo.oslo)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.filter(pk=second.pk).update(
            status="adopted",
            adopted_by_body="Council",
            adopted_on=date(2025, 1, 1),
            case_number="1",
            document="x.pdf",
        )


def test_an_adopted_plan_is_not_edited_nor_adopted_again(coordinator, plan):
    plan = adopt(actor=coordinator, plan=plan)
    with unchanged():
        with pytest.raises(services.NotEditable) as exc:
            services.update_plan(actor=coordinator, plan=plan, title="New")
        assert exc.value.field == "status"
        with pytest.raises(InvalidTransition):
            adopt(actor=coordinator, plan=plan)


def test_an_archived_draft_cannot_be_adopted(coordinator, plan):
    services.archive_plan(actor=coordinator, plan=plan)
    with unchanged(), pytest.raises(InvalidTransition) as exc:
        adopt(actor=coordinator, plan=plan)
    assert exc.value.field == "status"
    with pytest.raises(InvalidTransition):
        services.archive_plan(actor=coordinator, plan=plan)


def test_a_section_outside_the_plan_is_refused(demo, coordinator, secretariat, goals):
    services.save_template_section(actor=secretariat, goal=goals[0], heading={"en": "Spaces"})
    plan = make_plan(actor=coordinator, municipality=demo.oslo)
    with unchanged(), pytest.raises(services.GoalOutsidePlan) as exc:
        services.update_plan(actor=coordinator, plan=plan, sections={goals[1]: "Text"})
    assert exc.value.field == "sections"


# --- measures ------------------------------------------------------------------------------


def test_a_measure_goal_outside_the_plan_is_refused(demo, coordinator, secretariat, goals):
    for goal in goals[:2]:
        services.save_template_section(actor=secretariat, goal=goal, heading={"en": goal.code})
    plan = make_plan(actor=coordinator, municipality=demo.oslo)
    with unchanged(), pytest.raises(services.GoalOutsidePlan) as exc:
        services.add_measure(actor=coordinator, plan=plan, title="M", goals=[goals[0], goals[3]])
    assert exc.value.field == "goals"
    measure = services.add_measure(actor=coordinator, plan=plan, title="M", goals=[goals[1]])
    with unchanged(), pytest.raises(services.GoalOutsidePlan):
        services.update_measure(actor=coordinator, measure=measure, goals=[goals[4]])
    assert list(measure.goals.all()) == [goals[1]]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"goals": []}, "goals"),
        ({"target_groups": [("phenomenon", "racism")]}, "target_groups"),
        ({"phenomena": [("target_group", "youth")]}, "phenomena"),
        ({"partners": ["oslo"]}, "partners"),
        ({"budget": 1000}, "budget"),
        ({"budget": Money("-1", "NOK")}, "budget"),
        ({"starts_on": date(2025, 5, 1), "ends_on": date(2025, 4, 30)}, "ends_on"),
    ],
)
def test_a_measure_with_bad_input_is_refused(demo, coordinator, plan, goals, fields, field):
    for name in ("target_groups", "phenomena"):
        if name in fields:
            fields[name] = [term(v, c) for v, c in fields[name]]
    if fields.get("partners") == ["oslo"]:
        fields["partners"] = [demo.oslo]
    arguments = {"title": "Measure", "goals": [goals[0]], **fields}
    with unchanged(), pytest.raises(DomainError) as exc:
        services.add_measure(actor=coordinator, plan=plan, **arguments)
    assert exc.value.field == field


def test_a_measure_is_updated_and_audited(demo, coordinator, measure):
    since = last_event_id()
    measure = services.update_measure(
        actor=coordinator,
        measure=measure,
        budget=Money("1000", "SEK"),
        partners=[demo.trygge_nabolag],
        owner_department="Education",
    )
    assert measure.budget == Money("1000", "SEK")
    event = AuditEvent.objects.get(action="plans.measure.update", pk__gt=since)
    assert event.changes["budget_minor"] == [None, 100_000]
    assert event.changes["owner_department"] == ["", "Education"]
    assert event.changes["partners"][1] == [str(demo.trygge_nabolag)]
    services.update_measure(actor=coordinator, measure=measure, budget=None)
    measure.refresh_from_db()
    assert measure.budget is None and measure.currency == ""


def test_a_measure_names_only_a_grant_of_its_city(demo, coordinator, measure):
    # The demo's grants: Kristiansand's and Skien's own, and Oslo's "Oslo snakker".
    foreign = (
        Award.objects.exclude(application__lead_municipality=demo.oslo)
        .exclude(application__partners__municipality=demo.oslo)
        .first()
    )
    with unchanged(), pytest.raises(services.GrantOfAnotherCity) as exc:
        services.update_measure(actor=coordinator, measure=measure, grant=foreign)
    assert exc.value.field == "grant"
    own = Award.objects.get(application__title="Oslo snakker")
    measure = services.update_measure(actor=coordinator, measure=measure, grant=own)
    assert measure.grant == own
    assert own.measures.get() == measure


def test_an_archived_plans_measures_are_closed(coordinator, plan, measure):
    services.archive_plan(actor=coordinator, plan=plan)
    with unchanged():
        with pytest.raises(services.NotEditable):
            services.update_measure(actor=coordinator, measure=measure, title="Later")
        with pytest.raises(services.NotEditable):
            services.add_measure(
                actor=coordinator, plan=plan, title="New", goals=measure.goals.all()
            )


# --- progress ------------------------------------------------------------------------------


def test_progress_moves_the_measure_status(coordinator, measure):
    today = timezone.localdate()
    update = services.post_progress(
        actor=coordinator, measure=measure, reported_on=today, text="Started.", status="ongoing"
    )
    assert update.status == "ongoing" and update.author == coordinator
    measure.refresh_from_db()
    assert measure.status == Measure.Status.ONGOING
    services.post_progress(
        actor=coordinator, measure=measure, reported_on=today, text="No money.", status="stopped"
    )
    measure.refresh_from_db()
    assert measure.status == Measure.Status.STOPPED


@pytest.mark.parametrize(("first", "then"), [(None, "done"), ("stopped", "ongoing")])
def test_an_impossible_move_is_refused(coordinator, measure, first, then):
    today = timezone.localdate()
    if first:
        services.post_progress(
            actor=coordinator, measure=measure, reported_on=today, text="x", status=first
        )
    before = Measure.objects.get(pk=measure.pk).status
    with unchanged(), pytest.raises(InvalidTransition) as exc:
        services.post_progress(
            actor=coordinator, measure=measure, reported_on=today, text="y", status=then
        )
    assert exc.value.field == "status"
    assert Measure.objects.get(pk=measure.pk).status == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reported_on": "tomorrow"}, "reported_on"),
        ({"text": " "}, "text"),
        ({"status": "finished"}, "status"),
    ],
)
def test_progress_with_bad_input_is_refused(coordinator, measure, fields, field):
    if fields.get("reported_on") == "tomorrow":
        fields["reported_on"] = timezone.localdate() + timedelta(days=1)
    arguments = {
        "reported_on": timezone.localdate(),
        "text": "Going well.",
        "status": "ongoing",
        **fields,
    }
    with unchanged(), pytest.raises(DomainError) as exc:
        services.post_progress(actor=coordinator, measure=measure, **arguments)
    assert exc.value.field == field
    assert not ProgressUpdate.objects.filter(measure=measure).exists()


# --- the logic model -----------------------------------------------------------------------


def test_an_indicator_is_linked_once_in_its_own_role(coordinator, measure):
    trust = make_indicator("trust-in-others")
    meetings = make_indicator("meetings-held", Indicator.Kind.OUTPUT)
    with unchanged():
        with pytest.raises(services.WrongIndicatorKind) as exc:
            services.link_indicator(
                actor=coordinator,
                measure=measure,
                indicator=meetings,
                role="outcome",
                direction="increase",
            )
        assert exc.value.field == "role"
        with pytest.raises(DomainError) as exc:
            services.link_indicator(
                actor=coordinator,
                measure=measure,
                indicator=trust,
                role="outcome",
                direction="sideways",
            )
        assert exc.value.field == "direction"
    link = services.link_indicator(
        actor=coordinator, measure=measure, indicator=trust, role="outcome", direction="increase"
    )
    assert link.get_role_display()
    with unchanged(), pytest.raises(services.AlreadyLinked) as exc:
        services.link_indicator(
            actor=coordinator,
            measure=measure,
            indicator=trust,
            role="outcome",
            direction="decrease",
        )
    assert exc.value.field == "indicator"


def test_an_indicator_is_unlinked(coordinator, measure):
    since = last_event_id()
    trust = make_indicator("trust-in-others")
    services.link_indicator(
        actor=coordinator, measure=measure, indicator=trust, role="outcome", direction="increase"
    )
    services.unlink_indicator(actor=coordinator, measure=measure, indicator=trust)
    assert not MeasureIndicator.objects.filter(measure=measure).exists()
    with unchanged(), pytest.raises(services.NotLinked):
        services.unlink_indicator(actor=coordinator, measure=measure, indicator=trust)
    assert actions(since) == ["plans.measure.link_indicator", "plans.measure.unlink_indicator"]


def test_a_coordinator_of_another_city_may_not_link(stockholm_coordinator, measure):
    trust = make_indicator("trust-in-others")
    with unchanged(), pytest.raises(NotAllowed):
        services.link_indicator(
            actor=stockholm_coordinator,
            measure=measure,
            indicator=trust,
            role="outcome",
            direction="increase",
        )
