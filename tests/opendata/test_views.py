"""The open-data page and its downloads, as a visitor gets them: every dataset listed with its
licence and last change, every file downloading and parsing against its own schema, and the ZIP
holding every file with a datapackage.json that describes them."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from icalendar import Calendar
from jsonschema import Draft202012Validator

from safecities.grants import giving360
from safecities.indicators import jsonstat
from safecities.opendata import registry
from safecities.opendata.package import ZIP_NAME
from tests.grants.test_giving360 import package_errors

FORMATS = Draft202012Validator.FORMAT_CHECKER
SLUGS = ["members", "charter", "grants", "practices", "events", "indicators"]


def get(client, dataset: str, filename: str):
    response = client.get(reverse("opendata:download", args=[dataset, filename]))
    assert response.status_code == 200, (dataset, filename)
    return response


def every_file():
    return [(d, f) for d in registry.datasets() for f in d.files]


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def test_the_registry_holds_every_dataset_the_issue_names():
    assert [d.slug for d in registry.datasets()] == SLUGS
    formats = {d.slug: [f.format for f in d.files] for d in registry.datasets()}
    assert formats["grants"] == ["360Giving JSON", "360Giving CSV"]
    assert formats["events"] == ["iCalendar", "CSV"]
    assert formats["indicators"] == ["CSV", "JSON-stat 2.0"]


def test_the_page_lists_every_dataset_its_files_schemas_licence_and_zip(
    client, award, django_assert_max_num_queries
):
    with django_assert_max_num_queries(19) as queries:
        response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    # The page links the schemas without building them: no award is read row by row (the
    # 360Giving CSV schema's header would read every award).
    reads = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in reads if sql.startswith('SELECT "grants_award"."id"')]
    page = response.getvalue().decode()
    assert reverse("opendata:zip") in page
    assert reverse("opendata:datapackage") in page
    assert "Creative Commons Attribution 4.0 International" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    for dataset in registry.datasets():
        assert f'id="heading-{dataset.slug}"' in page
        assert str(dataset.title) in page
        for data_file in dataset.files:
            assert reverse("opendata:download", args=[dataset.slug, data_file.filename]) in page
            if data_file.schema.build:
                link = reverse("opendata:download", args=[dataset.slug, data_file.schema.filename])
                assert link in page
            if data_file.schema.standard:
                assert data_file.schema.url in page
    # each dataset's last change, as a date in the page's language
    assert len(re.findall(r'<time datetime="[^"]+" class="sc-last-change">', page)) == len(SLUGS)
    assert 'id="empty-' not in page  # the demo and the award fill every dataset


def test_the_last_change_is_a_localised_date(client, award):
    award_day = award.decided_at
    response = client.get(reverse("opendata:index"), headers={"accept-language": "nb"})
    page = response.getvalue().decode()
    grants = page.split('id="heading-grants"')[1].split("</section>")[0]
    assert f'datetime="{award_day:%Y}' in grants
    assert re.search(r"\d{1,2}\. \w+ \d{4}", grants), grants


def test_an_empty_dataset_says_so(client):
    page = client.get(reverse("opendata:index")).getvalue().decode()
    # the demo's grants are illustrative: none is published
    assert 'id="empty-grants"' in page
    assert 'id="empty-members"' not in page


def test_the_footer_links_to_the_page_from_an_ordinary_page(client):
    page = client.get(reverse("network:home")).getvalue().decode()
    footer = page.split('<footer class="sc-footer">')[1]
    assert f'href="{reverse("opendata:index")}"' in footer


def test_unknown_datasets_and_files_are_404(client):
    assert client.get(reverse("opendata:download", args=["nothing", "x.csv"])).status_code == 404
    assert client.get(reverse("opendata:download", args=["members", "x.csv"])).status_code == 404
    # a file of another dataset is not served under this one
    response = client.get(reverse("opendata:download", args=["members", "practices.csv"]))
    assert response.status_code == 404


@pytest.mark.parametrize(("slug", "filename"), [(d.slug, f.filename) for d, f in every_file()])
def test_every_file_downloads_and_matches_its_schema(client, award, slug, filename):
    dataset = registry.dataset(slug)
    data_file = dataset.file(filename)
    response = get(client, slug, filename)
    assert response["Content-Type"] == data_file.media_type
    body = response.getvalue()
    schema = data_file.schema
    if schema.build:
        schema_body = json.loads(get(client, slug, schema.filename).getvalue())
    if data_file.tabular:
        rows = csv_rows(body)
        assert rows[0] == [field["name"] for field in schema_body["fields"]]
        assert all(len(row) == len(rows[0]) for row in rows)
        assert all(field["type"] and "description" in field for field in schema_body["fields"])
        assert len(rows) > 1, "each CSV has rows with the demo and the award"
    elif filename.endswith(".ics"):
        calendar = Calendar.from_ical(body)
        assert calendar.walk("VEVENT")
    elif data_file.format == "JSON-stat 2.0":
        dataset_ = jsonstat.load_dataset(body)
        assert list(dataset_.cells())
    elif data_file.format == "360Giving JSON":
        assert schema_body == json.loads(giving360.SCHEMA_PATH.read_text(encoding="utf-8"))
        data = json.loads(body)
        assert data["grants"]
        assert package_errors(data) == []
    else:
        data = json.loads(body)
        Draft202012Validator.check_schema(schema_body)
        validator = Draft202012Validator(schema_body, format_checker=FORMATS)
        assert [e.message for e in validator.iter_errors(data)] == []
        assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_json_schema_would_notice_a_wrong_file(client):
    schema = json.loads(get(client, "members", "members.schema.json").getvalue())
    data = json.loads(get(client, "members", "members.json").getvalue())
    data["members"][0]["kind"] = "individual"
    data["members"][1]["member_since"] = 2020
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    assert len(list(validator.iter_errors(data))) == 2


def test_the_zip_holds_every_file_and_a_datapackage_that_matches(
    client, award, django_assert_max_num_queries
):
    # Each file read in chunks; the 360Giving CSV reads its awards twice (its header's column
    # groups, then its rows), JSON-stat its categories before its values.
    with django_assert_max_num_queries(70):
        response = client.get(reverse("opendata:zip"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{ZIP_NAME}"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    names = set(archive.namelist())
    expected = {f"{d.slug}/{f.filename}" for d, f in every_file()}
    schemas = {f"{d.slug}/{f.schema.filename}" for d, f in every_file() if f.schema.build}
    assert names == expected | schemas | {"datapackage.json", "README.md"}

    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["path"]: r for r in package["resources"]}
    assert set(resources) == expected
    for path, resource in resources.items():
        body = archive.read(path)
        assert body == get(client, *path.split("/")).getvalue()
        if resource["format"] == "csv":
            assert resource["profile"] == "tabular-data-resource"
            header = csv_rows(body)[0]
            assert [f["name"] for f in resource["schema"]["fields"]] == header
        elif isinstance(resource.get("schema"), str):
            assert resource["schema"] in names
        else:
            assert resource["conformsTo"]["path"].startswith("https://")
        assert resource["lastModified"]
    readme = archive.read("README.md").decode()
    assert "Creative Commons Attribution 4.0 International" in readme
    for dataset in registry.datasets():
        assert f"## {dataset.title}" in readme
    assert readme.count("Last change: 20") == len(SLUGS)


def test_the_datapackage_is_served_beside_the_files(client):
    package = client.get(reverse("opendata:datapackage")).json()
    for resource in package["resources"]:
        assert get(client, *resource["path"].split("/")).status_code == 200
