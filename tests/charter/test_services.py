"""The charter's writes: endorsements on approval, and the shared vocabularies."""

from datetime import date

import pytest

from safecities.charter import services
from safecities.charter.models import CharterVersion, Endorsement, Term, Vocabulary
from safecities.core.errors import NotAllowed
from safecities.core.models import AuditEvent
from safecities.network import services as network_services
from tests.charter.factories import CharterVersionFactory, GoalFactory, TermFactory
from tests.network.factories import submit_city
from tests.utils import unchanged


def test_approval_endorses_the_current_charter(demo, coordinator, secretariat):
    newer = CharterVersionFactory(version="2030", adopted_on=date(2030, 1, 1))
    newer.goals.set([GoalFactory(code="safe-urban-spaces")])
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    membership = network_services.approve_application(actor=secretariat, application=application)
    (endorsement,) = Endorsement.objects.filter(membership=membership)
    assert endorsement.charter_version == newer
    assert endorsement.endorsed_on == membership.started_on
    assert str(endorsement) == "Drammen — 2030"


def test_without_a_charter_nobody_can_be_approved(demo, coordinator, secretariat):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    Endorsement.objects.all().delete()
    CharterVersion.objects.all().delete()
    with unchanged(), pytest.raises(services.NoCharter):
        network_services.approve_application(actor=secretariat, application=application)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_an_endorsement_is_recorded_once_per_version(demo, secretariat):
    membership = demo.stockholm_application.membership
    with unchanged():
        again = services.record_endorsement(membership=membership, actor=secretariat)
    assert again.membership == membership


def test_the_secretariat_adds_a_term(demo, secretariat):
    term = services.save_term(
        actor=secretariat,
        vocabulary=Vocabulary.PHENOMENON,
        code="conspiracy-theories",
        label={
            "en": " Conspiracy theories ",
            "nb": "Konspirasjonsteorier",
            "xx": "dropped",
            "sv": "",
        },
    )
    assert term.label == {"en": "Conspiracy theories", "nb": "Konspirasjonsteorier"}
    event = AuditEvent.objects.get(action="charter.term.create")
    assert event.changes["code"] == [None, "conspiracy-theories"]


def test_a_term_needs_an_english_name_and_a_unique_code(demo, secretariat):
    existing = Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP).first()
    with unchanged(), pytest.raises(services.InvalidTerm) as exc:
        services.save_term(
            actor=secretariat, vocabulary=Vocabulary.ARENA, code="x", label={"nb": "Bare norsk"}
        )
    assert exc.value.field == "label_en"
    with unchanged(), pytest.raises(services.InvalidTerm) as exc:
        services.save_term(
            actor=secretariat,
            vocabulary=existing.vocabulary,
            code=existing.code,
            label={"en": "Twice"},
        )
    assert exc.value.field == "code"
    with unchanged(), pytest.raises(services.InvalidTerm) as exc:
        services.save_term(
            actor=secretariat, vocabulary=Vocabulary.ARENA, code="", label={"en": "No code"}
        )
    assert exc.value.field == "code"


def test_the_same_code_may_live_in_two_vocabularies(db):
    from tests.core.factories import UserFactory
    from tests.network.factories import RoleAssignmentFactory

    secretariat = UserFactory()
    RoleAssignmentFactory(user=secretariat, role="secretariat")
    TermFactory(vocabulary=Vocabulary.ARENA, code="schools")
    term = services.save_term(
        actor=secretariat, vocabulary=Vocabulary.TARGET_GROUP, code="schools", label={"en": "S"}
    )
    assert term.pk


def test_retiring_a_term_keeps_it(demo, secretariat):
    term = Term.objects.filter(vocabulary=Vocabulary.ARENA).first()
    services.save_term(
        actor=secretariat,
        vocabulary=term.vocabulary,
        code=term.code,
        label=term.label,
        active=False,
        term=term,
    )
    term.refresh_from_db()
    assert term.active is False
    event = AuditEvent.objects.get(action="charter.term.update")
    assert event.changes == {"active": [True, False]}


@pytest.mark.parametrize(
    "role", ["member", "coordinator", "organisation_contact", "reviewer", "funder_officer"]
)
def test_only_the_secretariat_edits_vocabularies(demo, role):
    with unchanged(), pytest.raises(NotAllowed):
        services.save_term(
            actor=demo.users[role], vocabulary=Vocabulary.ARENA, code="x", label={"en": "X"}
        )
