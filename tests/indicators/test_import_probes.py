"""Files an attacker's probe sent to the importer: each is refused with a message naming its
line or the file, and nothing is stored (never a server error)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecities.indicators import jsonstat, services
from safecities.indicators.jsonstat import JsonStatError
from safecities.indicators.rows import ImportRejected
from tests.utils import unchanged

HEADER = "municipality_code,period,value,note\n"


def upload(client, indicator, name, text):
    return client.post(
        reverse("indicators:import-new"),
        {"indicator": indicator.pk, "file": SimpleUploadedFile(name, text.encode())},
    )


def test_a_cell_over_the_csv_field_limit_is_refused_naming_its_line(secretariat, indicator):
    text = HEADER + "0301,2022,1,short\n0301,2023,2," + "x" * 140_000 + "\n"
    with pytest.raises(ImportRejected) as exc:
        services.rows_from_csv(text, country="NO")
    assert exc.value.errors[0].ref == "line 3"
    assert "longer than" in exc.value.message


def test_a_long_note_is_refused_naming_its_line_and_column(secretariat, indicator):
    text = HEADER + "0301,2023,2," + "x" * 5000 + "\n"
    rows = services.rows_from_csv(text, country="NO")
    plan = services.preview_import(secretariat, indicator=indicator, rows=rows)
    assert [(e.ref, e.column) for e in plan.errors] == [("line 2", "note")]


def test_an_unterminated_quote_is_refused_with_its_line(secretariat, indicator):
    text = HEADER + '0301,2022,1,"begins\n3301,2023,2,x\n0301,2023,3,y\n'
    with pytest.raises(ImportRejected) as exc:
        services.rows_from_csv(text, country="NO")
    assert exc.value.errors[0].ref == "line 2"
    assert "quote" in exc.value.message


def test_a_quote_closing_on_a_later_line_does_not_merge_two_lines(secretariat, indicator):
    text = HEADER + '0301,2022,1,"begins\n3301,2023,2,ends"\n0301,2023,3,y\n'
    with pytest.raises(ImportRejected) as exc:
        services.rows_from_csv(text, country="NO")
    assert exc.value.errors[0].ref == "line 2"
    assert "line 3" in exc.value.message


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "0301,2023,2," + "x" * 140_000 + "\n",
        HEADER + '0301,2022,1,"begins\n3301,2023,2,x\n',
    ],
    ids=["huge-cell", "unterminated-quote"],
)
def test_the_upload_page_refuses_the_probe_and_stores_nothing(secretariat_client, indicator, text):
    with unchanged():
        response = upload(secretariat_client, indicator, "probe.csv", text)
    assert response.status_code == 200
    assert "line 2" in response.content.decode() or "line 3" in response.content.decode()


def nested(depth: int) -> str:
    return '{"class": "dataset", "extension": ' + "[" * depth + "]" * depth + "}"


def test_a_deeply_nested_jsonstat_file_is_refused_clearly():
    with pytest.raises(JsonStatError) as exc:
        jsonstat.loads(nested(100_000))
    assert "nested" in exc.value.message


def test_the_upload_page_refuses_a_deeply_nested_file(secretariat_client, indicator):
    with unchanged():
        response = upload(secretariat_client, indicator, "probe.json", nested(100_000))
    assert response.status_code == 200
    assert "nested" in response.content.decode()


def test_an_ordinary_jsonstat_file_still_loads():
    data = {
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [1, 1],
        "dimension": {
            "Region": {"category": {"index": ["0301"]}},
            "Tid": {"category": {"index": ["2023"]}},
        },
        "value": [5],
    }
    assert jsonstat.loads(json.dumps(data))[0].id == ["Region", "Tid"]
