"""The charter page and the secretariat's vocabulary pages."""

import pytest

from safecities.charter.models import Term, Vocabulary
from safecities.core.models import AuditEvent
from tests.utils import unchanged


def test_the_charter_page_shows_six_goals_and_the_version(demo, client):
    response = client.get("/charter/")
    assert response.status_code == 200
    assert [g.code for g in response.context["goals"]] == [
        "safe-urban-spaces",
        "safe-online-sphere",
        "strong-families",
        "safe-public-institutions",
        "strong-youth-engagement",
        "safe-communities",
    ]
    (version,) = response.context["versions"]
    assert version.version == "2016"
    assert version.endorsement_count == demo.charter_version.endorsements.count()
    assert "Safe urban spaces" in response.content.decode()


def test_the_charter_page_speaks_the_readers_language(demo, client):
    response = client.get("/charter/", headers={"Accept-Language": "nb"})
    assert "Trygge byrom" in response.content.decode()


def test_vocabularies_are_for_the_secretariat(demo, client_for):
    page = client_for(demo.users["secretariat"]).get("/charter/vocabularies/")
    assert page.status_code == 200
    vocabularies = [value for value, _label, _terms in page.context["vocabularies"]]
    assert vocabularies == list(Vocabulary.values)
    for role in ("member", "coordinator", "organisation_contact", "reviewer", "funder_officer"):
        assert client_for(demo.users[role]).get("/charter/vocabularies/").status_code == 403


def term_form(**overrides):
    data = {"code": "conspiracy-theories", "active": "on", "label_en": "Conspiracy theories"}
    data.update(overrides)
    return data


def test_the_secretariat_adds_and_edits_a_term_on_the_page(demo, secretariat_client):
    response = secretariat_client.post(
        "/charter/vocabularies/phenomenon/new/", term_form(label_nb="Konspirasjonsteorier")
    )
    assert response.status_code == 302
    term = Term.objects.get(vocabulary="phenomenon", code="conspiracy-theories")
    assert term.label == {"en": "Conspiracy theories", "nb": "Konspirasjonsteorier"}

    edit = secretariat_client.get(f"/charter/terms/{term.pk}/edit/")
    assert edit.context["form"].initial["label_nb"] == "Konspirasjonsteorier"
    response = secretariat_client.post(
        f"/charter/terms/{term.pk}/edit/", term_form(label_en="Conspiracy narratives")
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.label == {"en": "Conspiracy narratives"}
    assert term.active is True
    assert (
        AuditEvent.objects.filter(target_id=str(term.pk), target_type="charter.term").count() == 2
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (lambda taken: {"label_en": ""}, "label_en"),
        (lambda taken: {"code": "Not a slug!"}, "code"),
        (lambda taken: {"code": taken.code}, "code"),
    ],
    ids=["no-english-name", "bad-code", "taken-code"],
)
def test_bad_terms_are_refused_on_the_page(demo, secretariat_client, overrides, field):
    taken = Term.objects.filter(vocabulary="phenomenon").first()
    with unchanged():
        response = secretariat_client.post(
            "/charter/vocabularies/phenomenon/new/", term_form(**overrides(taken))
        )
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_an_unknown_vocabulary_is_not_found(demo, secretariat_client):
    assert secretariat_client.get("/charter/vocabularies/colours/new/").status_code == 404
    assert secretariat_client.get("/charter/terms/999999/edit/").status_code == 404
