"""Charts drawn on the server as SVG, always shown with a table of the same figures.

A `Chart` is built in a view from rows the caller has already counted and formatted, and shown
with `{% include "core/includes/chart.html" with chart=chart %}`. The SVG is a picture of the
table beside it: the table is what screen readers and copy-paste use, so the SVG is one image
(`role="img"`) named by its title. No JavaScript; the SVG scales to its box by its viewBox.

Four kinds:
- "bars": one horizontal bar per row, label above it and its figure at the right ("by city").
- "columns": one vertical column per row, label below it ("by year").
- "stack": one bar split into segments that make up a whole (a budget: paid, awarded, left);
  each row's `modifier` (one of `STACK_MODIFIERS`) picks the segment's colour in site.css.
- "line": a time series: the rows are the points in order (label: the period), joined by a line;
  with `series`, one line per `Series` (a city each) on the axis of all their labels, told apart
  by dash pattern and marker as well as colour, with a legend. A row that is `missing` (withheld
  by the small-number rule, or not measured) is a gap in its line, never 0. `references` (a
  baseline, a target) are dashed horizontal lines across the plot, each labelled, and listed in
  the table too. The y-axis shows change: it spans the figures and the references with some
  room (`value_range`), from 0 only when the figures come near it.

Labels come from users, so every string is escaped (`format_html`). Values are `Decimal` or
`int` and never negative (a negative one is drawn as 0); a chart whose values are all 0 draws
empty bars rather than dividing by zero.
"""

import html
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

KINDS = ("bars", "columns", "stack", "line")
# Segment colours defined in site.css ("Charts"); a new one needs a rule there too.
STACK_MODIFIERS = ("paid", "awarded", "remaining")

WIDTH = Decimal(400)  # viewBox units; site.css caps the drawn width so 1 unit is at most 1px
FONT = 14  # font size in viewBox units
CHAR = Decimal("8.4")  # a generous average character width at FONT, to fit text in its space
GAP = 4

BAR_HEIGHT = 16
BAR_ROW = FONT + GAP + BAR_HEIGHT + 12  # label line, bar, space before the next row
PLOT_HEIGHT = 160  # the tallest column
STACK_HEIGHT = 32
LEGEND_ROW = 22
SWATCH = 14
LINE_STYLES = 6  # site.css styles lines sc-chart__line--0 … --5; more series repeat them
MARKER = 3


