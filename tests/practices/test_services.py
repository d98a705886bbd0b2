"""The knowledge bank's services: the publication workflow, translations, attachments,
publications, the search index kept in step, and bad input that changes nothing."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core.errors import DomainError, NotAllowed
from safecities.plans import services as plan_services
from safecities.plans.models import ActionPlan, Measure
from safecities.practices import selectors, services
from safecities.practices.models import Practice
from safecities.search import api as search
from tests.practices.conftest import pdf, published, write_draft
from tests.utils import unchanged


def found(q: str, *, member: bool = True, **filters) -> set[tuple[str, int]]:
    result = search.search(
        q, user_is_member=member, filters=filters or None, sort="relevance", per_page=100
    )
    return {(h.kind, h.object_id) for h in result.hits}


# --- the workflow ----------------------------------------------------------------------------


def test_a_members_draft_is_submitted_returned_with_feedback_and_published(member, secretariat):
    practice = write_draft(member)
    assert practice.status == "draft" and practice.created_by == member
    assert ("practice", practice.pk) not in found("nabolagsmegling")

    services.submit_practice(actor=member, practice=practice)
    services.return_practice(actor=secretariat, practice=practice, feedback="Name the cost.")
    practice.refresh_from_db()
    assert (practice.status, practice.feedback) == ("draft", "Name the cost.")

    services.update_practice(actor=member, practice=practice, data={"resources": "Two mediators."})
    services.submit_practice(actor=member, practice=practice)
    services.publish_practice(actor=secretariat, practice=practice, visibility="public")
    practice.refresh_from_db()
    assert practice.status == "published" and practice.feedback == ""
    assert practice.published_at and practice.last_reviewed_on == date.today()
    assert ("practice", practice.pk) in found("nabolagsmegling", member=False)


def test_the_author_cannot_change_a_submitted_practice_nor_publish_it(member, draft):
    services.submit_practice(actor=member, practice=draft)
    with unchanged(), pytest.raises(NotAllowed):
        services.update_practice(actor=member, practice=draft, data={"title": "Changed"})
    with unchanged(), pytest.raises(NotAllowed):
        services.publish_practice(actor=member, practice=draft)


def test_another_member_cannot_edit_a_draft(coordinator, draft):
    with unchanged(), pytest.raises(NotAllowed):
        services.update_practice(actor=coordinator, practice=draft, data={"title": "Mine now"})


def test_only_a_submitted_practice_is_published_or_returned(secretariat, draft):
    with unchanged(), pytest.raises(services.WrongStatus):
        services.publish_practice(actor=secretariat, practice=draft)
    with unchanged(), pytest.raises(services.WrongStatus):
        services.return_practice(actor=secretariat, practice=draft, feedback="No")


def test_returning_needs_feedback(member, secretariat, draft):
    services.submit_practice(actor=member, practice=draft)
    with unchanged(), pytest.raises(DomainError) as error:
        services.return_practice(actor=secretariat, practice=draft, feedback="  ")
    assert error.value.field == "feedback"


def test_unpublishing_takes_it_out_of_the_search(secretariat, oslo_snakker):
    assert ("practice", oslo_snakker.pk) in found("kanselleringskultur")
    services.unpublish_practice(actor=secretariat, practice=oslo_snakker)
    oslo_snakker.refresh_from_db()
    assert oslo_snakker.status == "draft"
    assert ("practice", oslo_snakker.pk) not in found("kanselleringskultur")


def test_a_members_only_practice_is_found_by_members_only(member, secretariat):
    practice = published(member, secretariat, title="Lukket nabolagsmegling", visibility="members")
    assert ("practice", practice.pk) in found("nabolagsmegling", member=True)
    assert ("practice", practice.pk) not in found("nabolagsmegling", member=False)


# --- translations and the search across languages ---------------------------------------------


def test_each_translation_is_indexed_and_names_its_translator(member, secretariat):
    practice = published(member, secretariat)
    translation = services.save_translation(
        actor=secretariat,
        practice=practice,
        language="sv",
        translator="Anna Lindqvist",
        title="Grannmedling i Skien",
        texts={"summary": "Medlare hjälper grannar att lösa konflikter innan de växer."},
    )
    assert translation.translator == "Anna Lindqvist"
    result = search.search("grannmedling", user_is_member=False, sort="relevance", collapse=False)
    assert {(h.object_id, h.language) for h in result.hits} >= {(practice.pk, "sv")}
    services.remove_translation(actor=secretariat, translation=translation)
    assert ("practice", practice.pk) not in found("grannmedling")


def test_a_swedish_query_finds_the_norwegian_and_danish_practices(demo):
    hits = found("förebyggande")
    titles = set(
        Practice.objects.filter(pk__in=[pk for k, pk in hits if k == "practice"]).values_list(
            "title", flat=True
        )
    )
    assert "Forebygging av radikalisering i skolen" in titles
    assert "Forebyggelse af ekstremisme gennem mentorer" in titles


def test_the_reader_sees_their_language_the_original_otherwise(oslo_snakker):
    practice = selectors.practice_detail(oslo_snakker.pk)
    with translation.override("fi"):
        assert (
            selectors.version_for(practice, requested="sv").texts.title == "Oslo pratar"
        )  # ?lang=
        assert selectors.version_for(practice).language == "nb"  # no Finnish: the original
        assert selectors.version_for(practice, requested="xx").language == "nb"
    with translation.override("en"):
        assert selectors.version_for(practice).texts.title == "Oslo talks"


def test_a_translation_into_the_original_language_is_refused(member, draft):
    with unchanged(), pytest.raises(DomainError) as error:
        services.save_translation(
            actor=member,
            practice=draft,
            language="nb",
            translator="X",
            title="T",
            texts={"summary": "S"},
        )
    assert error.value.field == "language"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"goals": []}, "goals"),
        ({"language": "de"}, "language"),
        ({"title": 42}, "title"),
        ({"summary": "x" * 20_001}, "summary"),
        ({"starts_on": date(2024, 2, 1), "ends_on": date(2024, 1, 1)}, "ends_on"),
        ({"starts_on": "2024-01-01"}, "starts_on"),
        ({"evidence_level": "proven"}, "evidence_level"),
        ({"visibility": "secret"}, "visibility"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"evaluation_link": "javascript:alert(1)"}, "evaluation_link"),
        ({"goals": ["safe-communities"]}, "goals"),
        ({"status": "published"}, "status"),
    ],
)
def test_bad_input_names_its_field_and_changes_nothing(member, demo, fields, field):
    with unchanged(), pytest.raises(DomainError) as error:
        write_draft(member, **fields)
    assert error.value.field == field


def test_a_term_of_another_vocabulary_is_refused(member, demo):
    arena = Term.objects.filter(vocabulary=Vocabulary.ARENA).first()
    with unchanged(), pytest.raises(DomainError) as error:
        write_draft(member, target_groups=[arena])
    assert error.value.field == "target_groups"


def test_an_attachment_is_a_pdf(member, draft):
    attachment = services.add_attachment(actor=member, practice=draft, title="Report", file=pdf())
    assert attachment.file.name.endswith(".pdf")
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    with unchanged(), pytest.raises(DomainError) as error:
        services.add_attachment(actor=member, practice=draft, title="Fake", file=fake)
    assert error.value.field == "file"


def test_an_oversized_attachment_is_refused(member, draft, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 100
    with unchanged(), pytest.raises(DomainError) as error:
        services.add_attachment(actor=member, practice=draft, title="Big", file=pdf())
    assert error.value.field == "file"
    assert "limit" in error.value.message


def test_removing_an_attachment_removes_its_file(member, draft, django_capture_on_commit_callbacks):
    attachment = services.add_attachment(actor=member, practice=draft, title="Report", file=pdf())
    path = Path(attachment.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(actor=member, attachment=attachment)
    assert not draft.attachments.exists()
    assert not path.exists()


# --- publications ------------------------------------------------------------------------------


def test_a_publication_is_found_by_the_same_search(secretariat):
    publication = services.create_publication(
        actor=secretariat,
        title="Grannsamverkan i Norden",
        summary="En rapport om grannsamverkan.",
        year=2025,
        language="sv",
        file=pdf(),
        goals=[Goal.objects.get(code="safe-communities")],
    )
    assert ("publication", publication.pk) in found("grannsamverkan", member=False)
    services.delete_publication(actor=secretariat, publication=publication)
    assert ("publication", publication.pk) not in found("grannsamverkan")


def test_a_publication_needs_a_file_or_a_link_and_a_member_may_not_add_one(secretariat, member):
    with unchanged(), pytest.raises(DomainError) as error:
        services.create_publication(
            actor=secretariat, title="T", summary="S", year=2025, language="en"
        )
    assert error.value.field == "link"
    with unchanged(), pytest.raises(NotAllowed):
        services.create_publication(
            actor=member, title="T", summary="S", year=2025, language="en", link="https://x.org"
        )
    with unchanged(), pytest.raises(DomainError) as error:
        services.create_publication(
            actor=secretariat,
            title="T",
            summary="S",
            year=1066,
            language="en",
            link="https://x.org",
        )
    assert error.value.field == "year"


# --- adopting a practice into a plan ----------------------------------------------------------


def _oslo_plan(demo) -> ActionPlan:
    return ActionPlan.objects.get(municipality=demo.oslo, status="adopted")


def test_a_coordinator_adopts_a_practice_into_their_plan(demo, coordinator, oslo_snakker):
    measure = plan_services.adopt_practice(
        actor=coordinator, plan=_oslo_plan(demo), practice=oslo_snakker
    )
    assert measure.practice == oslo_snakker and measure.title == "Oslo snakker"
    assert measure.status == "planned"
    assert {g.code for g in measure.goals.all()} == {g.code for g in oslo_snakker.goals.all()}
    assert list(oslo_snakker.adopting_measures.all()) == [measure]


def test_adopting_into_another_citys_plan_is_refused(demo, coordinator, oslo_snakker):
    stockholm = ActionPlan.objects.get(municipality=demo.stockholm, status="adopted")
    with unchanged(), pytest.raises(NotAllowed):
        plan_services.adopt_practice(actor=coordinator, plan=stockholm, practice=oslo_snakker)


def test_an_unpublished_practice_cannot_be_adopted(demo, coordinator, draft):
    with unchanged(), pytest.raises(DomainError) as error:
        plan_services.adopt_practice(actor=coordinator, plan=_oslo_plan(demo), practice=draft)
    assert error.value.field == "practice"


def test_an_archived_plan_takes_no_practice(demo, coordinator, oslo_snakker):
    plan = _oslo_plan(demo)
    plan_services.archive_plan(actor=coordinator, plan=plan)
    with unchanged(), pytest.raises(DomainError):
        plan_services.adopt_practice(actor=coordinator, plan=plan, practice=oslo_snakker)


def test_a_measure_outlives_its_practice(demo, coordinator, oslo_snakker):
    measure = plan_services.adopt_practice(
        actor=coordinator, plan=_oslo_plan(demo), practice=oslo_snakker
    )
    Practice.objects.filter(pk=oslo_snakker.pk).delete()
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.practice is None
