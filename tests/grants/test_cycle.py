"""The grant cycle through its services: questions and criteria per call, two stages,
versions, reviews with conflicts, the decision pack, reports, closing and reminders."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils import timezone, translation

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.permissions import has_perm
from safecities.demo.pdf import simple_pdf
from safecities.grants import selectors, services
from safecities.grants.models import (
    Answer,
    Application,
    ApplicationVersion,
    Call,
    GrantReport,
    Payment,
    Question,
    Review,
    Stage,
)
from safecities.grants.views.tables import ranking_rows
from safecities.network.models import Person, Role, RoleAssignment
from tests.core.factories import UserFactory
from tests.grants.factories import (
    accept_agreement,
    finish_review,
    make_application,
    make_call_past_its_concept_deadline,
    make_open_call,
    make_programme,
    nok,
)
from tests.utils import unchanged

QUESTIONS = [
    {"kind": "text", "label": {"en": "Why now?", "nb": "Hvorfor nå?"}, "required": True},
    {"kind": "number", "label": {"en": "Young people reached"}, "required": True},
    {
        "kind": "choice",
        "label": {"en": "Main arena"},
        "choices": [
            {"value": "school", "label": {"en": "School", "nb": "Skole"}},
            {"value": "online", "label": {"en": "Online"}},
        ],
    },
    {"kind": "date", "label": {"en": "First event"}, "required": False},
    {"kind": "file", "label": {"en": "Letter of support (PDF)"}, "required": False},
]
CRITERIA = [
    {"name": {"en": "Relevance to the charter"}, "weight": 3},
    {"name": {"en": "Partnership"}, "weight": 1},
]


@pytest.fixture
def programme(demo, funder_officer):
    return make_programme(actor=funder_officer, funder=demo.funder, budget=nok(300_000))


def _draft_call(funder_officer, programme, **fields):
    now = timezone.now()
    values = {
        "title": {"en": "Partnerships 2027"},
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "max_amount": nok(200_000),
    }
    values.update(fields)
    return services.create_call(actor=funder_officer, programme=programme, **values)


@pytest.fixture
def call(funder_officer, programme):
    call = _draft_call(funder_officer, programme)
    services.set_criteria(actor=funder_officer, call=call, criteria=CRITERIA)
    services.set_questions(actor=funder_officer, call=call, questions=QUESTIONS)
    return services.open_call(actor=funder_officer, call=call)


def q(call, kind) -> Question:
    return call.questions.get(kind=kind)


def complete(coordinator, application, call):
    """Answer the required questions."""
    return services.update_application(
        actor=coordinator,
        application=application,
        answers={
            q(call, "text").pk: "Because the summer starts.",
            q(call, "number").pk: "120",
            q(call, "choice").pk: "school",
        },
    )


@pytest.fixture
def draft(demo, coordinator, call):
    return make_application(
        actor=coordinator,
        call=call,
        requested=nok(100_000),
        lead_municipality=demo.oslo,
        partners=[(demo.nuorten_aani, "Youth outreach")],
    )


def submit(coordinator, draft, call):
    complete(coordinator, draft, call)
    return services.submit_application(actor=coordinator, application=draft)


# --- criteria and questions are data of the call -----------------------------------------


def test_questions_and_criteria_are_defined_per_call(call):
    assert [c.weight for c in call.criteria.all()] == [3, 1]
    assert [q.kind for q in call.questions.all()] == ["text", "number", "choice", "date", "file"]
    choice = q(call, "choice")
    assert choice.display_choices == [("school", "School"), ("online", "Online")]
    from django.utils import translation

    with translation.override("nb"):
        assert q(call, "text").display_label == "Hvorfor nå?"
        assert choice.display_choices[0] == ("school", "Skole")


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([{"name": {"en": "Impact"}, "weight": 0}], "Criterion 1: give a whole-number weight"),
        ([{"name": {"nb": "Effekt"}, "weight": 2}], "Criterion 1 needs a text in English"),
    ],
)
def test_bad_criteria_are_refused_naming_the_row(funder_officer, programme, criteria, message):
    call = _draft_call(funder_officer, programme)
    with unchanged(), pytest.raises(services.InvalidInput, match=message):
        services.set_criteria(actor=funder_officer, call=call, criteria=criteria)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            {"kind": "choice", "label": {"en": "Arena"}, "choices": [{"value": "a"}]},
            "Question 1: a choice question needs at least two choices",
        ),
        ({"kind": "video", "label": {"en": "Film"}}, "Question 1: choose a kind"),
        (
            {"kind": "text", "label": {"en": "Idea"}, "stage": "concept"},
            "Question 1: concept-note questions belong to two-stage calls",
        ),
    ],
)
def test_bad_questions_are_refused(funder_officer, programme, question, message):
    call = _draft_call(funder_officer, programme)
    with unchanged(), pytest.raises(services.InvalidInput, match=message):
        services.set_questions(actor=funder_officer, call=call, questions=[question])


def test_an_open_call_keeps_its_terms(funder_officer, call):
    with unchanged(), pytest.raises(services.NotEditable):
        services.set_questions(actor=funder_officer, call=call, questions=[])
    with pytest.raises(services.NotEditable):
        services.update_call(
            actor=funder_officer,
            call=call,
            title={"en": "Changed"},
            text=None,
            eligibility=None,
            opens_at=call.opens_at,
            closes_at=call.closes_at,
            min_amount=None,
            max_amount=nok(1),
            requires_partnership=False,
            stages=1,
            concept_closes_at=None,
            blind_review=False,
            time_zone="Europe/Oslo",
        )
    call.refresh_from_db()
    assert call.title == {"en": "Partnerships 2027"}


def test_a_draft_call_is_updated_and_audited(funder_officer, programme):
    call = _draft_call(funder_officer, programme)
    goal = Goal.objects.get(position=1)
    services.update_call(
        actor=funder_officer,
        call=call,
        goals=[goal],
        title={"en": "Partnerships 2027", "sv": "Partnerskap 2027"},
        text={"en": "For cities and NGOs together."},
        eligibility={"en": "Member cities with a civil-society partner."},
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        min_amount=nok(10_000),
        max_amount=nok(200_000),
        requires_partnership=True,
        stages=1,
        concept_closes_at=None,
        blind_review=True,
        time_zone="Europe/Stockholm",
    )
    call.refresh_from_db()
    assert call.title["sv"] == "Partnerskap 2027"
    assert call.blind_review and call.requires_partnership
    assert call.time_zone == "Europe/Stockholm"
    assert list(call.goals.all()) == [goal]


def test_a_two_stage_call_needs_its_concept_deadline_between_opening_and_closing(
    funder_officer, programme
):
    now = timezone.now()
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        _draft_call(
            funder_officer,
            programme,
            stages=2,
            concept_closes_at=now + timedelta(days=40),
        )
    assert exc.value.field == "concept_closes_at"
    with pytest.raises(services.InvalidInput) as exc:
        _draft_call(funder_officer, programme, time_zone="Mars/Olympus")
    assert exc.value.field == "time_zone"


# --- drafts are saved as written and checked on submission ------------------------------


def test_a_draft_is_saved_incomplete_and_resumed(demo, coordinator, call, draft):
    target = Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP).first()
    services.update_application(
        actor=coordinator,
        application=draft,
        summary="Evening activities in three districts.",
        target_groups=[target],
        answers={q(call, "text").pk: "Half an answer"},
    )
    resumed = Application.objects.get(pk=draft.pk)
    assert resumed.summary == "Evening activities in three districts."
    assert list(resumed.target_groups.all()) == [target]
    assert resumed.answers.get(question=q(call, "text")).value == "Half an answer"
    assert resumed.status == Application.Status.DRAFT


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("number", "abc", "give a number"),
        ("choice", "stadium", "choose one of the choices"),
        ("date", "next week", "give a date as YYYY-MM-DD"),
    ],
)
def test_an_answer_that_cannot_be_right_is_refused_naming_the_question(
    coordinator, call, draft, kind, value, message
):
    question = q(call, kind)
    with unchanged(), pytest.raises(services.InvalidInput, match=message) as exc:
        services.update_application(
            actor=coordinator, application=draft, answers={question.pk: value}
        )
    assert exc.value.field == f"answer_{question.pk}"


def test_answers_are_normalised(coordinator, call, draft):
    services.update_application(
        actor=coordinator,
        application=draft,
        answers={q(call, "number").pk: "1 200,5", q(call, "date").pk: "2027-05-01"},
    )
    assert Answer.objects.get(question=q(call, "number")).value == "1200.5"
    assert Answer.objects.get(question=q(call, "date")).value == "2027-05-01"


def test_a_file_that_is_no_pdf_is_refused_and_nothing_is_stored(coordinator, call, draft):
    question = q(call, "file")
    fake = SimpleUploadedFile("letter.pdf", b"just text", content_type="application/pdf")
    with unchanged(), pytest.raises(services.DomainError, match="letter.pdf is not a PDF") as exc:
        services.update_application(actor=coordinator, application=draft, files={question.pk: fake})
    assert exc.value.field == f"answer_{question.pk}"
    real = SimpleUploadedFile("letter.pdf", simple_pdf(["Support"]), "application/pdf")
    services.update_application(actor=coordinator, application=draft, files={question.pk: real})
    answer = Answer.objects.get(question=question)
    assert answer.filename == "letter.pdf"
    assert answer.file.read().startswith(b"%PDF-")


def test_goals_outside_the_calls_scope_and_wrong_terms_are_refused(
    funder_officer, programme, demo, coordinator
):
    call = _draft_call(funder_officer, programme)
    call.goals.set([Goal.objects.get(position=1)])
    services.open_call(actor=funder_officer, call=call)
    draft = make_application(
        actor=coordinator, call=call, requested=nok(1000), lead_municipality=demo.oslo
    )
    with unchanged(), pytest.raises(services.InvalidInput, match="not one of them") as exc:
        services.update_application(
            actor=coordinator, application=draft, goals=[Goal.objects.get(position=2)]
        )
    assert exc.value.field == "goals"
    arena = Term.objects.filter(vocabulary=Vocabulary.ARENA).first()
    with pytest.raises(services.InvalidInput, match="not a target group"):
        services.update_application(actor=coordinator, application=draft, target_groups=[arena])


def test_submission_names_the_first_unanswered_required_question(coordinator, call, draft):
    with unchanged(), pytest.raises(services.Ineligible, match="Why now") as exc:
        services.submit_application(actor=coordinator, application=draft)
    assert exc.value.field == f"answer_{q(call, 'text').pk}"
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_a_submitted_application_is_kept_as_a_version_and_can_no_longer_be_edited(
    coordinator, call, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(coordinator, draft, call)
    version = ApplicationVersion.objects.get(application=submitted)
    assert version.number == 1
    assert version.data["title"] == draft.title
    assert {"question": "Young people reached", "answer": "120"} in version.data["answers"]
    with unchanged(), pytest.raises(services.NotEditable):
        services.update_application(actor=coordinator, application=submitted, title="Changed")
    assert len(mail.outbox) == 1
    assert "Received" in mail.outbox[0].subject
    assert "coordinator@example.org" in mail.outbox[0].to


# --- two stages -------------------------------------------------------------------------


@pytest.fixture
def two_stage_call(funder_officer, programme):
    now = timezone.now()
    call = _draft_call(
        funder_officer,
        programme,
        stages=2,
        concept_closes_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
    )
    services.set_questions(
        actor=funder_officer,
        call=call,
        questions=[
            {"kind": "text", "label": {"en": "The idea in brief"}, "stage": "concept"},
            {"kind": "text", "label": {"en": "Work plan"}, "stage": "full"},
        ],
    )
    return services.open_call(actor=funder_officer, call=call)


def test_concept_note_then_invited_full_proposal_with_versions(
    demo, coordinator, funder_officer, two_stage_call, django_capture_on_commit_callbacks
):
    call = two_stage_call
    idea, plan = call.questions.order_by("position")
    concept = make_application(
        actor=coordinator,
        call=call,
        requested=nok(80_000),
        lead_municipality=demo.oslo,
        budget_lines=[],
        title="Dialogue cafés",
    )
    assert concept.stage == Stage.CONCEPT
    # The concept note needs the concept question only, not the work plan nor a balanced budget.
    services.update_application(
        actor=coordinator, application=concept, answers={idea.pk: "Cafés in libraries."}
    )
    services.submit_application(actor=coordinator, application=concept)
    with unchanged(), pytest.raises(services.InvalidInput, match="invite a full proposal"):
        services.award_grant(
            application=concept, amount=nok(1000), actor=funder_officer, conditions=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_full_proposal(actor=funder_officer, application=concept)
    concept.refresh_from_db()
    assert (concept.status, concept.stage) == (Application.Status.INVITED, Stage.FULL)

    with pytest.raises(services.BudgetLinesMismatch):
        services.submit_application(actor=coordinator, application=concept)
    services.update_application(
        actor=coordinator,
        application=concept,
        title="Dialogue cafés in five libraries",
        budget_lines=[("Hosts", nok(80_000))],
    )
    with pytest.raises(services.Ineligible, match="Work plan"):
        services.submit_application(actor=coordinator, application=concept)
    services.update_application(
        actor=coordinator, application=concept, answers={plan.pk: "Ten evenings."}
    )
    services.submit_application(actor=coordinator, application=concept)
    first, second = selectors.versions(concept)
    assert (first.stage, second.stage) == (Stage.CONCEPT, Stage.FULL)
    diff = {d["label"]: d for d in selectors.version_diff(first.data, new=second.data)}
    assert diff["Title"]["changed"]
    assert ("-", "Dialogue cafés") in diff["Title"]["lines"]
    assert ("+", "Dialogue cafés in five libraries") in diff["Title"]["lines"]
    assert not diff["Lead applicant"]["changed"]
    assert diff["Work plan"]["lines"] == [("+", "Ten evenings.")]
    assert any("Invited" in m.subject for m in mail.outbox)


def test_concept_notes_close_at_their_own_deadline(demo, coordinator, two_stage_call):
    concept = make_application(
        actor=coordinator,
        call=two_stage_call,
        requested=nok(80_000),
        lead_municipality=demo.oslo,
        budget_lines=[],
    )
    type(two_stage_call).objects.filter(pk=two_stage_call.pk).update(
        concept_closes_at=timezone.now() - timedelta(minutes=1)
    )
    with unchanged(), pytest.raises(services.CallNotOpen, match="deadline"):
        services.submit_application(actor=coordinator, application=concept)


# --- reviews ----------------------------------------------------------------------------


@pytest.fixture
def submitted(coordinator, call, draft):
    return submit(coordinator, draft, call)


@pytest.fixture
def reviewed(submitted, secretariat, reviewer):
    """The submitted proposal with a finished review: ready to be decided."""
    finish_review(submitted, actor=secretariat, reviewer=reviewer)
    return submitted


def make_reviewer(email: str, **person):
    user = UserFactory(email=email)
    RoleAssignment.objects.create(user=user, role=Role.REVIEWER)
    if person:
        Person.objects.create(user=user, full_name=email, **person)
    return user


def test_a_reviewer_from_a_partner_organisation_is_refused(demo, secretariat, submitted):
    insider = make_reviewer("insider@example.net", organisation=demo.nuorten_aani)
    with unchanged(), pytest.raises(services.ReviewerConflict, match="Nuorten") as exc:
        services.assign_reviewer(actor=secretariat, application=submitted, reviewer=insider)
    assert exc.value.field == "reviewer"


def test_a_reviewer_with_a_role_in_the_lead_city_is_refused(demo, secretariat, submitted):
    insider = make_reviewer("oslo-reviewer@example.net")
    RoleAssignment.objects.create(user=insider, role=Role.COORDINATOR, municipality=demo.oslo)
    with unchanged(), pytest.raises(services.ReviewerConflict, match="Oslo"):
        services.assign_reviewer(actor=secretariat, application=submitted, reviewer=insider)


def test_only_reviewers_are_assigned_and_once(
    demo, secretariat, reviewer, member, submitted, django_capture_on_commit_callbacks
):
    with unchanged(), pytest.raises(services.InvalidInput, match="not a reviewer"):
        services.assign_reviewer(actor=secretariat, application=submitted, reviewer=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_reviewer(actor=secretariat, application=submitted, reviewer=reviewer)
    with unchanged(), pytest.raises(services.InvalidInput, match="already assigned"):
        services.assign_reviewer(actor=secretariat, application=submitted, reviewer=reviewer)
    assert any("review for you" in m.subject for m in mail.outbox)


def test_scores_recommendation_and_who_sees_what(demo, secretariat, reviewer, call, submitted):
    other = make_reviewer("second@example.net")
    mine = services.assign_reviewer(actor=secretariat, application=submitted, reviewer=reviewer)
    theirs = services.assign_reviewer(actor=secretariat, application=submitted, reviewer=other)
    relevance, partnership = call.criteria.all()
    assert has_perm(reviewer, "grants.view_application", submitted)
    assert not has_perm(reviewer, "grants.view_reviews", submitted)
    assert not has_perm(other, "grants.review", mine)

    with unchanged(), pytest.raises(services.InvalidInput, match="from 0 to 5") as exc:
        services.save_review(actor=reviewer, review=mine, scores={relevance.pk: 6})
    assert exc.value.field == f"score_{relevance.pk}"
    services.save_review(actor=reviewer, review=mine, scores={relevance.pk: 4})  # a draft
    with pytest.raises(services.InvalidInput, match="Score “Partnership”"):
        services.save_review(
            actor=reviewer,
            review=mine,
            scores={relevance.pk: 4},
            recommendation="fund",
            submit=True,
        )
    services.save_review(
        actor=reviewer,
        review=mine,
        scores={relevance.pk: 4, partnership.pk: 2},
        recommendation="fund",
        comment="Strong partnership with youth workers.",
        submit=True,
    )
    submitted = Application.objects.get(pk=submitted.pk)  # permissions read per request
    assert has_perm(reviewer, "grants.view_reviews", submitted)
    assert not has_perm(other, "grants.view_reviews", submitted)
    with pytest.raises(services.NotEditable):
        services.save_review(actor=reviewer, review=mine, scores={relevance.pk: 1})
    # (4×3 + 2×1) / 4 = 3.5
    row = selectors.call_applications(call).get(pk=submitted.pk)
    assert selectors.weighted_score(row.weighted_sum, weight_sum=row.weight_sum) == Decimal("3.50")
    services.declare_conflict(actor=other, review=theirs, reason="I advise the NGO.")
    theirs.refresh_from_db()
    assert theirs.status == Review.Status.CONFLICT
    submitted = Application.objects.get(pk=submitted.pk)
    assert not has_perm(other, "grants.view_application", submitted)


def test_blind_review_hides_the_applicant_from_reviewers_only(
    demo, secretariat, reviewer, coordinator, funder_officer, call, submitted
):
    type(call).objects.filter(pk=call.pk).update(blind_review=True)
    submitted = Application.objects.select_related("call").get(pk=submitted.pk)
    services.assign_reviewer(actor=secretariat, application=submitted, reviewer=reviewer)
    assert not has_perm(reviewer, "grants.see_applicant", submitted)
    assert has_perm(coordinator, "grants.see_applicant", submitted)
    assert has_perm(funder_officer, "grants.see_applicant", submitted)


# The ranking's rows as the decision pack's template loop wrote them, before they were
# written in Python (`views.tables.ranking_rows`): the same HTML, but for the blanks between
# tags.
RANKING_LOOP = """{% load i18n %}{% for row in pack.rows %}
    {% if row.rank == pack.line_at %}
    <tr class="sc-budget-line">
      <td colspan="8"><strong>{% blocktranslate with remaining=pack.remaining %}Budget runs out here: remaining {{ remaining }}{% endblocktranslate %}</strong></td>
    </tr>
    {% endif %}
    <tr>
      <td class="sc-chart__number">{{ row.rank }}</td>
      <th scope="row">{{ row.application.title }}</th>
      <td>{{ row.application.lead }}</td>
      <td class="sc-chart__number sc-table__key">{{ row.requested }}</td>
      <td class="sc-chart__number sc-table__key sc-table__key--first">{{ row.score|default_if_none:"—" }} <span class="sc-meta">({{ row.reviews_text }})</span></td>
      <td class="sc-chart__number">{{ row.cumulative }}</td>
      <td class="sc-table__key">{% if row.within_budget %}<span class="ds-tag" data-color="success">{% translate "Within budget" %}</span> <span class="sc-nowrap">{{ row.budget_text }}</span>{% else %}<span class="ds-tag" data-color="warning">{% translate "Over budget" %}</span> <span class="sc-nowrap">{{ row.budget_text }}</span>{% endif %}</td>
      <td class="sc-table__key">{% if row.may_decide %}<a class="ds-link" href="{% url 'grants:application-decide' row.application_id %}">{% translate "Decide" %}<span class="ds-sr-only"> — {{ row.application.title }}</span></a>{% else %}<span class="sc-meta">{% translate "No finished review yet" %}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""


