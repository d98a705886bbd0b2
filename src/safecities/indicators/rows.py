"""Import rows: what a CSV or JSON-stat file says, before the services check and write it.

`rows_from_csv` and `rows_from_jsonstat` turn a file into `Row`s, resolving municipalities by
their official code; each raises `ImportRejected` listing every problem, each naming its row
(CSV: the 1-based line and the column) or its cell (JSON-stat: the cell's dimension codes).
The readers only read: a municipality code that names no municipality, a number that is not a
number, a line with too few fields. The rules on the figures (a value is given, a percentage
lies within 0–100, a sample size is a whole number of at least zero, a status is provisional or
final), on periods (of the indicator's type, each once) and on who may write which city are
checked once per row, by the services' check (`services.checks`), which lists every problem of
the rows read.

## CSV columns

The indicator is the one the user chose for the import, not a column. A header line is
required; columns may come in any order; `;` or `,` separates them (the one the header uses);
a decimal comma is accepted ("12,5"), and spaces inside numbers are ignored ("1 234").

| column | required | meaning |
|---|---|---|
| `municipality_code` | yes | the official code, e.g. 0301 (Oslo), 0180 (Stockholm) |
| `country` | no | ISO 3166-1 alpha-2, when codes of several countries are mixed |
| `district` | no | a district of the municipality; empty for the whole city |
| `period` | yes | in the indicator's period type: 2024, 2024-H1, 2024-Q3, 2024-05 |
| `value` | yes | the value, a number |
| `numerator`, `denominator` | no | what the value is built from |
| `sample_size` | no | a whole number |
| `ci_low`, `ci_high` | no | the confidence interval |
| `status` | no | `provisional` (default) or `final` |
| `note` | no | free text |
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from safecities.core.errors import DomainError
from safecities.network.models import Country, Municipality

from . import jsonstat
from .models import VALUE_FIELDS

# the place and period, then the observation's own fields
CSV_COLUMNS = ["municipality_code", "country", "district", "period", *VALUE_FIELDS]
CSV_REQUIRED = ["municipality_code", "period", "value"]
NUMBER_COLUMNS = ["value", "numerator", "denominator", "ci_low", "ci_high"]
MAX_LISTED_ERRORS = 20
# The longest field the csv module reads (its default limit, kept process-wide); a longer one is
# refused naming its line. Notes are limited further by the services (MAX_NOTE_LENGTH).
MAX_FIELD_LENGTH = csv.field_size_limit()


@dataclass(slots=True)
class Row:
    """One observation to import. `ref` names it in messages ("line 3", "cell Region=0301, …")."""

    ref: str
    municipality_id: int
    place: str  # the official code, for messages
    period: str
    value: Decimal | None  # None: none given (the check refuses it, naming the row)
    district: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    sample_size: int | None = None
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    status: str = "provisional"
    note: str = ""
    source_url: str = ""


@dataclass(slots=True)
class RowError:
    ref: str
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.ref}, {_('column')} {self.column}" if self.column else self.ref
        return f"{where}: {self.message}"


class ImportRejected(DomainError):
    """The file or its rows cannot be imported; nothing was. `errors` lists every problem."""

    def __init__(self, errors: list[RowError], *, field: str | None = "file"):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:MAX_LISTED_ERRORS])
        more = len(errors) - MAX_LISTED_ERRORS
        if more > 0:
            shown += " " + _("… and %(n)s more.") % {"n": more}
        super().__init__(shown, field=field)

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "errors": [
                {"ref": e.ref, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


def parse_number(text) -> Decimal | None:
    """A number as people type it: "12,5", "1 234.5", "-3". Empty: None. Else ValueError."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        number = text
    elif isinstance(text, bool):
        raise ValueError(text)
    elif isinstance(text, int | float):
        number = Decimal(str(text))
    else:
        cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
        if not cleaned:
            return None
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        try:
            number = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    return number


