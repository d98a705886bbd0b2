"""The large files read plain values, not model instances: the observations' CSV read raw from
the database writes each figure as Django's own Decimal would be written, and the practices'
files say of each practice what its model instance says, in a few queries per chunk however
many practices there are."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from safecities.charter.models import Goal
from safecities.core import csvfiles
from safecities.indicators import exports
from safecities.indicators.models import Observation
from safecities.network.models import Municipality, Organisation
from safecities.opendata import practice_rows, selectors, writers
from safecities.practices.models import Practice, PracticeTranslation
from tests.indicators.conftest import make_indicator

# Figures whose shortest float text is not the Decimal's (an exponent, too many places), and
# ones where it is; all within 15 digits (what SQLite keeps) and the field's 6 places.
FIGURES = [
    "0.000015",
    "0.00001",
    "-3.5",
    "0",
    "100",
    "1200000",
    "0.1",
    "12345678.123456",
    "999999999.999999",
    "2.000001",
    "-0.000001",
]


@pytest.fixture
def figures(secretariat):
    indicator = make_indicator(secretariat, code="plain-rate", unit_type="score")
    city = Municipality.objects.order_by("pk").first()
    Observation.objects.bulk_create(
        [
            Observation(
                indicator=indicator,
                municipality=city,
                period=str(1000 + i),
                period_start=date(1000 + i, 1, 1),
                value=Decimal(text),
                ci_low=Decimal(text) - 1,
                ci_high=Decimal(text) + Decimal("0.25"),
                denominator=Decimal(text).copy_abs() + Decimal("0.5"),
                status="final",
                updated_at=timezone.now(),
            )
            for i, text in enumerate(FIGURES)
        ]
    )
    return Observation.objects.filter(indicator=indicator).order_by("period")


def csv_text(observations) -> str:
    out = io.StringIO()
    exports.write_observations_csv(observations, out)
    return out.getvalue()


def test_raw_figures_are_written_as_the_decimals_django_reads(figures):
    from_queryset = csv_text(figures)  # read raw, in chunks
    from_instances = csv_text(list(figures.select_related("indicator", "municipality__country")))
    assert from_queryset == from_instances
    rows = list(csv.DictReader(io.StringIO(from_queryset)))
    assert [row["value"] for row in rows] == [format(Decimal(t).normalize(), "f") for t in FIGURES]
    numbers = ["value", "denominator", "ci_low", "ci_high"]
    assert not [row[n] for row in rows for n in numbers if "e" in row[n].lower()]


@pytest.mark.parametrize("number", [1.5e-05, 1e-05, 0.1, -3.5, 100.0, -0.0, 0.0, 7, None])
def test_a_stored_figure_is_the_decimal_the_field_would_give(number):
    field = Observation._meta.get_field("value")
    if number is None:
        assert exports._stored_figure(number) is None
        return
    expected = exports._SQLITE_DIGITS.create_decimal_from_float(float(number))
    expected = expected.quantize(Decimal(1).scaleb(-field.decimal_places)).normalize()
    written = "".join(csvfiles.lines(None, [[exports._stored_figure(number)]])).strip()
    assert written == format(expected, "f")


@pytest.fixture
def translated_practice():
    """A public practice with two translations, goals, cities and organisations, so each of
    its lists has something to order."""
    practice = selectors.public_practices().first()
    for language in ("sv", "da"):
        PracticeTranslation.objects.get_or_create(
            practice=practice,
            language=language,
            defaults={"title": f"Titel {language}", "summary": "=1+1", "translator": "T"},
        )
    practice.goals.add(*Goal.objects.all()[:3])
    practice.municipalities.add(*Municipality.objects.order_by("-pk")[:3])
    practice.organisations.add(*Organisation.objects.order_by("-pk")[:2])
    return practice


def test_a_practice_is_written_as_its_instance_says(translated_practice):
    practice = Practice.objects.get(pk=translated_practice.pk)
    records = json.loads(writers.practices_json(selectors.public_practices(), licence="L"))
    record = next(r for r in records["practices"] if r["id"] == practice.pk)
    translations = practice.translations.order_by("language")
    assert record["translations"] == {
        t.language: {name: getattr(t, name) for name in practice_rows.TEXTS} for t in translations
    }
    assert record["goals"] == [g.code for g in practice.goals.all()]
    assert record["cities"] == [f"{m.country.code}-{m.code}" for m in practice.municipalities.all()]
    assert record["organisations"] == [o.name for o in practice.organisations.all()]
    assert record["url"].endswith(f"/{practice.pk}/")
    rows = csv.DictReader(io.StringIO(writers.practices_csv(selectors.public_practices())))
    row = next(r for r in rows if r["id"] == str(practice.pk))
    assert row["translations"] == " ".join(t.language for t in translations)
    assert row["goals"] == " ".join(record["goals"])
    assert row["url"] == record["url"]


def test_the_practices_take_a_few_queries_per_chunk(
    translated_practice, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(practice_rows, "CHUNK", 2)
    count = selectors.public_practices().count()
    chunks = -(-count // 2)
    assert chunks > 2
    # the practices themselves, then per chunk: six related lists and the translations
    with django_assert_max_num_queries(1 + 7 * chunks):
        writers.practices_json(selectors.public_practices(), licence="L")
    with django_assert_max_num_queries(1 + 4 * chunks):
        writers.practices_csv(selectors.public_practices())
