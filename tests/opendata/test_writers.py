"""The writers on their own: each CSV's header is its Table Schema, the small-number rule as a
query agrees with the rule itself, a writer refuses what must not be published, and the
observations' CSV is the import's CSV with the indicator in front."""

import csv
import io
from decimal import Decimal

import pytest

from safecities.indicators import exports, rows, suppression
from safecities.indicators.models import Indicator, Observation
from safecities.network.models import MemberKind, Membership
from safecities.opendata import datasets, selectors, writers


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("columns", "write", "records"),
    [
        (writers.MEMBER_COLUMNS, writers.members_csv, selectors.members),
        (writers.GOAL_COLUMNS, writers.charter_goals_csv, selectors.charter_goals),
        (writers.PRACTICE_COLUMNS, writers.practices_csv, selectors.public_practices),
        (writers.EVENT_COLUMNS, writers.events_csv, selectors.public_events),
    ],
)
def test_each_csv_header_is_its_table_schema(columns, write, records):
    text = write(records())
    schema = writers.table_schema(columns)
    assert header(text) == [f["name"] for f in schema["fields"]]
    assert all(f["description"] for f in schema["fields"])
    assert len(text.splitlines()) > 1


def test_the_observation_columns_are_the_import_columns_with_the_indicator():
    assert ["indicator", *rows.CSV_COLUMNS] == exports.CSV_FIELDS
    assert [c.name for c in datasets.OBSERVATION_COLUMNS] == exports.CSV_FIELDS


def test_the_observations_csv_of_one_indicator_reads_back_through_the_csv_import():
    observations = list(selectors.public_observations().filter(district=""))
    code = observations[0].indicator.code
    out = io.StringIO()
    exports.write_observations_csv(observations, out)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    mine = [line[1:] for line in lines[1:] if line[0] == code]
    text = io.StringIO()
    csv.writer(text).writerows([lines[0][1:], *mine])
    read = rows.rows_from_csv(text.getvalue())
    assert [(r.place, r.period, r.value) for r in read] == [
        (o.municipality.code, o.period, o.value) for o in observations if o.indicator.code == code
    ]


def test_members_are_never_individuals():
    individuals = Membership.objects.filter(kind=MemberKind.INDIVIDUAL, status="active")
    assert individuals.exists()
    assert writers.members_csv(individuals).splitlines() == [
        ",".join(header(writers.members_csv([])))
    ]
    assert not selectors.members().filter(kind=MemberKind.INDIVIDUAL).exists()


def test_the_query_of_the_small_number_rule_agrees_with_the_rule(settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    count = Indicator(code="c", unit_type=Indicator.UnitType.COUNT)
    rate = Indicator(code="r", unit_type=Indicator.UnitType.PERCENTAGE)
    shown = set(Observation.objects.filter(suppression.shown_q()).values_list("pk", flat=True))
    every = Observation.objects.select_related("indicator")
    assert every.count() > len(shown) > 0  # the demo has small counts
    for observation in every:
        assert (observation.pk in shown) == (not suppression.is_suppressed(observation))
    # the edges, on unsaved observations checked by the rule the query mirrors
    assert suppression.is_suppressed(Observation(indicator=count, value=Decimal("4.9")))
    assert not suppression.is_suppressed(Observation(indicator=count, value=Decimal(0)))
    assert not suppression.is_suppressed(Observation(indicator=rate, value=Decimal(1)))


def test_a_writer_refuses_a_suppressed_observation(settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    small = next(
        o
        for o in Observation.objects.select_related("indicator", "municipality__country")
        if suppression.is_suppressed(o)
    )
    with pytest.raises(exports.SuppressedObservation):
        exports.jsonstat_dataset([small])
    with pytest.raises(exports.SuppressedObservation):
        exports.write_observations_csv([small], io.StringIO())


def test_the_360giving_table_schema_describes_numbered_column_groups():
    schema = datasets.giving360_table_schema(
        ["Identifier", "Amount Awarded", "Beneficiary Location:1:Country Code", "Award Date"]
    )
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["Amount Awarded"]["type"] == "number"
    assert fields["Beneficiary Location:1:Country Code"]["description"].startswith("Its ISO")
    assert fields["Award Date"]["type"] == "date"