class _Places:
    """Municipalities by official code, read once per file."""

    def __init__(self, country: Country | str | None = None):
        qs = Municipality.objects.select_related("country").only("id", "code", "country__code")
        self.by_code: dict[str, list[tuple[str, int]]] = {}
        for m in qs:
            self.by_code.setdefault(m.code, []).append((m.country.code, m.pk))
        self.country = getattr(country, "code", country)

    def find(self, code: str, country: str | None = None) -> int | str:
        """The municipality's id, or a message saying why there is none."""
        country = (country or self.country or "").upper() or None
        matches = [pk for c, pk in self.by_code.get(code, []) if country is None or c == country]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            if country:
                return _('No municipality has the code "%(code)s" in %(country)s.') % {
                    "code": code,
                    "country": country,
                }
            return _('No municipality has the code "%(code)s".') % {"code": code}
        return _('The code "%(code)s" is used in several countries: add a country column.') % {
            "code": code
        }


def rows_from_csv(text: str, *, country: Country | str | None = None) -> list[Row]:
    """Rows of a CSV file with the documented columns (see this module's docstring).

    `country` is the default for a file without a `country` column. Raises ImportRejected
    naming the line and column of every problem.
    """
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = _records(text, delimiter)
    header = next(records, (1, None))[1]
    if not header or not any(h.strip() for h in header):
        raise ImportRejected([RowError(_("line 1"), None, _("The file has no header line."))])
    names = [h.strip().lower() for h in header]
    errors = [
        RowError(
            _("line 1"),
            name,
            _("Unknown column; the columns are: %(columns)s.")
            % {"columns": ", ".join(CSV_COLUMNS)},
        )
        for name in names
        if name not in CSV_COLUMNS
    ]
    errors += [
        RowError(_("line 1"), name, _("This column is required."))
        for name in CSV_REQUIRED
        if name not in names
    ]
    if len(set(names)) != len(names):
        errors.append(RowError(_("line 1"), None, _("A column is named twice.")))
    if errors:
        raise ImportRejected(errors)
    places = _Places(country)
    position = {name: i for i, name in enumerate(names)}
    rows: list[Row] = []
    for line_no, fields in records:
        if not any(f.strip() for f in fields):
            continue
        ref = _("line %(n)s") % {"n": line_no}
        if len(fields) != len(names):
            errors.append(
                RowError(
                    ref,
                    None,
                    _("%(n)s fields where the header has %(m)s.")
                    % {"n": len(fields), "m": len(names)},
                )
            )
            continue
        get = {name: fields[i].strip() for name, i in position.items()}.get
        row_errors = len(errors)
        numbers = {}
        for column in NUMBER_COLUMNS:
            try:
                numbers[column] = parse_number(get(column))
            except ValueError:
                errors.append(
                    RowError(ref, column, _('"%(text)s" is not a number.') % {"text": get(column)})
                )
        sample_size = None
        if get("sample_size"):
            try:
                sample_size = int(get("sample_size").replace(" ", ""))
            except ValueError:
                errors.append(
                    RowError(ref, "sample_size", _("Give the sample size as a whole number."))
                )
        code = get("municipality_code") or ""
        found = places.find(code, get("country")) if code else _("The code is missing.")
        if isinstance(found, str):
            errors.append(RowError(ref, "municipality_code", found))
        if not get("period"):
            errors.append(RowError(ref, "period", _("The period is missing.")))
        if len(errors) > row_errors:
            continue
        rows.append(
            Row(
                ref=ref,
                municipality_id=found,
                place=code,
                period=get("period"),
                value=numbers["value"],
                district=get("district") or "",
                numerator=numbers.get("numerator"),
                denominator=numbers.get("denominator"),
                sample_size=sample_size,
                ci_low=numbers.get("ci_low"),
                ci_high=numbers.get("ci_high"),
                status=(get("status") or "provisional").lower(),
                note=get("note") or "",
            )
        )
    if errors:
        raise ImportRejected(errors)
    return rows


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each CSV record. A record must lie on one line: a quote left
    open, or closed only on a later line, would merge lines into one observation, so either is
    refused naming the line it opens on; so is a field longer than the csv module reads."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            ref = _("line %(n)s") % {"n": reader.line_num or start}
            if "field larger" in str(exc):
                message = _("A field is longer than %(n)s characters.") % {
                    "n": f"{MAX_FIELD_LENGTH:,}"
                }
            elif "end of data" in str(exc):
                ref = _("line %(n)s") % {"n": start}
                message = _(
                    "A quote opens on this line and is never closed: close it, or remove it."
                )
            else:
                message = _("The line is not valid CSV (%(error)s).") % {"error": exc}
            raise ImportRejected([RowError(ref, None, message)]) from exc
        if reader.line_num > start:
            raise ImportRejected(
                [
                    RowError(
                        _("line %(n)s") % {"n": start},
                        None,
                        _(
                            "A quoted field runs from this line to line %(m)s; a field cannot "
                            "hold a line break. Check for a quote that is not closed."
                        )
                        % {"m": reader.line_num},
                    )
                ]
            )
        yield start, fields


