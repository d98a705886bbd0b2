"""A brand-new installation reaches a working network through pages alone.

From an empty database (as after `migrate`) with one superuser made by `createsuperuser`, as the
README says, the secretariat creates a country, loads its register and adds a municipality the
register does not list yet, a charter goal and the charter version that holds it, a funder, a
national programme with a city picked from the register, and a grant programme; then edits the
grant programme's budget. axe-core checks every page on the way."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from safecities.charter.models import CharterVersion, Goal
from safecities.core.models import User
from safecities.grants.models import Programme
from safecities.network.models import Country, Municipality, NationalProgramme, Organisation
from tests.browser.conftest import DEMO_PASSWORD, submit
from tests.utils import current_code

pytestmark = pytest.mark.browser

EMAIL = "sekretariat@example.net"


@pytest.fixture
def empty_installation(transactional_db, monkeypatch):
    """Nothing but the migrated tables, and the superuser `createsuperuser` makes."""
    call_command("flush", interactive=False, verbosity=0)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", DEMO_PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        email=EMAIL,
        full_name="Siri Sekretær",
        verbosity=0,
    )
    user = User.objects.get(email=EMAIL)
    current_code(user)  # the authenticator the superuser sets up at their first sign-in
    assert not Country.objects.exists() and not Goal.objects.exists()
    return user


def test_a_new_installation_is_set_up_through_pages_alone(empty_installation, page, axe, login):
    login(page, EMAIL)
    nav = page.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="Administration").click()
    nav.get_by_role("link", name="Set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set-up")
    axe(page)
    hub = page.url

    # A country, from the empty list, and its municipalities from the register.
    page.get_by_role("link", name="Countries and their registers").click()
    expect(page.locator("#no-countries")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="New country").click()
    axe(page)
    page.get_by_label("Code").fill("NO")
    submit(page, page.get_by_role("button", name="Save the country"))
    # English is required: the error names the field, and what was typed stays.
    expect(page.locator("#id_name_en_error")).to_be_visible()
    expect(page.get_by_label("Code")).to_have_value("NO")
    axe(page)
    page.get_by_label("Name in English").fill("Norway")
    page.get_by_label("Name in Norwegian Bokmål").fill("Norge")
    submit(page, page.get_by_role("button", name="Save the country"))
    expect(page.locator("#countries")).to_contain_text("Norway")
    axe(page)
    page.locator("#countries").get_by_role("link", name=re.compile("^Load the register")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Norway")
    axe(page)
    submit(page, page.get_by_role("button", name="Load the register"))
    assert Municipality.objects.filter(country__code="NO").count() > 300
    row = page.locator("#countries").get_by_role("row").filter(has_text="Norway")
    expect(row).not_to_contain_text(" 0 ")

    # A municipality the register file does not list yet, added by hand: a code the register
    # has is refused on its field with what was typed kept, then a new code is saved.
    page.locator("#countries").get_by_role("link", name=re.compile("^Municipalities")).click()
    expect(page.locator("#municipalities")).to_contain_text("Oslo")
    axe(page)
    page.get_by_role("link", name="Add a municipality").click()
    axe(page)
    page.get_by_label("Official code").fill("0301")
    page.get_by_label("Official name").fill("Nyby")
    page.get_by_label("Region").fill("Finnmark")
    page.get_by_label("Name in Northern Sami").fill("Ođđagávpot")
    submit(page, page.get_by_role("button", name="Save the municipality"))
    expect(page.locator("#id_code_error")).to_contain_text("0301, Oslo")
    expect(page.get_by_label("Name in Northern Sami")).to_have_value("Ođđagávpot")
    axe(page)
    page.get_by_label("Official code").fill("5699")
    submit(page, page.get_by_role("button", name="Save the municipality"))
    expect(page.locator("body")).to_contain_text("The municipality Nyby is saved.")
    nyby = Municipality.objects.get(country__code="NO", code="5699")
    assert (nyby.name, nyby.region, nyby.names) == ("Nyby", "Finnmark", {"se": "Ođđagávpot"})

    # The charter: a goal in two languages, and the version that holds it.
    page.goto(hub)
    page.get_by_role("link", name="The charter: versions and goals").click()
    expect(page.locator("#no-goals")).to_be_visible()
    expect(page.locator("#no-versions")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="New goal").first.click()
    axe(page)
    page.get_by_label("Code").fill("prevent")
    page.get_by_label("Place in the charter").fill("1")
    page.get_by_label("Name in English").fill("Prevent polarisation")
    page.get_by_label("Name in Norwegian Bokmål").fill("Forebygge polarisering")
    submit(page, page.get_by_role("button", name="Save the goal"))
    expect(page.locator("#goals")).to_contain_text("Prevent polarisation")
    expect(page.locator("#goals")).to_contain_text("en, nb")
    page.get_by_role("link", name="New charter version").click()
    axe(page)
    page.get_by_label("Version").fill("2026")
    page.get_by_label("Adopted on").fill("2026-01-15")
    page.get_by_label("Prevent polarisation").check()
    submit(page, page.get_by_role("button", name="Save the version"))
    expect(page.locator("#versions")).to_contain_text("2026")
    axe(page)
    assert list(CharterVersion.objects.get(version="2026").goals.all()) == [
        Goal.objects.get(code="prevent")
    ]

    # A funder.
    page.goto(hub)
    page.get_by_role("link", name="Funders").click()
    expect(page.locator("#no-funders")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="New funder").click()
    axe(page)
    page.get_by_label("Name").fill("Stiftelsen Trygg")
    page.get_by_label("Kind of funder").select_option(label="Foundation")
    page.get_by_label("Country").select_option(label="Norway")
    submit(page, page.get_by_role("button", name="Save the funder"))
    expect(page.locator("#funders")).to_contain_text("Stiftelsen Trygg")

    # A national programme with Oslo, picked from the register just loaded.
    page.goto(hub)
    page.get_by_role("link", name="National programmes").click()
    expect(page.locator("#no-programmes")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="New national programme").click()
    axe(page)
    page.locator("#id_name").fill("Safe Cities Norway")
    page.get_by_label("Country").select_option(label="Norway")
    page.get_by_label("Funder").select_option(label="Stiftelsen Trygg")
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("Cities").select_option(label="Oslo (NO)")
    page.get_by_label("Description in English").fill("Norwegian cities together.")
    submit(page, page.get_by_role("button", name="Save the programme"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safe Cities Norway")
    expect(page.locator("main")).to_contain_text("Oslo")
    expect(page.locator("main")).to_contain_text("Stiftelsen Trygg")
    axe(page)
    programme = NationalProgramme.objects.get(name="Safe Cities Norway")
    assert [m.name for m in programme.municipalities.all()] == ["Oslo"]

    # A grant programme of the funder, then its budget changed after it is created.
    page.goto(hub)
    page.get_by_role("link", name="Grant programmes and their calls").click()
    page.get_by_role("link", name="New programme").click()
    axe(page)
    page.get_by_label("Name").fill("Safe Cities Norway 2026–2028")
    page.get_by_label("Funder").select_option(label="Stiftelsen Trygg")
    page.get_by_label("Currency").fill("NOK")
    page.get_by_label("Budget").fill("3000000")
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("Until").fill("2028-12-31")
    page.get_by_label("Description in English").fill("Projects of cities and civil society.")
    submit(page, page.get_by_role("button", name="Create the programme"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safe Cities Norway 2026–2028")
    axe(page)
    page.locator("#programme-edit").click()
    axe(page)
    page.get_by_label("Budget").fill("3500000")
    submit(page, page.get_by_role("button", name="Save the programme"))
    expect(page.locator("#ledger")).to_contain_text("3,500,000")
    axe(page)
    grant = Programme.objects.get(name="Safe Cities Norway 2026–2028")
    assert grant.funder == Organisation.objects.get(name="Stiftelsen Trygg")
    assert grant.budget_minor == 350_000_000
