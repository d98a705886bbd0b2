"""The secretariat's set-up of the network: countries and their registers, national programmes
with their cities, funder and contact person, and funders; through the services and the pages."""

from datetime import date

import pytest
from django.urls import reverse

from safecities.core.errors import InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.network import services
from safecities.network.models import (
    Country,
    Municipality,
    NationalProgramme,
    Organisation,
    OrganisationType,
    Person,
)
from tests.network.factories import CountryFactory
from tests.utils import unchanged

# --- countries ---------------------------------------------------------------------------------


def test_the_secretariat_creates_and_renames_a_country(secretariat):
    country = services.save_country(
        actor=secretariat, code=" ee ", name={"en": "Estonia", "fi": "Viro", "sv": " "}
    )
    assert (country.code, country.name) == ("EE", {"en": "Estonia", "fi": "Viro"})
    services.save_country(
        actor=secretariat, country=country, code="EE", name={"en": "Estonia", "et": "Eesti"}
    )
    country.refresh_from_db()
    assert country.name == {"en": "Estonia"}  # only the platform's languages are kept
    event = AuditEvent.objects.filter(action="network.country.update").latest("id")
    assert event.changes["name"] == [{"en": "Estonia", "fi": "Viro"}, {"en": "Estonia"}]


@pytest.mark.parametrize(
    ("code", "name", "field"),
    [
        ("E", {"en": "Estonia"}, "code"),
        ("E1", {"en": "Estonia"}, "code"),
        ("NO", {"en": "Norway again"}, "code"),  # the demo's Norway has it
        ("EE", {"fi": "Viro"}, "name_en"),
    ],
)
def test_bad_countries_are_refused_naming_the_field(secretariat, code, name, field):
    with unchanged(), pytest.raises(InvalidInput) as exc:
        services.save_country(actor=secretariat, code=code, name=name)
    assert exc.value.field == field


@pytest.mark.parametrize("role", ["member", "coordinator", "funder_officer"])
def test_only_the_secretariat_sets_up_countries(demo, role):
    with unchanged(), pytest.raises(NotAllowed):
        services.save_country(actor=demo.users[role], code="EE", name={"en": "Estonia"})


def test_loading_a_register_adds_the_countrys_municipalities_once(secretariat):
    iceland = CountryFactory(code="IS")
    before = Municipality.objects.filter(country=iceland).count()
    others = Municipality.objects.exclude(country=iceland).count()
    result = services.load_register(actor=secretariat, country=iceland)
    after = Municipality.objects.filter(country=iceland).count()
    assert after > before and result.created == after - before
    assert Municipality.objects.exclude(country=iceland).count() == others  # only Iceland
    event = AuditEvent.objects.filter(action="network.country.register").latest("id")
    assert event.changes == {"municipalities": [before, after]}
    again = services.load_register(actor=secretariat, country=iceland)
    assert again.created == 0
    assert Municipality.objects.filter(country=iceland).count() == after


def test_a_country_without_a_shipped_register_is_refused(secretariat):
    estonia = services.save_country(actor=secretariat, code="EE", name={"en": "Estonia"})
    with unchanged(), pytest.raises(InvalidInput) as exc:
        services.load_register(actor=secretariat, country=estonia)
    assert exc.value.field == "country"


# --- national programmes -----------------------------------------------------------------------


def _sweden(demo):
    return Country.objects.get(code="SE")


def test_the_secretariat_creates_a_national_programme_with_cities_funder_and_contact(
    demo, secretariat
):
    sweden = _sweden(demo)
    stockholm = Municipality.objects.get(country=sweden, name="Stockholm")
    contact = Person.objects.filter(full_name="Emil Lund").first()
    programme = services.save_national_programme(
        actor=secretariat,
        name="Trygga städer Sverige",
        local_name="Trygga städer",
        country=sweden,
        funder=demo.funder,
        starts_on=date(2026, 1, 1),
        municipalities=[stockholm],
        contact=contact,
        description={"en": "Swedish cities together.", "sv": "Svenska städer tillsammans."},
    )
    assert programme.slug == "trygga-stader-sverige"
    assert list(programme.municipalities.all()) == [stockholm]
    assert programme.contact == contact
    event = AuditEvent.objects.filter(action="network.programme.create").latest("id")
    assert event.changes["municipalities"] == [[], ["Stockholm"]]


