"""The one CSV writer every download uses: no cell a person typed can run as a formula, and a
file of any length is written row by row.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return before one) as a formula, so text a person typed could run when someone opens
the file (OWASP, "CSV Injection"). Every text cell that starts with one of these characters is
written with a single quote before it, which the spreadsheet shows as text. Numbers the product
computed (an int, a float or a Decimal) are written as numbers, sign and all: `-3.5` stays
`-3.5`. See docs/open-data.md.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS = frozenset(FORMULA_STARTS)


def safe_cell(value):
    """The value as a CSV cell: None as empty, numbers (and booleans) as they are (a Decimal in plain
    notation), text starting with a formula character behind a single quote."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def figure(text: str | None) -> Decimal | str:
    """A figure the product computed and shows as text (a reading's display, a change), as
    the number it is, so that it is written as a number: "-3.5" stays -3.5. Text that is no
    number ("<5", "withheld") stays text. Only for text the product made, never typed text."""
    if not text:
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return number if number.is_finite() else text


class Writer:
    """`csv.writer` whose every cell goes through `safe_cell`.

    `csv.writer` quotes a cell holding a line break only when the break is one of its line
    terminator's characters: with "\n" lines, a carriage return inside a text would go out
    bare and start a new row in a reader (the rest of the cell, unquoted, in its first
    column). A row with a line break in a cell is therefore written with every text quoted."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)
        options["quoting"] = csv.QUOTE_NONNUMERIC
        self._quoting = csv.writer(out, **options)

    def writerow(self, row: Iterable):
        # `safe_cell` inlined for the common types: a long file calls this a million times.
        cells, breaks = [], False
        append = cells.append
        for value in row:
            kind = type(value)
            if kind is str:
                if value:
                    if value[0] in _STARTS:
                        value = "'" + value
                    if "\n" in value or "\r" in value:
                        breaks = True
            elif value is None:
                value = ""
            elif kind is Decimal:
                value = format(value, "f")
            elif not (kind is int or kind is float):
                value = safe_cell(value)
                if type(value) is str and ("\n" in value or "\r" in value):
                    breaks = True
            append(value)
        return (self._quoting if breaks else self._writer).writerow(cells)

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> Writer:
    """A safe writer on `out` (a text file, a StringIO, an HttpResponse); `options` as
    `csv.writer` takes them."""
    return Writer(out, **options)


class _Line:
    """A file that hands back what is written to it, so each row becomes one string."""

    def write(self, text: str) -> str:
        return text


def lines(header: Iterable | None, rows: Iterable[Iterable], **options) -> Iterator[str]:
    """The CSV text, one row at a time (header first when given): nothing is held but a row."""
    rows_writer = Writer(_Line(), **options)
    if header is not None:
        yield rows_writer.writerow(header)
    for row in rows:
        yield rows_writer.writerow(row)


def response(
    filename: str, header: Iterable | None, rows: Iterable[Iterable], **options
) -> StreamingHttpResponse:
    """A CSV download written row by row as it is sent (`rows` may be a lazy generator)."""
    streamed = StreamingHttpResponse(
        lines(header, rows, **options), content_type="text/csv; charset=utf-8"
    )
    streamed["Content-Disposition"] = f'attachment; filename="{filename}"'
    return streamed
