"""The JSON-stat export reads back through our own import: export the demo's observations, take
them out, import the file (through the import service, and through the import pages), and the
same observations are back: indicator, place, period and value, exactly."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecities.indicators import exports, jsonstat, selectors, services
from safecities.indicators.models import Indicator, Observation
from safecities.network.models import Country

FILE = "observations.jsonstat.json"


def importable():
    """The observations an import can write back: whole-city values of indicators that are not
    computed by the platform (those are refreshed from their source, never imported)."""
    return Observation.objects.filter(district="").exclude(indicator__source="computed")


def published():
    """Of those, the ones open data publishes (the small-number rule leaves the rest out)."""
    return selectors.public_observations().filter(district="").exclude(indicator__source="computed")


def cells(observations) -> set[tuple]:
    return {
        (o.indicator.code, o.municipality.country.code, o.municipality.code, o.period, o.value)
        for o in observations.select_related("indicator", "municipality__country")
    }


def exported(client) -> bytes:
    response = client.get(reverse("opendata:download", args=["indicators", FILE]))
    assert response.status_code == 200
    return response.getvalue()


def combinations(data: bytes) -> list[tuple[str, str]]:
    """(indicator, country) pairs the file holds values for, as the import takes them."""
    dataset = jsonstat.load_dataset(data)
    return sorted({(c["indicator"], c["country"]) for c in dataset.cells()})


def test_the_export_is_json_stat_with_the_roles_the_import_maps(client):
    dataset = jsonstat.load_dataset(exported(client))
    assert dataset.id == exports.DIMENSIONS
    assert dataset.role_of("geo") == ["municipality"]
    assert dataset.role_of("time") == ["period"]
    assert dataset.role_of("metric") == ["indicator"]
    written = {
        (c["indicator"], c["country"], c["municipality"], c["period"], c["value"])
        for c in dataset.cells()
    }
    assert written == cells(selectors.public_observations().filter(district=""))


def test_an_export_imported_through_the_service_gives_the_same_observations(client, secretariat):
    before = cells(published())
    assert len(before) > 20
    data = exported(client)
    importable().delete()
    assert not importable().exists()
    for code, country in combinations(data):
        indicator = Indicator.objects.get(code=code)
        if indicator.source == Indicator.Source.COMPUTED:
            continue
        draft = services.upload_import(
            secretariat, indicator=indicator, upload=SimpleUploadedFile(FILE, data)
        )
        services.map_import(
            draft,
            actor=secretariat,
            dataset=0,
            geo_dimension="municipality",
            time_dimension="period",
            fixed={"indicator": code, "country": country},
            country=country,
        )
        committed = services.commit_stored_import(draft, actor=secretariat)
        assert committed.status == "committed", committed.error
    assert cells(importable()) == before


def test_an_export_imported_through_the_pages_gives_the_same_observations(
    client, secretariat_client
):
    data = exported(client)
    code, country = next(
        (c, k)
        for c, k in combinations(data)
        if Indicator.objects.get(code=c).source != Indicator.Source.COMPUTED
    )
    indicator = Indicator.objects.get(code=code)
    before = cells(published().filter(indicator=indicator, municipality__country__code=country))
    assert before
    importable().filter(indicator=indicator, municipality__country__code=country).delete()
    response = secretariat_client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile(FILE, data)},
    )
    map_url = response.url
    page = secretariat_client.get(map_url).getvalue().decode()
    assert '<option value="@geo" selected>' in page  # the roles preselect the mapping
    preview = secretariat_client.post(
        map_url,
        {
            "dataset": "0",
            "country": Country.objects.get(code=country).pk,
            "dim_indicator": code,
            "dim_country": country,
            "dim_municipality": "@geo",
            "dim_period": "@time",
        },
    )
    import_pk = int(map_url.rstrip("/").split("/")[-2])
    assert preview.status_code == 302, preview.getvalue().decode()[:2000]
    secretariat_client.post(reverse("indicators:import-commit", args=[import_pk]))
    assert (
        cells(importable().filter(indicator=indicator, municipality__country__code=country))
        == before
    )


def test_the_json_stat_writer_keeps_every_digit():
    assert exports._number(json.loads("12.5")) == 12.5
    from decimal import Decimal

    assert exports._number(Decimal("40.000000")) == 40
    assert exports._number(Decimal("0.1")) == 0.1
    exact = Decimal("123456789012.123456")
    assert Decimal(str(exports._number(exact))) == exact