def test_a_programmes_cities_are_of_its_country(demo, secretariat):
    with unchanged(), pytest.raises(InvalidInput) as exc:
        services.save_national_programme(
            actor=secretariat,
            name="Trygga städer Sverige",
            country=_sweden(demo),
            funder=demo.funder,
            starts_on=date(2026, 1, 1),
            municipalities=[demo.oslo],
        )
    assert exc.value.field == "municipalities"
    assert "Oslo" in exc.value.message


def test_a_programme_ending_before_it_starts_is_refused(demo, secretariat):
    programme = NationalProgramme.objects.get(slug="safe-cities-norway")
    with unchanged(), pytest.raises(InvalidInput) as exc:
        services.save_national_programme(
            actor=secretariat,
            programme=programme,
            name=programme.name,
            country=programme.country,
            funder=programme.funder,
            starts_on=date(2026, 1, 1),
            ends_on=date(2025, 1, 1),
        )
    assert exc.value.field == "ends_on"


# --- the pages ---------------------------------------------------------------------------------


def test_the_setup_hub_links_every_kind_and_is_in_the_secretariats_menu(secretariat_client):
    page = secretariat_client.get(reverse("network:setup")).content.decode()
    for name in (
        "network:setup-countries",
        "network:setup-programmes",
        "network:setup-funders",
        "charter:setup",
        "charter:vocabularies",
        "grants:programmes",
    ):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("network:setup")}"' in secretariat_client.get("/").content.decode()


@pytest.mark.parametrize("role", ["member", "coordinator", "funder_officer", "reviewer"])
def test_the_setup_pages_are_the_secretariats(demo, client_for, role):
    client = client_for(demo.users[role])
    assert client.get(reverse("network:setup")).status_code == 403
    with unchanged():
        response = client.post(
            reverse("network:setup-country-create"), {"code": "EE", "name_en": "Estonia"}
        )
    assert response.status_code == 403


def test_a_country_is_created_and_edited_on_its_pages(secretariat_client):
    response = secretariat_client.post(
        reverse("network:setup-country-create"), {"code": "ee", "name_en": "Estonia"}
    )
    assert response.status_code == 302
    assert Country.objects.get(code="EE").name == {"en": "Estonia"}
    listing = secretariat_client.get(reverse("network:setup-countries")).content.decode()
    assert "Estonia" in listing
    assert reverse("network:setup-country-edit", args=["EE"]) in listing
    assert reverse("network:setup-country-register", args=["NO"]) in listing
    assert reverse("network:setup-country-register", args=["EE"]) not in listing  # none shipped

    edit = reverse("network:setup-country-edit", args=["EE"])
    assert secretariat_client.get(edit).context["form"].initial["name_en"] == "Estonia"
    secretariat_client.post(edit, {"code": "EE", "name_en": "Estonia", "name_fi": "Viro"})
    assert Country.objects.get(code="EE").name == {"en": "Estonia", "fi": "Viro"}


