"""Sample files to import: downloaded from the indicator's page or the upload page, they import
cleanly through the wizard as they are, with rows only for cities the person may import."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecities.indicators.models import Import, Observation
from safecities.network.models import Country
from tests.indicators.conftest import make_indicator


def _link(page: str, text: str) -> str:
    [href] = re.findall(rf'<a class="ds-link" href="([^"]+)" download>{re.escape(text)}</a>', page)
    return href


def _download(client, indicator, kind: str) -> tuple[str, bytes]:
    page = client.get(reverse("indicators:detail", args=[indicator.code])).content.decode()
    response = client.get(_link(page, f"Sample {kind} file"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    name = re.search(r'filename="([^"]+)"', disposition)[1]
    return name, b"".join(response.streaming_content) if response.streaming else response.content


def _preview(client, url: str) -> str:
    page = client.get(url).content.decode()
    assert "What will change" in page and "Problems" not in page
    return page


@pytest.mark.parametrize(
    ("unit", "period_type"),
    [
        ("percentage", "year"),
        ("count", "quarter"),
        ("rate_100k", "half_year"),
        ("score", "month"),
        ("percentage", "month"),
        ("count", "year"),
    ],
)
def test_the_sample_csv_imports_through_the_wizard(
    secretariat_client, secretariat, unit, period_type
):
    indicator = make_indicator(
        secretariat, code=f"sample-{unit}", unit_type=unit, period_type=period_type
    )
    name, data = _download(secretariat_client, indicator, "CSV")
    assert name == f"sample-{unit}-sample.csv"
    header = data.decode().splitlines()[0]
    assert header.startswith("municipality_code;country;district;period;value")
    response = secretariat_client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile(name, data)},
    )
    import_ = Import.objects.get()
    assert response.url == reverse("indicators:import-preview", args=[import_.pk])
    page = _preview(secretariat_client, response.url)
    assert re.search(r'<th scope="row">New</th><td class="sc-num">4<', page)
    secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    import_.refresh_from_db()
    assert import_.is_committed and import_.created_count == 4
    assert Observation.objects.filter(indicator=indicator).count() == 4


def test_the_sample_jsonstat_imports_through_the_wizard(secretariat_client, secretariat):
    indicator = make_indicator(secretariat, unit_type="percentage", period_type="half_year")
    name, data = _download(secretariat_client, indicator, "JSON-stat")
    dataset = json.loads(data)
    assert (dataset["version"], dataset["class"]) == ("2.0", "dataset")
    assert dataset["dimension"]["ContentsCode"]["category"]["index"] == [indicator.code]
    codes = dataset["dimension"]["Region"]["category"]["index"]
    country = Country.objects.filter(municipalities__code=codes[0]).first()
    response = secretariat_client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile(name, data), "country": country.pk},
    )
    import_ = Import.objects.get()
    assert response.url == reverse("indicators:import-map", args=[import_.pk])
    # the mapping page's choices as they are preselected
    mapping_page = secretariat_client.get(response.url)
    form = mapping_page.context["form"]
    values = {"dataset": "0", **{k: form[k].value() for k in form.fields}}
    mapped = secretariat_client.post(response.url, {k: v for k, v in values.items() if v})
    assert mapped.url == reverse("indicators:import-preview", args=[import_.pk])
    page = _preview(secretariat_client, mapped.url)
    assert re.search(r'<th scope="row">New</th><td class="sc-num">4<', page)
    for code in codes:
        assert code in page


def test_a_coordinators_sample_holds_only_their_own_cities(
    coordinator_client, coordinator, secretariat
):
    from safecities.network.permissions import coordinated_municipality_ids

    indicator = make_indicator(secretariat)
    _name, data = _download(coordinator_client, indicator, "CSV")
    lines = data.decode().splitlines()[1:]
    assert lines
    own = set(
        Observation._meta.get_field("municipality")
        .related_model.objects.filter(pk__in=coordinated_municipality_ids(coordinator))
        .values_list("code", flat=True)
    )
    assert {line.split(";")[0] for line in lines} <= own
    response = coordinator_client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile("s.csv", data)},
    )
    _preview(coordinator_client, response.url)


def test_the_upload_page_offers_a_sample_of_every_importable_indicator(
    secretariat_client, secretariat
):
    indicator = make_indicator(secretariat)
    computed = make_indicator(secretariat, code="events-held", source="computed", kind="output")
    page = secretariat_client.get(reverse("indicators:import-new")).content.decode()
    assert reverse("indicators:import-sample-csv", args=[indicator.code]) in page
    assert reverse("indicators:import-sample-jsonstat", args=[indicator.code]) in page
    assert reverse("indicators:import-sample-csv", args=[computed.code]) not in page
    assert (
        secretariat_client.get(
            reverse("indicators:import-sample-csv", args=[computed.code])
        ).status_code
        == 404
    )


def test_who_may_not_import_gets_no_sample(member_client, secretariat):
    indicator = make_indicator(secretariat)
    page = member_client.get(reverse("indicators:detail", args=[indicator.code])).content.decode()
    assert "Sample CSV file" not in page
    url = reverse("indicators:import-sample-csv", args=[indicator.code])
    assert member_client.get(url).status_code == 403


def test_a_sample_is_for_member_cities_first_else_the_persons_own(coordinator):
    from safecities.indicators.selectors import samples
    from safecities.network.models import Membership

    # Oslo is a member, Drammen not yet: the sample is Oslo's
    assert [m.code for m in samples.sample_cities(actor=coordinator)] == ["0301"]
    Membership.objects.filter(municipality__code="0301").update(status="ended")
    assert {m.code for m in samples.sample_cities(actor=coordinator)} == {"0301", "3301"}


def test_sample_periods_are_recent_whole_periods_of_the_type():
    from datetime import date

    from safecities.indicators.selectors.samples import sample_periods

    today = date(2026, 3, 1)
    assert sample_periods(period_type="year", today=today) == ["2024", "2025"]
    assert sample_periods(period_type="half_year", today=today) == ["2025-H1", "2025-H2"]
    assert sample_periods(period_type="quarter", today=today) == ["2025-Q3", "2025-Q4"]
    assert sample_periods(period_type="month", today=today) == ["2025-11", "2025-12"]