def rows_from_jsonstat(
    data: str | bytes | dict | jsonstat.Dataset,
    *,
    geo_dimension: str,
    time_dimension: str,
    content_dimension: str | None = None,
    content_code: str | None = None,
    country: Country | str,
    status: str = "final",
    source_url: str = "",
    fixed: dict[str, str] | None = None,
) -> list[Row]:
    """Rows of a JSON-stat 2.0 dataset as the user mapped it.

    `geo_dimension`'s categories are official municipality codes in `country`;
    `time_dimension`'s are periods; `content_code` of `content_dimension` is the indicator's
    figure (other contents are left out). Any other dimension must have a single category or be
    fixed to one code in `fixed` ({dimension: code}), so each row is one place and period.
    Cells without a value (null, e.g. status "..") are left out; a cell's status is kept in the
    row's note. Raises JsonStatError for a malformed file and ImportRejected naming the cell
    of every row problem.
    """
    dataset = data if isinstance(data, jsonstat.Dataset) else jsonstat.load_dataset(data)
    fixed = dict(fixed or {})
    problems: list[RowError] = []
    mapped = {geo_dimension: "geo", time_dimension: "time"}
    if content_dimension:
        mapped[content_dimension] = "content"
        if content_code is None:
            problems.append(RowError(_("mapping"), "content_code", _("Choose the content code.")))
        else:
            fixed[content_dimension] = content_code
    for dim_id in mapped:
        if dim_id not in dataset.dimensions:
            problems.append(
                RowError(
                    _("mapping"),
                    dim_id,
                    _('The dataset has no dimension "%(dim)s"; it has %(dims)s.')
                    % {"dim": dim_id, "dims": ", ".join(dataset.id)},
                )
            )
    for dim_id in dataset.id:
        dim = dataset.dimensions[dim_id]
        if dim_id in fixed and fixed[dim_id] not in dim.codes:
            problems.append(
                RowError(
                    _("mapping"),
                    dim_id,
                    _('Dimension "%(dim)s" has no category "%(code)s".')
                    % {"dim": dim_id, "code": fixed[dim_id]},
                )
            )
        elif dim_id not in mapped and dim_id not in fixed and len(dim.codes) > 1:
            problems.append(
                RowError(
                    _("mapping"),
                    dim_id,
                    _('Dimension "%(dim)s" has %(n)s categories: choose one.')
                    % {"dim": dim_id, "n": len(dim.codes)},
                )
            )
    if problems:
        raise ImportRejected(problems, field="mapping")

    places = _Places(country)
    found = {code: places.find(code) for code in dataset.dimensions[geo_dimension].codes}
    rows: list[Row] = []
    errors: list[RowError] = []
    for cell in dataset.cells():
        if any(cell[d] != code for d, code in fixed.items()) or cell["value"] is None:
            continue
        ref = _("cell %(cell)s") % {"cell": dataset.cell_name(cell)}
        place = cell[geo_dimension]
        municipality = found[place]
        if isinstance(municipality, str):
            errors.append(RowError(ref, geo_dimension, municipality))
            continue
        rows.append(
            Row(
                ref=ref,
                municipality_id=municipality,
                place=place,
                period=cell[time_dimension],
                value=cell["value"],
                status=status,
                note=_("Status: %(status)s") % {"status": cell["status"]} if cell["status"] else "",
                source_url=source_url,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return rows
