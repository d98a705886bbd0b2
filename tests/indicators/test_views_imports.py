"""The import wizard through the test client: upload, map, preview, commit, the list, undo.

Bad files are refused with a message naming the line or cell, and change nothing.
"""

import copy
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from safecities.indicators.models import Import, Observation
from tests.utils import stored_files, unchanged

SSB = json.loads((Path(__file__).parent / "fixtures" / "ssb_kriminalitet.json").read_text())
CSV = "municipality_code;period;value\n0301;2023;437\n3301;2023;3\n"


def upload(client, indicator, name, content, **extra):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile(name, data), **extra},
    )


def mapping(**changes) -> dict:
    values = {
        "dataset": "0",
        "country": "",
        "dim_Region": "@geo",
        "dim_ContentsCode": "Hatkrim",
        "dim_Tid": "@time",
    }
    values.update(changes)
    return values


def country_pk(code="NO"):
    from safecities.network.models import Country

    return Country.objects.get(code=code).pk


def values(indicator) -> dict:
    return {
        (o.municipality.code, o.period): o.value
        for o in Observation.objects.filter(indicator=indicator).select_related("municipality")
    }


# --- CSV -------------------------------------------------------------------------------------


def test_the_upload_page_documents_the_csv_columns(secretariat_client):
    page = secretariat_client.get(reverse("indicators:import-new")).content.decode()
    for column in ("municipality_code", "period", "value", "sample_size", "ci_low"):
        assert f"<code>{column}</code>" in page
    assert 'enctype="multipart/form-data"' in page


def test_a_csv_import_through_preview_commit_and_undo(secretariat_client, indicator):
    response = upload(secretariat_client, indicator, "figures.csv", CSV)
    import_ = Import.objects.get()
    assert import_.status == "draft" and import_.row_count == 2
    assert response.url == reverse("indicators:import-preview", args=[import_.pk])
    assert import_.file.name in stored_files()
    assert Observation.objects.count() == 0

    preview = secretariat_client.get(response.url).content.decode()
    assert "Nothing has been written yet" in preview
    assert "0301" in preview and "line 2" in preview
    assert "&lt;5" in preview and ">3<" not in preview  # Drammen's 3 is a small count
    assert Observation.objects.count() == 0

    done = secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    assert done.url == reverse("indicators:import-detail", args=[import_.pk])
    import_.refresh_from_db()
    assert (import_.status, import_.created_count) == ("committed", 2)
    assert values(indicator) == {("0301", "2023"): 437, ("3301", "2023"): 3}
    assert set(import_.municipalities.values_list("code", flat=True)) == {"0301", "3301"}

    page = secretariat_client.get(done.url).content.decode()
    assert "Committed" in page and "Undo the import" in page

    # Committing twice does nothing more.
    with unchanged():
        secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))

    secretariat_client.post(reverse("indicators:import-undo", args=[import_.pk]))
    import_.refresh_from_db()
    assert import_.status == "undone"
    assert values(indicator) == {}


