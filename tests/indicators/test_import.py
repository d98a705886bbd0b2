"""Imports from CSV and JSON-stat: preview, all-or-nothing commit, errors that name their row
or cell, and undo."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecities.core.errors import NotAllowed
from safecities.core.models import AuditEvent
from safecities.indicators import services
from safecities.indicators.jsonstat import JsonStatError
from safecities.indicators.models import Import, Observation, ObservationRevision
from safecities.indicators.rows import ImportRejected, Row
from tests.indicators.conftest import make_indicator
from tests.utils import unchanged

SSB = json.loads((Path(__file__).parent / "fixtures" / "ssb_kriminalitet.json").read_text())
MAPPING = {
    "geo_dimension": "Region",
    "time_dimension": "Tid",
    "content_dimension": "ContentsCode",
    "content_code": "Hatkrim",
    "country": "NO",
}


def ssb(**changes) -> dict:
    data = copy.deepcopy(SSB)
    data.update(changes)
    return data


def import_jsonstat(actor, indicator, data, **mapping):
    rows = services.rows_from_jsonstat(data, **{**MAPPING, **mapping})
    return services.commit_import(
        actor,
        indicator=indicator,
        rows=rows,
        format="jsonstat",
        filename="08487.json",
        mapping={**MAPPING, **mapping},
    )


def import_csv(actor, indicator, text):
    rows = services.rows_from_csv(text, country="NO")
    return services.commit_import(
        actor, indicator=indicator, rows=rows, format="csv", filename="figures.csv"
    )


def values(indicator) -> dict:
    return {
        (o.municipality.code, o.period): o.value
        for o in Observation.objects.filter(indicator=indicator).select_related("municipality")
    }


# --- JSON-stat ------------------------------------------------------------------------------


def test_an_ssb_dataset_imports(secretariat, indicator):
    import_ = import_jsonstat(secretariat, indicator, SSB)
    assert values(indicator) == {
        ("0301", "2022"): Decimal(412),
        ("0301", "2023"): Decimal(437),
        ("3301", "2022"): Decimal(31),
        ("3301", "2023"): Decimal(3),
        ("1103", "2022"): Decimal(58),  # 1103/2023 is ".." (null): left out
    }
    assert (import_.created_count, import_.updated_count) == (5, 0)
    assert import_.mapping["content_code"] == "Hatkrim"
    observation = Observation.objects.get(
        indicator=indicator, period="2022", district="", municipality__code="0301"
    )
    assert observation.source_import == import_
    assert observation.entered_by == secretariat
    assert observation.status == "final"
    assert AuditEvent.objects.filter(action="indicators.import.commit").count() == 1


def test_importing_again_updates_with_history_and_counts_the_unchanged(secretariat, indicator):
    import_jsonstat(secretariat, indicator, SSB)
    revised = ssb(value=[412, 440, 0.6, 0.6, 31, 3, 0.3, 0.0, 58, 61, 0.4, None], status=None)
    plan = services.preview_import(
        secretariat, indicator=indicator, rows=services.rows_from_jsonstat(revised, **MAPPING)
    )
    assert plan.errors == []
    assert {(c.place, c.period): c.action for c in plan.changes} == {
        ("0301", "2022"): "unchanged",
        ("0301", "2023"): "updated",
        ("3301", "2022"): "unchanged",
        ("3301", "2023"): "unchanged",
        ("1103", "2022"): "unchanged",
        ("1103", "2023"): "new",
    }
    second = import_jsonstat(secretariat, indicator, revised)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (1, 1, 4)
    assert Observation.objects.filter(indicator=indicator).count() == 6
    [revision] = ObservationRevision.objects.all()
    assert revision.value == Decimal(437)
    assert revision.made_by_import == second


def test_a_preview_writes_nothing(secretariat, indicator):
    rows = services.rows_from_jsonstat(SSB, **MAPPING)
    with unchanged():
        plan = services.preview_import(secretariat, indicator=indicator, rows=rows)
    assert plan.count("new") == 5


MALFORMED = {
    "size-value-mismatch": (lambda: ssb(value=SSB["value"][:-1]), "do not agree"),
    "sparse-out-of-range": (lambda: ssb(value={"0": 1, "12": 2}), "outside the 12 cells"),
    "missing-dimension": (
        lambda: ssb(dimension={k: v for k, v in SSB["dimension"].items() if k != "Tid"}),
        'Dimension "Tid" is listed',
    ),
    "unknown-geo-code": (
        lambda: ssb(
            dimension={
                **SSB["dimension"],
                "Region": {"category": {"index": ["0301", "3301", "9999"]}},
            }
        ),
        "cell Region=9999, ContentsCode=Hatkrim, Tid=2022, column Region: No municipality has "
        'the code "9999" in NO',
    ),
    "non-numeric-value": (
        lambda: ssb(value=[412, "437 (p)", *SSB["value"][2:]]),
        'Region=0301, ContentsCode=Hatkrim, Tid=2023: the value "437 \\(p\\)" is not a number',
    ),
    "period-outside-the-type": (
        lambda: ssb(
            dimension={**SSB["dimension"], "Tid": {"category": {"index": ["2022K1", "2022K2"]}}}
        ),
        'cell Region=0301, ContentsCode=Hatkrim, Tid=2022K1, column period: "2022K1" is not a '
        "period of type Year",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_dataset_imports_nothing_and_says_where(secretariat, indicator, case):
    make, message = MALFORMED[case]
    with unchanged(), pytest.raises((JsonStatError, ImportRejected), match=message):
        import_jsonstat(secretariat, indicator, make())


def test_a_mapping_to_a_missing_dimension_or_content_is_refused(secretariat, indicator):
    with pytest.raises(ImportRejected, match='no dimension "Aar"'):
        services.rows_from_jsonstat(SSB, **{**MAPPING, "time_dimension": "Aar"})
    with pytest.raises(ImportRejected, match='no category "Drap"'):
        services.rows_from_jsonstat(SSB, **{**MAPPING, "content_code": "Drap"})
    with pytest.raises(ImportRejected, match='"ContentsCode" has 2 categories: choose one'):
        services.rows_from_jsonstat(SSB, **{**MAPPING, "content_dimension": None})


def test_a_coordinator_importing_another_citys_row_is_refused(coordinator, indicator):
    """The coordinator of Oslo and Drammen; the file also holds Stavanger."""
    with unchanged(), pytest.raises(ImportRejected) as exc:
        import_jsonstat(coordinator, indicator, SSB)
    assert [(e.ref, e.column) for e in exc.value.errors] == [
        ("cell Region=1103, ContentsCode=Hatkrim, Tid=2022", "municipality_code")
    ]
    assert "1103" in exc.value.message


def test_a_coordinator_imports_their_own_cities(coordinator, indicator):
    text = "municipality_code;period;value\n0301;2023;437\n3301;2023;3\n"
    import_ = import_csv(coordinator, indicator, text)
    assert import_.created_count == 2


def test_someone_without_a_city_may_not_import(member, indicator):
    with unchanged(), pytest.raises(NotAllowed):
        import_csv(member, indicator, "municipality_code,period,value\n0301,2023,1\n")


# --- CSV ------------------------------------------------------------------------------------


def test_csv_with_semicolons_and_decimal_commas(secretariat, share_indicator):
    text = (
        "\ufeffmunicipality_code;period;value;numerator;denominator;sample_size;status;note\n"
        "0301;2023;62,5;250;400;400;final;Ungdata 2023\n"
        '3301;2023;"71,0";71;100;100;;\n'
    )
    import_csv(secretariat, share_indicator, text)
    oslo = Observation.objects.get(indicator=share_indicator, municipality__code="0301")
    assert (oslo.value, oslo.numerator, oslo.sample_size, oslo.status, oslo.note) == (
        Decimal("62.5"),
        Decimal(250),
        400,
        "final",
        "Ungdata 2023",
    )
    assert Observation.objects.get(municipality__code="3301").status == "provisional"


def test_csv_with_commas(secretariat, indicator):
    import_csv(secretariat, indicator, 'municipality_code,period,value\n0301,2023,"1 234"\n')
    assert values(indicator) == {("0301", "2023"): Decimal(1234)}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("period,value\n2023,1\n", ("line 1", "municipality_code")),
        ("municipality_code,period,value,colour\n0301,2023,1,red\n", ("line 1", "colour")),
        (
            "municipality_code,period,value\n0301,2023,1\n9999,2023,1\n",
            ("line 3", "municipality_code"),
        ),
        ("municipality_code,period,value\n0301,2023,abc\n", ("line 2", "value")),
        ("municipality_code,period,value\n0301,2023,\n", ("line 2", "value")),
        ("municipality_code,period,value\n0301,2023-Q1,1\n", ("line 2", "period")),
        ("municipality_code,period,value\n0301,2023,1\n0301,2023,2\n", ("line 3", "period")),
        ("municipality_code,period,value,status\n0301,2023,1,maybe\n", ("line 2", "status")),
        ("municipality_code,period,value\n0301,2023\n", ("line 2", None)),
    ],
    ids=[
        "missing-column",
        "unknown-column",
        "unknown-municipality",
        "non-numeric",
        "missing-value",
        "period-outside-type",
        "twice",
        "unknown-status",
        "short-line",
    ],
)
def test_csv_errors_name_line_and_column_and_import_nothing(secretariat, indicator, text, where):
    with unchanged(), pytest.raises(ImportRejected) as exc:
        import_csv(secretariat, indicator, text)
    assert (exc.value.errors[0].ref, exc.value.errors[0].column) == where


def test_every_error_of_a_file_is_listed(secretariat, indicator):
    text = "municipality_code,period,value\n0301,2023,x\n3301,2023,y\n"
    with pytest.raises(ImportRejected) as exc:
        import_csv(secretariat, indicator, text)
    assert [e.ref for e in exc.value.errors] == ["line 2", "line 3"]
    assert "line 2, column value" in exc.value.message


def test_a_row_is_checked_once_and_every_problem_is_listed_together(coordinator, indicator):
    """The reader reads (codes, numbers as text); the rules on the figures (a value is given, a
    sample size is a whole number of at least zero) are the services' check, run once per row:
    a row missing its value is listed with a row for a city the coordinator may not write."""
    text = (
        "municipality_code;period;value;sample_size\n0301;2023;;\n1103;2023;58;\n3301;2023;3;-4\n"
    )
    with unchanged(), pytest.raises(ImportRejected) as exc:
        import_csv(coordinator, indicator, text)
    assert [(e.ref, e.column, e.message) for e in exc.value.errors] == [
        ("line 2", "value", "The value is missing."),
        ("line 3", "municipality_code", "You may not import figures for 1103."),
        ("line 4", "sample_size", "Give the sample size as a whole number."),
    ]


# --- undo -----------------------------------------------------------------------------------


def test_undo_restores_previous_values_and_deletes_created_rows(secretariat, indicator):
    before = import_csv(secretariat, indicator, "municipality_code,period,value\n0301,2022,400\n")
    earlier = values(indicator)
    import_ = import_csv(
        secretariat,
        indicator,
        "municipality_code,period,value,status\n0301,2022,412,final\n0301,2023,437,final\n",
    )
    assert values(indicator) == {("0301", "2022"): Decimal(412), ("0301", "2023"): Decimal(437)}
    services.undo_import(import_, actor=secretariat)
    assert values(indicator) == earlier
    restored = Observation.objects.get(indicator=indicator)
    assert (restored.status, restored.source_import) == ("provisional", before)
    import_.refresh_from_db()
    assert import_.status == Import.Status.UNDONE and import_.undone_by == secretariat
    with pytest.raises(services.ImportAlreadyUndone):
        services.undo_import(import_, actor=secretariat)
    # The history keeps both the import's change and its undoing.
    assert list(
        ObservationRevision.objects.filter(observation=restored)
        .order_by("id")
        .values_list("value", flat=True)
    ) == [Decimal(400), Decimal(412)]


def test_undo_is_refused_when_a_later_change_would_be_lost(secretariat, demo, indicator):
    import_ = import_csv(secretariat, indicator, "municipality_code,period,value\n0301,2022,400\n")
    services.record_observation(
        actor=secretariat, indicator=indicator, municipality=demo.oslo, period="2022", value=401
    )
    with unchanged(), pytest.raises(services.UndoConflict):
        services.undo_import(import_, actor=secretariat)


def test_only_the_importer_or_the_secretariat_undoes(coordinator, demo, indicator):
    import_ = import_csv(coordinator, indicator, "municipality_code,period,value\n0301,2022,4\n")
    with unchanged(), pytest.raises(NotAllowed):
        services.undo_import(import_, actor=demo.stockholm_coordinator)
    services.undo_import(import_, actor=coordinator)


# --- cost -----------------------------------------------------------------------------------


def _rows(demo, n: int, value: int) -> list[Row]:
    cities = [(demo.oslo.pk, "0301"), (demo.drammen.pk, "3301")]
    return [
        Row(
            ref=f"line {i + 2}",
            municipality_id=cities[i % 2][0],
            place=cities[i % 2][1],
            period=str(1950 + i // 2),
            value=Decimal(value + i),
        )
        for i in range(n)
    ]


def _commit_queries(actor, indicator, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.commit_import(actor, indicator=indicator, rows=rows, format="csv")
    return len(queries)


def test_the_cost_of_an_import_does_not_grow_with_its_rows(
    coordinator, secretariat, demo, indicator
):
    other = make_indicator(secretariat, code="meetings-held", kind="output")
    counts = []
    for ind, n in [(indicator, 10), (other, 100)]:
        # half of the rows exist already, so the second import both updates and creates
        services.commit_import(
            coordinator, indicator=ind, rows=_rows(demo, n // 2, 1), format="csv"
        )
        coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # a fresh role cache
        counts.append(_commit_queries(coordinator, ind, _rows(demo, n, 50)))
        assert Observation.objects.filter(indicator=ind).count() == n
        assert ObservationRevision.objects.filter(observation__indicator=ind).count() == n // 2
    assert counts[0] == counts[1]