def test_a_refused_country_shows_why_on_the_field_and_keeps_what_was_typed(secretariat_client):
    with unchanged():
        response = secretariat_client.post(
            reverse("network:setup-country-create"), {"code": "NO", "name_en": "Norway twice"}
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert "already exists" in " ".join(form.errors["code"])
    assert 'id="id_code_error"' in response.content.decode()
    assert form["name_en"].value() == "Norway twice"


def test_the_register_is_loaded_after_a_confirmation_page(secretariat_client):
    iceland = CountryFactory(code="IS")
    url = reverse("network:setup-country-register", args=["IS"])
    with unchanged():
        page = secretariat_client.get(url)
    assert page.status_code == 200
    assert "Load the register" in page.content.decode()
    response = secretariat_client.post(url)
    assert response.status_code == 302
    assert Municipality.objects.filter(country=iceland).count() > 50


def test_a_national_programme_is_created_and_edited_on_its_pages(demo, secretariat_client):
    sweden = _sweden(demo)
    stockholm = Municipality.objects.get(country=sweden, name="Stockholm")
    data = {
        "name": "Trygga städer Sverige",
        "local_name": "",
        "country": sweden.pk,
        "funder": demo.funder.pk,
        "starts_on": "2026-01-01",
        "ends_on": "",
        "municipalities": [stockholm.pk],
        "contact": "",
        "description_en": "Swedish cities together.",
    }
    response = secretariat_client.post(reverse("network:setup-programme-create"), data)
    programme = NationalProgramme.objects.get(name="Trygga städer Sverige")
    assert response["Location"] == reverse("network:programme", args=[programme.slug])
    shown = secretariat_client.get(response["Location"]).content.decode()
    assert "Stockholm" in shown
    assert reverse("network:setup-programme-edit", args=[programme.slug]) in shown

    edit = reverse("network:setup-programme-edit", args=[programme.slug])
    form = secretariat_client.get(edit).context["form"]
    assert set(form.fields["municipalities"].queryset.values_list("country", flat=True)) == {
        sweden.pk
    }
    contact = Person.objects.filter(full_name="Emil Lund").first()
    secretariat_client.post(edit, {**data, "contact": contact.pk, "ends_on": "2028-12-31"})
    programme.refresh_from_db()
    assert (programme.contact, programme.ends_on) == (contact, date(2028, 12, 31))
    listing = secretariat_client.get(reverse("network:setup-programmes")).content.decode()
    assert "Emil Lund" in listing


def test_a_programme_with_a_city_of_another_country_names_the_field(demo, secretariat_client):
    data = {
        "name": "Trygga städer Sverige",
        "country": _sweden(demo).pk,
        "funder": demo.funder.pk,
        "starts_on": "2026-01-01",
        "municipalities": [demo.oslo.pk],
    }
    with unchanged():
        response = secretariat_client.post(reverse("network:setup-programme-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["municipalities"]


def test_a_funder_is_created_on_its_page_and_offered_to_programmes(demo, secretariat_client):
    norway = Country.objects.get(code="NO")
    response = secretariat_client.post(
        reverse("network:setup-funder-create"),
        {"name": "Sparebankstiftelsen", "type": "foundation", "country": norway.pk},
    )
    assert response.status_code == 302
    funder = Organisation.objects.get(name="Sparebankstiftelsen")
    assert funder.type == OrganisationType.FOUNDATION
    assert (
        "Sparebankstiftelsen"
        in secretariat_client.get(reverse("network:setup-funders")).content.decode()
    )
    form = secretariat_client.get(reverse("network:setup-programme-create")).context["form"]
    assert funder in form.fields["funder"].queryset
    assert demo.nuorten_aani not in form.fields["funder"].queryset


def test_the_programme_page_shows_its_contact_only_if_they_are_listed_publicly(
    demo, secretariat, client
):
    programme = NationalProgramme.objects.get(slug="safe-cities-norway")
    for listed in (False, True):
        contact = Person.objects.create(
            full_name=f"Kari Kontakt {listed}", email="kari@example.net", listed_publicly=listed
        )
        services.save_national_programme(
            actor=secretariat,
            programme=programme,
            name=programme.name,
            country=programme.country,
            funder=programme.funder,
            starts_on=programme.starts_on,
            contact=contact,
        )
        page = client.get(reverse("network:programme", args=[programme.slug])).content.decode()
        assert (contact.full_name in page) is listed
