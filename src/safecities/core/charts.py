"""Charts drawn on the server as SVG, always shown with a table of the same figures.

A `Chart` is built in a view from rows the caller has already counted and formatted, and shown
with `{% include "core/includes/chart.html" with chart=chart %}`. The SVG is a picture of the
table beside it: the table is what screen readers and copy-paste use, so the SVG is one image
(`role="img"`) named by its title. No JavaScript; the SVG scales to its box by its viewBox.

Three kinds:
- "bars": one horizontal bar per row, label above it and its figure at the right ("by city").
- "columns": one vertical column per row, label below it ("by year").
- "stack": one bar split into segments that make up a whole (a budget: paid, awarded, left);
  each row's `modifier` (one of `STACK_MODIFIERS`) picks the segment's colour in site.css.

Labels come from users, so every string is escaped (`format_html`). Values are `Decimal` or
`int` and never negative (a negative one is drawn as 0); a chart whose values are all 0 draws
empty bars rather than dividing by zero.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

KINDS = ("bars", "columns", "stack")
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


@dataclass(frozen=True)
class Row:
    """One figure: its label (user text), its value, and the value as people read it."""

    label: str
    value: Decimal | int
    display: str = ""  # e.g. "NOK 1 200 000"; the localised number when empty
    modifier: str = ""  # for a "stack" segment: one of STACK_MODIFIERS

    def __post_init__(self):
        if self.modifier and self.modifier not in STACK_MODIFIERS:
            raise ValueError(f"{self.modifier!r} is not one of {STACK_MODIFIERS}.")

    @property
    def amount(self) -> Decimal:
        """The value as a Decimal, negative values clamped to 0."""
        return max(Decimal(self.value), Decimal(0))

    @property
    def text(self) -> str:
        return self.display or number_format(self.value, use_l10n=True, force_grouping=True)


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
    html_id: str = field(default_factory=lambda: f"chart-{uuid.uuid4().hex[:8]}")

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.kind!r} is not one of {KINDS}.")
        self.rows = list(self.rows)

    def svg(self) -> SafeString:
        """The chart as inline SVG, or an empty string when there are no rows."""
        if not self.rows:
            return mark_safe("")
        draw = {"bars": self._bars, "columns": self._columns, "stack": self._stack}[self.kind]
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
            desc=_("The same figures are in the table with this chart."),
            body=body,
        )

    def _bars(self) -> tuple[int, SafeString]:
        largest = max(row.amount for row in self.rows)
        parts = []
        for i, row in enumerate(self.rows):
            top = i * BAR_ROW
            room = WIDTH - _text_width(row.text) - 2 * GAP
            parts.append(_text(0, top + FONT, _fit(row.label, room), "start"))
            parts.append(_text(WIDTH, top + FONT, row.text, "end"))
            parts.append(
                _rect(0, top + FONT + GAP, _share(row.amount, largest), BAR_HEIGHT, row, "bar")
            )
        return len(self.rows) * BAR_ROW - 12, _join(parts)

    def _columns(self) -> tuple[int, SafeString]:
        largest = max(row.amount for row in self.rows)
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
            height = _share(row.amount, largest, PLOT_HEIGHT)
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


def _text(x, y, text: str, anchor: str) -> SafeString:
    return format_html(
        '<text class="sc-chart__text" x="{}" y="{}" text-anchor="{}">{}</text>',
        _n(x),
        _n(y),
        anchor,
        text,
    )


def _rect(x, y, width, height, row: Row, part: str, *, title: bool = True) -> SafeString:
    modifier = f" sc-chart__{part}--{row.modifier}" if row.modifier else ""
    return format_html(
        '<rect class="sc-chart__{}{}" x="{}" y="{}" width="{}" height="{}">{}</rect>',
        part,
        modifier,
        _n(x),
        _n(y),
        _n(width),
        _n(height),
        format_html("<title>{}: {}</title>", row.label, row.text) if title else "",
    )


def _line(x) -> SafeString:
    return format_html(
        '<line class="sc-chart__divider" x1="{}" x2="{}" y1="0" y2="{}"/>',
        _n(x),
        _n(x),
        STACK_HEIGHT,
    )


def _join(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))