@dataclass(frozen=True)
class Row:
    """One figure: its label (user text), its value, and the value as people read it."""

    label: str
    value: Decimal | int
    display: str = ""  # e.g. "NOK 1 200 000"; the localised number when empty
    modifier: str = ""  # for a "stack" segment: one of STACK_MODIFIERS
    missing: bool = False  # no figure to draw (withheld or not measured): `display` says why

    def __post_init__(self):
        if self.modifier and self.modifier not in STACK_MODIFIERS:
            raise ValueError(f"{self.modifier!r} is not one of {STACK_MODIFIERS}.")

    @property
    def amount(self) -> Decimal:
        """The value as a Decimal, negative values clamped to 0."""
        return max(Decimal(self.value), Decimal(0))

    @cached_property
    def text(self) -> str:
        """The figure as people read it, formatted once (the picture and the table show it)."""
        return self.display or number_format(self.value, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Series:
    """One line of a "line" chart: its name (user text, e.g. a city) and its points in order."""

    name: str
    rows: Sequence[Row]


@dataclass(frozen=True)
class Reference:
    """A level a "line" chart is read against (a baseline, a target): drawn as a labelled
    horizontal line. `label` names it with its period ("Target 2026"), already translated."""

    label: str
    value: Decimal | int
    display: str = ""

    @property
    def amount(self) -> Decimal:
        return max(Decimal(self.value), Decimal(0))

    @property
    def text(self) -> str:
        return self.display or number_format(self.value, use_l10n=True, force_grouping=True)


def value_range(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The y-axis of a line chart: from a little under the smallest value to a little over the
    largest, rounded to the figures' scale, so a change of 42 to 45 is seen rather than lost
    on an axis from 0. It starts at 0 when the room under the smallest value would reach it."""
    if not values:
        return Decimal(0), Decimal(0)
    low, high = min(values), max(values)
    span = high - low or abs(high) or Decimal(1)
    room = span / 10
    step = Decimal(10) ** math.floor(math.log10(span))
    bottom = (low - room) / step
    top = (high + room) / step
    bottom = Decimal(math.floor(bottom)) * step
    top = Decimal(math.ceil(top)) * step
    if bottom < 0 <= low:
        bottom = Decimal(0)
    return bottom, top


@dataclass
class Chart:
    """A titled set of rows, drawn as `kind` by `svg()` and listed by the include's table."""

    title: str  # already translated by the caller
    rows: Sequence[Row]
    kind: str = "bars"
    label_header: str = _("Category")
    value_header: str = _("Value")
    empty: str = _("No data yet.")
    total_display: str = ""  # shown as a "Total" row under the table when given
    series: Sequence[Series] = ()  # a "line" chart of several lines; `rows` then stays empty
    references: Sequence[Reference] = ()  # a "line" chart's baseline, target: dashed lines
    html_id: str = field(default_factory=lambda: f"chart-{uuid.uuid4().hex[:8]}")

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.kind!r} is not one of {KINDS}.")
        self.rows = list(self.rows)
        self.series = list(self.series)
        self.references = list(self.references)
        if self.series and self.kind != "line":
            raise ValueError("Only a line chart draws several series.")
        if self.references and self.kind != "line":
            raise ValueError("Only a line chart draws reference lines.")

    @property
    def has_figures(self) -> bool:
        return bool(self.rows or any(s.rows for s in self.series))

    def table_rows(self) -> SafeString:
        """The table's body rows (label, figure), escaped and joined here rather than by a
        template loop: a long series costs a template tag per cell otherwise."""
        return _table_rows(self.rows)

    def reference_rows(self) -> SafeString:
        """The references' rows of the table, as `table_rows`."""
        return _table_rows(self.references)

    def svg(self) -> SafeString:
        """The chart as inline SVG, or an empty string when there are no rows."""
        if not self.has_figures:
            return mark_safe("")
        draw = {
            "bars": self._bars,
            "columns": self._columns,
            "stack": self._stack,
            "line": self._line,
        }[self.kind]
        height, body = draw()
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="sc-chart__svg sc-chart__svg--{kind}" '
            'viewBox="0 0 {width} {height}" width="100%" font-size="{font}" role="img" '
            'aria-labelledby="{id}-title {id}-desc">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
            kind=self.kind,
            width=_n(WIDTH),
            height=height,
            font=FONT,
            id=self.html_id,
            title=self.title,
            desc=self._desc(),
            body=body,
        )

    def _desc(self) -> str:
        desc = str(_("The same figures are in the table with this chart."))
        if self.references:
            lines = "; ".join(f"{ref.label}: {ref.text}" for ref in self.references)
            desc += " " + str(_("Dashed lines: %(lines)s.") % {"lines": lines})
        return desc

    def _bars(self) -> tuple[int, SafeString]:
        largest = max(_amount(row) for row in self.rows)
        parts = []
        for i, row in enumerate(self.rows):
            top = i * BAR_ROW
            room = WIDTH - _text_width(row.text) - 2 * GAP
            parts.append(_text(0, top + FONT, _fit(row.label, room), "start"))
            parts.append(_text(WIDTH, top + FONT, row.text, "end"))
            parts.append(
                _rect(0, top + FONT + GAP, _share(_amount(row), largest), BAR_HEIGHT, row, "bar")
            )
        return len(self.rows) * BAR_ROW - 12, _join(parts)

    def _columns(self) -> tuple[int, SafeString]:
        largest = max(_amount(row) for row in self.rows)
        slot = WIDTH / len(self.rows)
        column = slot * Decimal("0.6")
        base = FONT + GAP + PLOT_HEIGHT  # y of the axis
        parts = [
            format_html(
                '<line class="sc-chart__axis" x1="0" x2="{}" y1="{}" y2="{}"/>',
                _n(WIDTH),
                base,
                base,
            )
        ]
        for i, row in enumerate(self.rows):
            middle = i * slot + slot / 2
            height = _share(_amount(row), largest, PLOT_HEIGHT)
            parts.append(_rect(middle - column / 2, base - height, column, height, row, "column"))
            if _text_width(row.text) <= slot:  # the table has it when it does not fit
                parts.append(_text(middle, base - height - GAP, row.text, "middle"))
            parts.append(_text(middle, base + FONT + GAP, _fit(row.label, slot), "middle"))
        return base + FONT + 2 * GAP, _join(parts)

    def _stack(self) -> tuple[int, SafeString]:
        total = sum(row.amount for row in self.rows)
        parts, dividers, done = [], [], Decimal(0)
        for row in self.rows:
            # Each edge is placed from the running sum, so the widths add up to WIDTH exactly.
            left = _share(done, total)
            done += row.amount
            right = _share(done, total)
            parts.append(_rect(left, 0, right - left, STACK_HEIGHT, row, "seg"))
            if 0 < right < WIDTH:
                dividers.append(_line(right))
        parts += dividers
        parts.append(
            format_html(
                '<rect class="sc-chart__frame" x="0" y="0" width="{}" height="{}"/>',
                _n(WIDTH),
                STACK_HEIGHT,
            )
        )
        for i, row in enumerate(self.rows):
            top = STACK_HEIGHT + 12 + i * LEGEND_ROW
            parts.append(_rect(0, top, SWATCH, SWATCH, row, "seg", title=False))
            room = WIDTH - SWATCH - _text_width(row.text) - 3 * GAP
            parts.append(_text(SWATCH + 2 * GAP, top + SWATCH - 2, _fit(row.label, room), "start"))
            parts.append(_text(WIDTH, top + SWATCH - 2, row.text, "end"))
        return STACK_HEIGHT + 12 + len(self.rows) * LEGEND_ROW, _join(parts)

    def _line(self) -> tuple[int, SafeString]:
        lines = self.series or [Series("", self.rows)]
        axis = list(dict.fromkeys(row.label for line in lines for row in line.rows))
        drawn = [row.amount for line in lines for row in line.rows if not row.missing]
        bottom, top_value = value_range([*drawn, *(ref.amount for ref in self.references)])
        low_label, high_label = _top_label(bottom), _top_label(top_value)
        left = max(_text_width(low_label), _text_width(high_label)) + GAP
        slot = (WIDTH - left) / len(axis)
        top, base = FONT, FONT + PLOT_HEIGHT  # y of the axis's top value and of its bottom one

        positions = {label: left + slot * i + slot / 2 for i, label in enumerate(axis)}

        def x(label: str) -> Decimal:
            return positions[label]

        def y(row: Row | Reference) -> Decimal:
            return base - _share(row.amount - bottom, top_value - bottom, PLOT_HEIGHT)

        parts = [
            format_html(
                '<line class="sc-chart__axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                _n(left), _n(WIDTH), base, base,
            ),
            _text(left - GAP, base, low_label, "end"),
        ]  # fmt: skip
        if top_value > bottom:
            parts.append(_text(left - GAP, top + FONT // 2, high_label, "end"))
        parts += self._references(left, y)
        # Every label that fits, evenly spaced; the table has them all.
        every = math.ceil((_text_width(max(axis, key=len)) + 2 * GAP) / slot)
        for label in axis[::every]:
            parts.append(_text(x(label), base + FONT + GAP, label, "middle"))
        # Each label's x written once, for every line; each point's y once, for its stretch and
        # its marker; the markers' markup put together without a template call per point.
        xs = {label: _n(at) for label, at in positions.items()}
        for n, line in enumerate(lines):
            style = f"sc-chart__line--{n % LINE_STYLES}"
            # A gap (a missing row) ends a stretch of the line; a lone point is its marker.
            stretch: list[str] = []
            markers: list[str] = []
            for row in [*line.rows, None]:
                if row is None or row.missing:
                    if len(stretch) > 1:
                        parts.append(
                            format_html(
                                '<polyline class="sc-chart__line {}" points="{}"/>',
                                style,
                                " ".join(stretch),
                            )
                        )
                    stretch = []
                    continue
                cx, cy = xs[row.label], _n(y(row))
                stretch.append(f"{cx},{cy}")
                title = f"{line.name} {row.label}" if line.name else row.label
                markers.append(
                    f'<circle class="sc-chart__marker {style}" cx="{cx}" cy="{cy}" r="{MARKER}">'
                    f"<title>{_esc(title)}: {_esc(row.text)}</title></circle>"
                )
            parts.append(mark_safe("".join(markers)))  # noqa: S308  # every text escaped above
        height = base + FONT + 2 * GAP
        if self.series:
            for n, line in enumerate(lines):
                row_top = height + 4 + n * LEGEND_ROW
                style = f"sc-chart__line--{n % LINE_STYLES}"
                middle = row_top + SWATCH // 2
                parts.append(
                    format_html(
                        '<line class="sc-chart__line {}" x1="0" x2="{}" y1="{}" y2="{}"/>',
                        style, 3 * SWATCH, middle, middle,
                    )
                )  # fmt: skip
                parts.append(_marker(Decimal(3 * SWATCH) / 2, middle, style, "", ""))
                room = WIDTH - 3 * SWATCH - 2 * GAP
                parts.append(
                    _text(
                        3 * SWATCH + 2 * GAP, row_top + SWATCH - 2, _fit(line.name, room), "start"
                    )
                )
            height += 4 + len(lines) * LEGEND_ROW
        return height, _join(parts)

    def _references(self, left: Decimal, y) -> list[SafeString]:
        """Each reference as a dashed line across the plot, labelled at its right end: above
        the line, or under it when the label above would overlap the previous one."""
        parts, taken = [], []
        for ref in sorted(self.references, key=lambda r: -r.amount):
            level = y(ref)
            text = f"{ref.label}: {ref.text}"
            at = level - GAP
            if any(abs(at - other) < FONT for other in taken):
                at = level + FONT
            taken.append(at)
            parts.append(
                format_html(
                    '<line class="sc-chart__reference" x1="{}" x2="{}" y1="{}" y2="{}">'
                    "<title>{}</title></line>",
                    _n(left), _n(WIDTH), _n(level), _n(level), text,
                )
            )  # fmt: skip
            parts.append(_text(WIDTH, at, _fit(text, WIDTH - left), "end", "sc-chart__note"))
        return parts


def _amount(row: Row) -> Decimal:
    """What a bar or column is drawn to: nothing for a missing figure."""
    return Decimal(0) if row.missing else row.amount


def _top_label(largest: Decimal) -> str:
    return number_format(largest.normalize(), use_l10n=True, force_grouping=True)


def _marker(x, y, style: str, label: str, text: str) -> SafeString:
    return format_html(
        '<circle class="sc-chart__marker {}" cx="{}" cy="{}" r="{}">{}</circle>',
        style,
        _n(x),
        _n(y),
        MARKER,
        format_html("<title>{}: {}</title>", label, text) if label else "",
    )


def _share(amount: Decimal, whole: Decimal, length: Decimal | int = WIDTH) -> Decimal:
    """amount's part of `length`, rounded to 0.01; 0 when the whole is 0."""
    if not whole:
        return Decimal(0)
    return (Decimal(length) * amount / whole).quantize(Decimal("0.01"))


def _n(number: Decimal | int) -> str:
    """A coordinate without trailing zeros or exponent: 400, 12.5."""
    text = f"{Decimal(number).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text_width(text: str) -> Decimal:
    return CHAR * len(text)


def _fit(text: str, room: Decimal) -> str:
    """text shortened with an ellipsis to fit `room` units; the table has it in full."""
    most = max(int(room / CHAR), 1)
    return text if len(text) <= most else text[: most - 1] + "…"


# The pieces below are written with f-strings and `_esc` rather than `format_html`: a chart has
# hundreds of them, and `format_html` costs a lazy-string check per argument.


def _text(x, y, text: str, anchor: str, modifier: str = "") -> SafeString:
    extra = f" {_esc(modifier)}" if modifier else ""
    return mark_safe(  # noqa: S308  # every value escaped or a number
        f'<text class="sc-chart__text{extra}" x="{_n(x)}" y="{_n(y)}" '
        f'text-anchor="{_esc(anchor)}">{_esc(text)}</text>'
    )


def _rect(x, y, width, height, row: Row, part: str, *, title: bool = True) -> SafeString:
    modifier = f" sc-chart__{part}--{_esc(row.modifier)}" if row.modifier else ""
    inner = f"<title>{_esc(row.label)}: {_esc(row.text)}</title>" if title else ""
    return mark_safe(  # noqa: S308  # every value escaped or a number
        f'<rect class="sc-chart__{_esc(part)}{modifier}" x="{_n(x)}" y="{_n(y)}" '
        f'width="{_n(width)}" height="{_n(height)}">{inner}</rect>'
    )


def _line(x) -> SafeString:
    return format_html(
        '<line class="sc-chart__divider" x1="{}" x2="{}" y1="0" y2="{}"/>',
        _n(x),
        _n(x),
        STACK_HEIGHT,
    )


def _join(parts: list[SafeString]) -> SafeString:
    """Parts each made safe (by `format_html` or escaped piece by piece), joined as they are."""
    return mark_safe("".join(parts))  # noqa: S308  # each part is already safe


def _esc(text) -> str:
    """`conditional_escape` without its lazy-string wrapper: this runs for every point."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _table_rows(rows: Sequence[Row] | Sequence[Reference]) -> SafeString:
    return mark_safe(  # noqa: S308  # every label and figure escaped here
        "".join(
            f'<tr><th scope="row">{_esc(row.label)}</th>'
            f'<td class="sc-chart__number">{_esc(row.text)}</td></tr>\n'
            for row in rows
        )
    )
