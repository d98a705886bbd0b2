"""The JSON-stat 2.0 reader: every shape the Nordic statistics offices serve, and every way a
file can be wrong."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from safecities.indicators import jsonstat
from safecities.indicators.jsonstat import JsonStatError

SSB = json.loads((Path(__file__).parent / "fixtures" / "ssb_kriminalitet.json").read_text())


def small(**overrides) -> dict:
    data = {
        "version": "2.0",
        "class": "dataset",
        "id": ["geo", "year"],
        "size": [2, 2],
        "role": {"geo": ["geo"], "time": ["year"]},
        "dimension": {
            "geo": {"category": {"index": ["0301", "3301"]}},
            "year": {"category": {"index": ["2022", "2023"]}},
        },
        "value": [1, 2, 3, 4],
    }
    data.update(overrides)
    return data


def test_dense_dataset_yields_cells_in_row_major_order():
    dataset = jsonstat.load_dataset(SSB)
    cells = list(dataset.cells())
    assert len(cells) == 12
    assert cells[0] == {
        "Region": "0301",
        "ContentsCode": "Hatkrim",
        "Tid": "2022",
        "value": Decimal("412"),
        "status": None,
    }
    assert cells[5] == {
        "Region": "3301",
        "ContentsCode": "Hatkrim",
        "Tid": "2023",
        "value": Decimal("3"),
        "status": None,
    }
    assert cells[9]["value"] is None and cells[9]["status"] == ".."
    assert dataset.role_of("geo") == ["Region"]
    assert dataset.dimensions["Region"].label_of("3301") == "Drammen"
    assert dataset.cell_name(cells[9]) == "Region=1103, ContentsCode=Hatkrim, Tid=2023"


def test_float_values_are_read_exactly():
    cells = list(jsonstat.load_dataset(SSB).cells())
    assert cells[2]["value"] == Decimal("0.6")  # not 0.59999999…


def test_index_as_list_and_a_single_category_without_index():
    data = small(
        id=["geo", "year", "sex"],
        size=[2, 2, 1],
        dimension={
            **small()["dimension"],
            "sex": {"category": {"label": {"0": "Both sexes"}}},
        },
    )
    cells = list(jsonstat.load_dataset(data).cells())
    assert [(c["geo"], c["year"], c["sex"], c["value"]) for c in cells] == [
        ("0301", "2022", "0", 1),
        ("0301", "2023", "0", 2),
        ("3301", "2022", "0", 3),
        ("3301", "2023", "0", 4),
    ]


def test_sparse_values_and_status_forms():
    sparse = list(jsonstat.load_dataset(small(value={"1": 5, "2": 7}, status="p")).cells())
    assert [(c["geo"], c["year"], c["value"], c["status"]) for c in sparse] == [
        ("0301", "2023", 5, "p"),
        ("3301", "2022", 7, "p"),
    ]
    listed = list(jsonstat.load_dataset(small(status=["a", None, "b", None])).cells())
    assert [c["status"] for c in listed] == ["a", None, "b", None]


def test_a_collection_yields_its_embedded_datasets():
    collection = {
        "version": "2.0",
        "class": "collection",
        "link": {
            "item": [
                {"class": "dataset", "href": "https://example.org/other"},  # a link only
                small(label="first"),
                small(label="second"),
            ]
        },
    }
    assert [d.label for d in jsonstat.loads(collection)] == ["first", "second"]
    with pytest.raises(JsonStatError, match="choose one"):
        jsonstat.load_dataset(collection)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (small(value=[1, 2, 3]), "size and value do not agree"),
        (small(value={"4": 1}), "outside the 4 cells"),
        (small(value={"x": 1}), "outside the 4 cells"),
        (small(dimension={"geo": small()["dimension"]["geo"]}), 'Dimension "year" is listed'),
        (small(size=[2]), '"id" names 2 dimensions'),
        (small(size=[3, 2], value=[1] * 6), 'Dimension "geo" has 2 categories but "size" says 3'),
        (small(value=None), '"value" is missing'),
        (small(role={"geo": ["Region"]}), 'names dimension "Region"'),
        (small(**{"class": "bundle"}), '"dataset" or "collection"'),
        ("{not json", "not JSON"),
    ],
    ids=[
        "size-value-mismatch",
        "sparse-out-of-range",
        "sparse-key-not-a-number",
        "missing-dimension",
        "size-id-mismatch",
        "categories-size-mismatch",
        "no-value",
        "role-unknown-dimension",
        "not-a-dataset",
        "not-json",
    ],
)
def test_malformed_files_are_refused_saying_why(data, message):
    with pytest.raises(JsonStatError, match=message):
        list(jsonstat.load_dataset(data).cells())


def test_a_non_numeric_value_names_its_cell():
    data = copy.deepcopy(small(value=[1, "abc", 3, 4]))
    with pytest.raises(JsonStatError, match='Cell geo=0301, year=2023: the value "abc"'):
        list(jsonstat.load_dataset(data).cells())