def _tags_only(text: str) -> str:
    return re.sub(r">\s+<", "><", text).strip()


def assert_ranking_written_as_the_template(pack: dict) -> None:
    for language in ("en", "nb"):
        with translation.override(language):
            template = engines["django"].from_string(RANKING_LOOP)
            assert _tags_only(ranking_rows(pack)) == _tags_only(template.render({"pack": pack}))


# --- the decision pack ------------------------------------------------------------------


def test_the_decision_pack_ranks_by_weighted_score_and_draws_the_budget_line(
    demo, coordinator, secretariat, reviewer, funder_officer, call
):
    relevance, partnership = call.criteria.all()
    scores = {"Low": (1, 1), "High": (5, 5), "Middle": (3, 4)}
    apps = {}
    for title, (r, p) in scores.items():
        draft = make_application(
            actor=coordinator,
            call=call,
            requested=nok(120_000),
            lead_municipality=demo.oslo,
            title=title,
        )
        apps[title] = submit(coordinator, draft, call)
        review = services.assign_reviewer(
            actor=secretariat, application=apps[title], reviewer=reviewer
        )
        services.save_review(
            actor=reviewer,
            review=review,
            scores={relevance.pk: r, partnership.pk: p},
            recommendation="fund",
            submit=True,
        )
    unreviewed = submit(
        coordinator,
        make_application(
            actor=coordinator,
            call=call,
            requested=nok(10_000),
            lead_municipality=demo.oslo,
            title="Unreviewed",
        ),
        call,
    )
    pack = selectors.decision_pack(call)
    assert_ranking_written_as_the_template(pack)
    assert [r.application.title for r in pack["rows"]] == ["High", "Middle", "Low", "Unreviewed"]
    assert [r.score for r in pack["rows"]] == [
        Decimal("5.00"),
        Decimal("3.25"),
        Decimal("1.00"),
        None,
    ]
    # 300 000 in the programme: two of 120 000 fit, the third does not.
    assert pack["line_at"] == 3
    assert [r.within_budget for r in pack["rows"]] == [True, True, False, False]
    assert pack["remaining"] == nok(300_000)
    services.award_grant(
        application=apps["High"], amount=nok(120_000), actor=funder_officer, conditions=""
    )
    pack = selectors.decision_pack(call)
    assert [r.application_id for r in pack["rows"]] == [
        apps["Middle"].pk,
        apps["Low"].pk,
        unreviewed.pk,
    ]
    assert pack["remaining"] == nok(180_000)
    assert pack["line_at"] == 2
    assert pack["decided"] == {"awarded": 1}
    assert_ranking_written_as_the_template(pack)


