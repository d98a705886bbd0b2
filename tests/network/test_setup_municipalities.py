"""A municipality added by hand on the set-up pages (a country without a shipped register, or a
new municipality before the register file is updated), and its names changed: its code in the
country's format and never twice in a country, every refusal naming its field and changing
nothing, every change audited; through the service and the pages."""

import pytest
from django.urls import reverse

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.network import services
from safecities.network.models import Municipality
from tests.network.factories import CountryFactory
from tests.utils import unchanged


@pytest.fixture
def estonia(db):
    return CountryFactory(code="EE")


def test_a_municipality_of_a_country_without_a_register_is_added_and_audited(secretariat, estonia):
    tallinn = services.add_municipality(
        actor=secretariat,
        country=estonia,
        code=" 0784 ",
        name=" Tallinn ",
        region="Harju maakond",
        names={"fi": "Tallinna", "sv": " "},
    )
    tallinn.refresh_from_db()
    assert (tallinn.country, tallinn.code, tallinn.name) == (estonia, "0784", "Tallinn")
    assert tallinn.names == {"fi": "Tallinna"}  # blank languages are left out
    assert (tallinn.region, tallinn.slug) == ("Harju maakond", "tallinn")
    event = AuditEvent.objects.filter(action="network.municipality.create").latest("id")
    assert event.changes["code"] == [None, "0784"]
    assert event.changes["names"] == [None, {"fi": "Tallinna"}]


def test_a_new_municipality_of_a_country_with_a_register(demo, secretariat):
    norway = demo.oslo.country
    added = services.add_municipality(
        actor=secretariat, country=norway, code="5699", name="Nyby", region="Finnmark"
    )
    assert added.country == norway
    # Its name taken elsewhere: the address adds the country and the code.
    oslo_ee = services.add_municipality(
        actor=secretariat, country=CountryFactory(code="EE"), code="0001", name="Oslo"
    )
    assert oslo_ee.slug == "oslo-ee-0001"


@pytest.mark.parametrize(
    "kwargs,field,words",
    [
        ({"code": "0301"}, "code", "already has the municipality 0301, Oslo"),
        ({"code": "301"}, "code", "4 digits"),
        ({"code": "  "}, "code", "official code"),
        ({"code": "123456789"}, "code", "at most"),
        ({"name": " "}, "name", "official name"),
        ({"names": {"xx": "Nope"}}, "names_xx", "No name language"),
        ({"region": "R" * 121}, "region", "at most"),
    ],
)
def test_bad_municipalities_are_refused_naming_the_field(demo, secretariat, kwargs, field, words):
    values = {"code": "5698", "name": "Nyby", "region": ""}
    values.update(kwargs)
    with unchanged(), pytest.raises(InvalidInput) as exc:
        services.add_municipality(actor=secretariat, country=demo.oslo.country, **values)
    assert exc.value.field == field
    assert words in exc.value.message


def test_the_same_code_in_another_country_is_another_municipality(demo, secretariat):
    sweden = CountryFactory(code="SE")
    added = services.add_municipality(actor=secretariat, country=sweden, code="0301", name="X")
    assert added.code == demo.oslo.code and added.country != demo.oslo.country


@pytest.mark.parametrize("role", ["member", "coordinator", "funder_officer"])
def test_only_the_secretariat_adds_and_renames_municipalities(demo, role, estonia):
    actor = demo.users[role]
    with unchanged(), pytest.raises(NotAllowed):
        services.add_municipality(actor=actor, country=estonia, code="0784", name="Tallinn")
    with unchanged(), pytest.raises(NotAllowed):
        services.rename_municipality(actor=actor, municipality=demo.oslo, name="Christiania")


def test_a_municipalitys_names_change_and_its_code_stays(demo, secretariat):
    services.rename_municipality(
        actor=secretariat,
        municipality=demo.oslo,
        name="Oslo",
        region="Oslo",
        names={"nb": "Oslo", "se": "Oslo"},
    )
    demo.oslo.refresh_from_db()
    assert demo.oslo.names == {"nb": "Oslo", "se": "Oslo"} and demo.oslo.code == "0301"
    event = AuditEvent.objects.filter(action="network.municipality.update").latest("id")
    assert set(event.changes) == {"names"}
    with unchanged(), pytest.raises(InvalidInput) as exc:
        services.rename_municipality(actor=secretariat, municipality=demo.oslo, name="")
    assert exc.value.field == "name"


# --- the pages ---------------------------------------------------------------------------------


def test_a_country_without_municipalities_says_so_and_links_the_form(secretariat_client, estonia):
    countries = secretariat_client.get(reverse("network:setup-countries")).content.decode()
    url = reverse("network:setup-municipalities", args=["EE"])
    assert url in countries
    html = secretariat_client.get(url).content.decode()
    assert 'id="no-municipalities"' in html
    assert reverse("network:setup-municipality-create", args=["EE"]) in html
    assert reverse("network:setup-country-register", args=["EE"]) not in html  # none shipped


def test_a_municipality_is_added_and_renamed_on_the_pages(secretariat_client, estonia):
    create = reverse("network:setup-municipality-create", args=["EE"])
    assert secretariat_client.get(create).status_code == 200
    response = secretariat_client.post(
        create, {"code": "0784", "name": "Tallinn", "region": "Harju", "names_fi": "Tallinna"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("network:setup-municipalities", args=["EE"])
    tallinn = Municipality.objects.get(country=estonia, code="0784")
    assert tallinn.names == {"fi": "Tallinna"}
    listing = secretariat_client.get(response["Location"]).content.decode()
    assert "Tallinn" in listing and "0784" in listing

    edit = reverse("network:setup-municipality-edit", args=["EE", tallinn.slug])
    form = secretariat_client.get(edit).context["form"]
    assert "code" not in form.fields
    assert form.initial["names_fi"] == "Tallinna"
    response = secretariat_client.post(
        edit,
        {"name": "Tallinn", "region": "Harju maakond", "names_fi": "Tallinna", "names_sv": "Reval"},
    )
    assert response.status_code == 302
    tallinn.refresh_from_db()
    assert tallinn.names == {"fi": "Tallinna", "sv": "Reval"}
    assert tallinn.region == "Harju maakond" and tallinn.code == "0784"


def test_a_code_taken_shows_on_the_field_and_keeps_what_was_typed(demo, secretariat_client):
    with unchanged():
        response = secretariat_client.post(
            reverse("network:setup-municipality-create", args=["NO"]),
            {"code": "0301", "name": "Oslo again", "names_se": "Oslo"},
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert "already has the municipality 0301, Oslo" in " ".join(form.errors["code"])
    assert form["name"].value() == "Oslo again" and form["names_se"].value() == "Oslo"
