"""The Nordic municipal registry: the shipped files, the loading service, the command and the
mapping of former codes."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safecities.core.models import AuditEvent
from safecities.demo import data as demo_data
from safecities.demo.loader import Loader
from safecities.network.models import Municipality, PredecessorCode
from safecities.network.selectors import municipality_for_code
from safecities.network.services import registry


@pytest.fixture
def files(tmp_path):
    """A copy of the shipped registry files that a test may change."""
    folder = tmp_path / "registry"
    shutil.copytree(registry.REGISTRY_DIR, folder)
    return folder


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_files_hold_every_current_municipality():
    countries, predecessors = registry.read()
    assert {c: len(e) for c, e in countries.items()} == {
        "NO": 357,
        "SE": 290,
        "DK": 98,
        "FI": 308,
        "IS": 62,
    }
    names = {(c, e.code): e for c, entries in countries.items() for e in entries}
    assert names["NO", "0301"].name == "Oslo"
    assert names["NO", "5001"].name == "Trondheim - Tråante"
    assert names["NO", "5612"].name == "Guovdageaidnu - Kautokeino"
    # Each form of a Norwegian name in several languages, by language.
    assert names["NO", "5001"].names == {"nb": "Trondheim", "sma": "Tråante"}
    assert names["NO", "5612"].names == {"se": "Guovdageaidnu", "nb": "Kautokeino"}
    assert names["NO", "5540"].names == {"se": "Gáivuotna", "nb": "Kåfjord", "fkv": "Kaivuono"}
    assert names["NO", "0301"].names == {}
    assert names["SE", "0180"].name == "Stockholm"
    assert names["SE", "1480"].name == "Göteborg"
    assert names["DK", "101"].name == "København"
    assert names["DK", "751"].name == "Aarhus"
    assert names["DK", "492"].region == "Region Syddanmark"
    assert names["FI", "091"].names == {"fi": "Helsinki", "sv": "Helsingfors"}
    assert names["FI", "837"].region == "Pirkanmaa"
    assert names["FI", "499"].names["sv"] == "Korsholm"
    assert names["IS", "0000"].name == "Reykjavíkurborg"
    assert len(predecessors["NO"]) == 478


def test_the_demo_cities_have_current_codes():
    countries, _ = registry.read()
    codes = {(c, e.code) for c, entries in countries.items() for e in entries}
    missing = [
        (country, code)
        for country, code, *_rest in demo_data.MUNICIPALITIES
        if country in registry.COUNTRY_FILES and (country, code) not in codes
    ]
    assert missing == []


@pytest.mark.django_db
def test_load_creates_every_municipality_and_loading_twice_changes_nothing():
    first = registry.load()
    assert first.created + first.updated + first.unchanged == 1115
    assert first.predecessors_created == 478
    assert Municipality.objects.filter(country__code="NO").count() == 357
    count, events = Municipality.objects.count(), AuditEvent.objects.count()

    second = registry.load()

    assert (second.created, second.updated, second.unchanged) == (0, 0, 1115)
    assert (second.predecessors_created, second.predecessors_updated) == (0, 0)
    assert Municipality.objects.count() == count
    assert PredecessorCode.objects.count() == 478
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_demo_rows_are_kept_and_brought_up_to_date():
    # The demo's cities (same country and code) are the registry's rows, whichever ran first.
    before = {
        (m.country.code, m.code): (m.pk, m.population)
        for m in Municipality.objects.select_related("country")
    }
    assert ("SE", "1480") in before

    registry.load()

    for (country, code), (pk, population) in before.items():
        row = Municipality.objects.get(country__code=country, code=code)
        assert (row.pk, row.population) == (pk, population)
    gothenburg = Municipality.objects.get(country__code="SE", code="1480")
    assert (gothenburg.name, gothenburg.region) == ("Göteborg", "Västra Götalands län")
    assert Municipality.objects.filter(country__code="NO").count() == 357


@pytest.mark.django_db
def test_the_demo_marks_its_members_among_rows_the_registry_loaded_first():
    registry.load()
    # As the registry leaves a city whose file has no region and no population figure.
    Municipality.objects.filter(country__code="IS", code="0000").update(population=None, region="")
    reykjavik = Municipality.objects.get(country__code="IS", code="0000")

    Loader().run()

    reykjavik.refresh_from_db()
    assert reykjavik.name == "Reykjavíkurborg"  # the official name stays
    assert (reykjavik.population, reykjavik.region) == (140_000, "Höfuðborgarsvæðið")
    assert reykjavik.memberships.exists()
    assert Municipality.objects.filter(country__code="IS").count() == 62


@pytest.mark.django_db
def test_a_newer_classification_updates_names_and_regions_and_records_each_change(files):
    registry.load(files)
    _replace(
        files / "fi.csv",
        "837,Tampere,Pirkanmaa,Tampere,Tammerfors",
        "837,Tampere,Birkaland,Tampere,Tampereen",
    )
    _replace(files / "se.csv", "0180,Stockholm,", "0180,Stockholms stad,")

    result = registry.load(files)

    assert (result.updated, result.created) == (2, 0)
    tampere = Municipality.objects.get(country__code="FI", code="837")
    assert tampere.region == "Birkaland"
    assert tampere.names == {"fi": "Tampere", "sv": "Tampereen"}
    event = AuditEvent.objects.get(
        action="municipality.registry_updated", target_id=str(tampere.pk)
    )
    assert event.changes["region"] == ["Pirkanmaa", "Birkaland"]
    assert event.changes["names"][1] == {"fi": "Tampere", "sv": "Tampereen"}
    stockholm = AuditEvent.objects.get(
        action="municipality.registry_updated", target_label="Stockholms stad"
    )
    assert stockholm.changes == {"name": ["Stockholm", "Stockholms stad"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("fi.csv", "091,Helsinki", "91x,Helsinki", "fi.csv, row "),
        ("se.csv", "0115,Vallentuna", "0114,Vallentuna", "se.csv, row 3: code 0114 appears twice"),
        ("is.csv", "8722,Flóahreppur", "8722,", "is.csv, row 63: the name is empty"),
        ("no_predecessors.csv", ",5501\n", ",9999\n", "no_predecessors.csv, row "),
        (
            "no.csv",
            "Trøndelag,Trondheim,,Tråante",
            "Trøndelag,Trondhjem,,Tråante",
            "no.csv, row .*: the names by language \\(Trondhjem, Tråante\\) are not the forms",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_file_and_row_and_nothing_changes(
    files, file, old, new, message
):
    _replace(files / file, old, new)
    count = Municipality.objects.count()

    with pytest.raises(registry.RegistryFileError, match=message):
        registry.load(files)

    assert Municipality.objects.count() == count
    assert PredecessorCode.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_row_names_its_row_number(files):
    lines = (files / "fi.csv").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("091,"))
    _replace(files / "fi.csv", "091,Helsinki", "91x,Helsinki")

    with pytest.raises(registry.RegistryFileError) as refused:
        registry.load(files)

    assert f"fi.csv, row {number}: code '91x'" in refused.value.message


@pytest.mark.django_db
def test_former_codes_find_the_municipality_of_today():
    registry.load()

    assert municipality_for_code("NO", code="5501").name == "Tromsø"
    assert municipality_for_code("NO", code="5401").code == "5501"  # Tromsø 2020-2023
    assert municipality_for_code("NO", code="1902").code == "5501"  # Tromsø until 2019
    assert municipality_for_code("NO", code="1601").code == "5001"  # Trondheim until 2017
    assert municipality_for_code("NO", code="5030").code == "5001"  # Klæbu, merged in 2020
    assert municipality_for_code("NO", code="1507").code == "1508"  # Ålesund 2020-2023
    assert municipality_for_code("SE", code="0180").name == "Stockholm"
    assert municipality_for_code("NO", code="9998") is None


@pytest.mark.django_db
def test_the_command_loads_and_reports(files):
    out = StringIO()
    call_command("loadregistry", stdout=out)
    assert "Registry: NO 357, SE 290, DK 98, FI 308, IS 62." in out.getvalue()

    out = StringIO()
    call_command("loadregistry", stdout=out)
    assert "0 added, 0 updated, 1115 unchanged" in out.getvalue()

    (files / "is.csv").unlink()
    with pytest.raises(CommandError, match="Nothing was loaded: is.csv: the file is missing"):
        call_command("loadregistry", "--dir", str(files))