# --- awards, reports, closing -----------------------------------------------------------


@pytest.fixture
def award(funder_officer, reviewed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.award_grant(
            application=reviewed,
            amount=nok(90_000),
            conditions="Report on attendance.",
            actor=funder_officer,
            reports=[("interim", date(2026, 6, 1)), ("final", date(2027, 4, 30))],
        )


def test_an_award_sets_the_reports_and_tells_the_applicant(award):
    assert [(r.kind, r.due_on) for r in award.reports.all()] == [
        ("interim", date(2026, 6, 1)),
        ("final", date(2027, 4, 30)),
    ]
    assert any("Awarded" in m.subject for m in mail.outbox)


def test_an_award_without_given_reports_owes_a_final_report_after_the_project(
    funder_officer, reviewed
):
    award = services.award_grant(application=reviewed, amount=nok(1000), actor=funder_officer)
    (report,) = award.reports.all()
    assert report.kind == "final"
    assert report.due_on == reviewed.ends_on + timedelta(days=60)


def test_a_report_is_submitted_accepted_and_the_grant_closed_releasing_the_rest(
    coordinator, funder_officer, programme, award, django_capture_on_commit_callbacks
):
    interim, final = award.reports.all()
    accept_agreement(award, runner=funder_officer)
    first = services.schedule_payment(
        award=award, amount=nok(50_000), due_on=date(2026, 1, 15), actor=funder_officer
    )
    services.mark_paid(payment=first, actor=funder_officer)
    second = services.schedule_payment(
        award=award, amount=nok(40_000), due_on=date(2026, 9, 1), actor=funder_officer
    )
    with unchanged(), pytest.raises(services.InvalidInput, match="more than the award"):
        services.submit_report(
            actor=coordinator, report=final, narrative="Done", results="", spent=nok(90_001)
        )
    with pytest.raises(services.InvalidInput) as exc:
        services.submit_report(
            actor=coordinator,
            report=final,
            narrative="Done",
            results="",
            spent=nok(1),
            links=[{"title": "Practice", "url": "javascript:alert(1)"}],
        )
    assert exc.value.field == "links"
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(
            actor=coordinator,
            report=final,
            narrative="Ten debates, 400 young people.",
            results="Trust rose in the follow-up survey.",
            spent=nok(50_000),
            links=[{"title": "Oslo snakker", "url": "https://example.org/practices/oslo-snakker"}],
        )
    assert any("submitted" in m.subject for m in mail.outbox)
    with unchanged(), pytest.raises(services.InvalidInput, match="final report"):
        services.close_award(actor=funder_officer, award=award)  # submitted, not yet accepted
    services.accept_report(actor=funder_officer, report=final)
    with unchanged(), pytest.raises(services.InvalidInput, match="Pay or cancel"):
        services.close_award(actor=funder_officer, award=award)
    services.cancel_payment(payment=second, actor=funder_officer)
    assert selectors.programme_ledger(programme)["remaining"] == nok(210_000)
    services.close_award(actor=funder_officer, award=award)
    award.refresh_from_db()
    assert award.released == nok(40_000)
    assert award.net == nok(50_000)
    ledger = selectors.programme_ledger(programme)
    assert ledger["awarded"] == nok(50_000)
    assert ledger["remaining"] == nok(250_000)
    with pytest.raises(services.NotEditable):
        services.schedule_payment(
            award=award, amount=nok(1), due_on=date(2027, 1, 1), actor=funder_officer
        )
    assert interim.status == GrantReport.Status.DUE
    assert Payment.objects.get(pk=second.pk).status == Payment.Status.CANCELLED


def test_reminders_go_once_a_week_for_reports_due_soon_or_overdue(
    coordinator, award, django_capture_on_commit_callbacks
):
    interim, final = award.reports.all()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_report_reminders(today=date(2026, 5, 25)).sent == 1  # due 1 June
    assert mail.outbox[0].to == ["coordinator@example.org"]
    assert "Reminder" in mail.outbox[0].subject
    assert services.send_report_reminders(today=date(2026, 5, 26)).sent == 0  # reminded already
    overdue = selectors.reports_visible_to(coordinator, overdue_only=True, today=date(2026, 6, 2))
    assert list(overdue) == [interim]


def test_the_remindreports_command_sends_reminders(award):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("remindreports", "--today", "2026-05-25", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()


def test_an_award_stands_when_its_mail_fails_and_the_mail_goes_later(
    funder_officer, reviewed, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from safecities.core.models import OwedMail
    from tests.mailserver import unreachable_smtp

    mail.outbox.clear()
    with unreachable_smtp(), django_capture_on_commit_callbacks(execute=True):
        award = services.award_grant(
            application=reviewed, amount=nok(90_000), conditions="", actor=funder_officer
        )
    reviewed.refresh_from_db()
    assert reviewed.status == "awarded" and award.pk
    owed = OwedMail.objects.get(kind="grants.application_decided", args=[reviewed.pk])
    assert (owed.status, owed.attempts) == ("owed", 1)
    assert mail.outbox == []
    call_command("sendmail", stdout=StringIO())
    assert ["coordinator@example.org"] in [m.to for m in mail.outbox]
    owed.refresh_from_db()
    assert owed.status == "sent"


def test_the_calls_listed_as_taking_applications_are_those_that_take_them(
    funder_officer, programme
):
    """`Call.accepts_applications` and its query, `accepting_applications()`, agree on every
    kind of call: a draft, one not yet open, one open, a two-stage one before and after its
    concept deadline, one past its deadline and a closed one."""
    now = timezone.now()
    made = {
        "open": make_open_call(actor=funder_officer, programme=programme),
        "not yet open": make_open_call(
            actor=funder_officer,
            programme=programme,
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=9),
        ),
        "two-stage": make_open_call(
            actor=funder_officer,
            programme=programme,
            stages=2,
            concept_closes_at=now + timedelta(days=5),
        ),
        "concept notes closed": make_call_past_its_concept_deadline(
            actor=funder_officer, programme=programme
        ),
        "closed": services.close_call(
            actor=funder_officer,
            call=make_open_call(actor=funder_officer, programme=programme),
        ),
        "draft": services.create_call(
            actor=funder_officer,
            programme=programme,
            title={"en": "Draft"},
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=9),
            max_amount=nok(1000),
        ),
    }
    taking = {name for name, call in made.items() if call.accepts_applications}
    assert taking == {"open", "two-stage"}
    listed = set(Call.objects.filter(programme=programme).accepting_applications())
    assert listed == {made["open"], made["two-stage"]}