def test_undo_asks_a_post(secretariat_client, secretariat, indicator):
    upload(secretariat_client, indicator, "figures.csv", CSV)
    import_ = Import.objects.get()
    secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    with unchanged():
        assert (
            secretariat_client.get(reverse("indicators:import-undo", args=[import_.pk])).status_code
            == 405
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("figures.pdf", b"%PDF-1.4 \x00\x01binary", "neither CSV"),
        ("figures.csv", b"\xff\xfe\x00m\x00u", "not text"),
        ("figures.csv", b"municipality_code;period;value\n0301;2023;abc\n", "line 2, column value"),
        ("figures.csv", b"municipality_code;period;value\n9999;2023;1\n", 'code "9999"'),
        ("table.json", b'{"class": "dataset", "id": [', "not JSON"),
        ("table.json", b'{"class": "bundle"}', "collection"),
        ("empty.csv", b"", "empty"),
    ],
    ids=[
        "wrong-type",
        "binary",
        "not-a-number",
        "unknown-code",
        "broken-json",
        "not-jsonstat",
        "empty",
    ],
)
def test_a_bad_file_is_refused_naming_where_and_changes_nothing(
    secretariat_client, indicator, name, content, message
):
    with unchanged():
        response = upload(secretariat_client, indicator, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was imported" in page.lower() or "Please correct" in page
    assert message in page.replace("&quot;", '"')


def test_a_coordinator_is_refused_another_citys_row_naming_the_line(coordinator_client, indicator):
    text = "municipality_code;period;value\n0301;2023;437\n1103;2023;58\n"
    with unchanged():
        page = upload(coordinator_client, indicator, "figures.csv", text).content.decode()
    assert "line 3" in page and "You may not import figures for 1103" in page


def test_a_refused_file_says_on_the_form_how_many_problems_and_lists_each_once(
    secretariat_client, indicator
):
    text = "municipality_code;period;value\n0301;2023;x\n3301;2023;y\n"
    with unchanged():
        response = upload(secretariat_client, indicator, "figures.csv", text)
    form = response.context["form"]
    assert form.errors["file"] == ["2 problems found; nothing was imported. Each is listed below."]
    assert [(e.ref, e.column) for e in response.context["errors"]] == [
        ("line 2", "value"),
        ("line 3", "value"),
    ]
    assert response.context["error_count"] == 2


def test_a_coordinator_imports_their_own_cities(coordinator_client, coordinator, indicator):
    upload(coordinator_client, indicator, "figures.csv", CSV)
    import_ = Import.objects.get()
    coordinator_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    import_.refresh_from_db()
    assert import_.status == "committed" and import_.created_by == coordinator


# --- JSON-stat -------------------------------------------------------------------------------


def test_a_jsonstat_dataset_is_mapped_previewed_and_committed(secretariat_client, indicator):
    response = upload(secretariat_client, indicator, "08487.json", json.dumps(SSB))
    import_ = Import.objects.get(filename="08487.json")
    assert response.url == reverse("indicators:import-map", args=[import_.pk])
    page = secretariat_client.get(response.url).content.decode()
    # The dimensions and their categories are shown; the roles preselect the mapping.
    assert "Region" in page and "Drammen" in page and "HatkrimPer1000" in page
    assert '<option value="@geo" selected>' in page
    country_select = page.split('name="country"')[1].split("</select>")[0]
    assert '<option value="" selected>' in country_select  # no country given at upload

    # The country chosen at upload is the mapping's first guess.
    upload(secretariat_client, indicator, "again.json", json.dumps(SSB), country=country_pk())
    again = Import.objects.get(filename="again.json")
    page = secretariat_client.get(
        reverse("indicators:import-map", args=[again.pk])
    ).content.decode()
    assert f'<option value="{country_pk()}" selected>' in page

    mapped = secretariat_client.post(response.url, mapping(country=country_pk()))
    assert mapped.url == reverse("indicators:import-preview", args=[import_.pk])
    import_.refresh_from_db()
    assert import_.mapping["content_code"] == "Hatkrim"
    assert import_.row_count == 5  # two cells are null ("..")
    assert "cell Region=0301, ContentsCode=Hatkrim, Tid=2022" in (
        secretariat_client.get(mapped.url).content.decode()
    )
    secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    import_.refresh_from_db()
    assert import_.status == "committed" and import_.created_count == 5
    assert values(indicator)[("0301", "2023")] == 437


def test_a_dataset_of_a_collection_is_chosen(secretariat_client, indicator):
    other = copy.deepcopy(SSB)
    other["label"] = "Second table"
    other["value"] = [v * 2 if v is not None else None for v in other["value"]]
    collection = {
        "version": "2.0",
        "class": "collection",
        "link": {
            "item": [{**SSB, "label": "First table"}, other, {"class": "dataset", "href": "x"}]
        },
    }
    upload(secretariat_client, indicator, "tables.json", json.dumps(collection))
    import_ = Import.objects.get()
    url = reverse("indicators:import-map", args=[import_.pk])
    page = secretariat_client.get(url).content.decode()
    assert "First table" in page and "Second table" in page
    assert "Second table" in secretariat_client.get(url, {"dataset": 1}).content.decode()
    secretariat_client.post(url, mapping(dataset="1", country=country_pk()))
    secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    assert values(indicator)[("0301", "2022")] == 824


def test_an_unknown_code_names_the_cell_and_changes_nothing(secretariat_client, indicator):
    data = copy.deepcopy(SSB)
    data["dimension"]["Region"]["category"]["index"] = {"0301": 0, "9999": 1, "1103": 2}
    upload(secretariat_client, indicator, "08487.json", json.dumps(data))
    import_ = Import.objects.get()
    with unchanged():
        page = secretariat_client.post(
            reverse("indicators:import-map", args=[import_.pk]), mapping(country=country_pk())
        ).content.decode()
    assert "cell Region=9999, ContentsCode=Hatkrim, Tid=2022" in page
    assert 'No municipality has the code "9999"' in page.replace("&quot;", '"')
    import_.refresh_from_db()
    assert "geo_dimension" not in import_.mapping


def test_a_mapping_needs_one_place_and_one_time_dimension(secretariat_client, indicator):
    upload(secretariat_client, indicator, "08487.json", json.dumps(SSB))
    import_ = Import.objects.get()
    page = secretariat_client.post(
        reverse("indicators:import-map", args=[import_.pk]),
        mapping(dim_Tid="2023", country=country_pk()),
    ).content.decode()
    assert "exactly one dimension holding the periods" in page


def test_a_coordinator_mapping_another_citys_cells_is_refused(coordinator_client, indicator):
    upload(coordinator_client, indicator, "08487.json", json.dumps(SSB))
    import_ = Import.objects.get()
    with unchanged():
        page = coordinator_client.post(
            reverse("indicators:import-map", args=[import_.pk]), mapping(country=country_pk())
        ).content.decode()
    assert "cell Region=1103, ContentsCode=Hatkrim, Tid=2022" in page
    assert "You may not import figures for 1103" in page
    assert Observation.objects.count() == 0


# --- who sees what ---------------------------------------------------------------------------


def test_the_list_shows_each_role_its_imports(
    client_for, secretariat, coordinator, stockholm_coordinator, indicator, secretariat_client
):
    upload(
        secretariat_client, indicator, "oslo.csv", "municipality_code;period;value\n0301;2023;1\n"
    )
    oslo = Import.objects.get()
    secretariat_client.post(reverse("indicators:import-commit", args=[oslo.pk]))
    url = reverse("indicators:imports")
    assert "oslo.csv" in client_for(secretariat).get(url).content.decode()
    assert "oslo.csv" in client_for(coordinator).get(url).content.decode()
    assert "oslo.csv" not in client_for(stockholm_coordinator).get(url).content.decode()
    detail = reverse("indicators:import-detail", args=[oslo.pk])
    assert client_for(coordinator).get(detail).status_code == 200
    assert client_for(stockholm_coordinator).get(detail).status_code == 403
    # Only the importer or the secretariat may continue a draft or undo.
    assert "Undo the import" not in client_for(coordinator).get(detail).content.decode()


def test_someone_else_may_not_continue_a_draft(coordinator_client, secretariat_client, indicator):
    upload(secretariat_client, indicator, "figures.csv", CSV)
    import_ = Import.objects.get()
    with unchanged():
        assert (
            coordinator_client.get(
                reverse("indicators:import-preview", args=[import_.pk])
            ).status_code
            == 403
        )
        assert (
            coordinator_client.post(
                reverse("indicators:import-commit", args=[import_.pk])
            ).status_code
            == 403
        )


def test_the_list_filters_by_status_and_pages(secretariat_client, indicator):
    for n in range(27):
        upload(secretariat_client, indicator, f"f{n}.csv", CSV)
    page = secretariat_client.get(reverse("indicators:imports"), {"status": "draft"})
    assert "Page 1 of 2" in page.content.decode()
    assert (
        "No imports to show"
        in secretariat_client.get(
            reverse("indicators:imports"), {"status": "failed"}
        ).content.decode()
    )


def test_the_list_shows_each_status_in_the_readers_language(secretariat_client, indicator):
    upload(secretariat_client, indicator, "figures.csv", CSV)
    page = secretariat_client.get(reverse("indicators:imports"), HTTP_ACCEPT_LANGUAGE="nb")
    with translation.override("nb"):
        draft = translation.gettext("Draft")
    assert draft != "Draft" and f"<td>{draft}</td>" in page.content.decode()


def test_the_list_does_not_grow_in_queries(
    secretariat_client, indicator, django_assert_max_num_queries
):
    for n in range(12):
        upload(secretariat_client, indicator, f"f{n}.csv", CSV)
    with django_assert_max_num_queries(12):
        secretariat_client.get(reverse("indicators:imports"))


def test_a_draft_is_discarded_from_its_preview_after_a_confirmation(
    secretariat_client, coordinator_client, indicator, django_capture_on_commit_callbacks
):
    from safecities.core.models import AuditEvent

    upload(secretariat_client, indicator, "figures.csv", CSV)
    import_ = Import.objects.get()
    url = reverse("indicators:import-discard", args=[import_.pk])
    for page in ("import-preview", "import-detail"):
        shown = secretariat_client.get(reverse(f"indicators:{page}", args=[import_.pk]))
        assert f'href="{url}"' in shown.content.decode()
    with unchanged():
        assert coordinator_client.post(url).status_code == 403
        asked = secretariat_client.get(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "figures.csv" in page and "no figures have been written" in page
    assert 'method="post"' in page
    name = import_.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url)
    assert response.url == reverse("indicators:imports")
    assert not Import.objects.filter(pk=import_.pk).exists()
    assert name not in stored_files()
    assert AuditEvent.objects.filter(action="indicators.import.discard").count() == 1
    listed = secretariat_client.get(response.url).content.decode()
    assert "The draft import has been thrown away." in listed


def test_a_committed_import_is_not_discarded(secretariat_client, indicator):
    upload(secretariat_client, indicator, "figures.csv", CSV)
    import_ = Import.objects.get()
    secretariat_client.post(reverse("indicators:import-commit", args=[import_.pk]))
    url = reverse("indicators:import-discard", args=[import_.pk])
    with unchanged():
        assert secretariat_client.get(url).url == reverse(
            "indicators:import-detail", args=[import_.pk]
        )
        refused = secretariat_client.post(url, follow=True)
    assert "can no longer be changed" in refused.content.decode()
    import_.refresh_from_db()
    assert import_.is_committed and import_.file.name in stored_files()


def test_a_file_imported_again_is_previewed_and_committed_as_unchanged(
    secretariat_client, indicator
):
    from safecities.indicators.models import ObservationRevision

    upload(secretariat_client, indicator, "figures.csv", CSV)
    first = Import.objects.get()
    secretariat_client.post(reverse("indicators:import-commit", args=[first.pk]))
    written = {o.pk: o.updated_at for o in Observation.objects.all()}

    # the same figures, written with a decimal comma and trailing zeros, and one new figure
    again = CSV.replace("437", "437,00") + "0301;2024;440\n"
    response = upload(secretariat_client, indicator, "again.csv", again)
    preview = secretariat_client.get(response.url).content.decode()
    counts = preview[preview.index("What will change") : preview.index("</table>")]
    assert re.findall(r'<th scope="row">(\w+)</th><td class="sc-num">(\d+)<', counts) == [
        ("New", "1"),
        ("Updated", "0"),
        ("Unchanged", "2"),
    ]
    assert "Unchanged observations (sample)" in preview
    assert "Updated observations (sample)" not in preview

    second = Import.objects.latest("pk")
    done = secretariat_client.post(reverse("indicators:import-commit", args=[second.pk]))
    page = secretariat_client.get(done.url).content.decode()
    assert "Imported: 1 new, 0 updated, 2 unchanged." in page
    assert ObservationRevision.objects.count() == 0
    assert {o.pk: o.updated_at for o in Observation.objects.filter(pk__in=written)} == written
