"""Table cells and rows written in Python, to the HTML their templates wrote: an indicator
page's ranking (fifty cities a page, six or eight cells each) and comparison (every period by
every city compared), and a dashboard's readings (an included template each), cost a template
tag per cell otherwise, more than the rest of the page."""

import html

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

NONE = "–"  # what an empty cell shows, as `|default:"–"` did


def _esc(text) -> str:
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _or_none(text) -> str:
    return _esc(text) if text else NONE


def ranking_rows(rows, *, parts: bool) -> SafeString:
    """The ranking's `<tr>`s: `rows` are (RankedValue, its figure as shown, its denominator as
    text); with `parts`, the numerator and denominator columns too."""
    # every city's link from one reversed address: a slug needs no quoting
    before, _slug, after = reverse("indicators:city", args=["-"]).rpartition("-")
    lines = []
    for ranked, value, denominator in rows:
        reading = ranked.reading
        position = localize(ranked.position) if ranked.position else NONE
        extra = (
            f'<td class="sc-chart__number">{_or_none(reading.numerator)}</td>'
            f'<td class="sc-chart__number">{_or_none(denominator)}</td>'
            if parts
            else ""
        )
        lines.append(
            f'<tr><td class="sc-chart__number">{_esc(position)}</td>'
            f'<th scope="row"><a class="ds-link" href="{_esc(before + ranked.slug + after)}">'
            f"{_esc(ranked.name)}</a></th>"
            f"<td>{_esc(reading.period)}</td>"
            f'<td class="sc-chart__number">{_esc(value)}</td>{extra}'
            f"<td>{_esc(reading.status_label)}</td></tr>\n"
        )
    return mark_safe("".join(lines))  # noqa: S308  # every value escaped above


def series_rows(table) -> SafeString:
    """The comparison's `<tr>`s: `table` is [(period, [each city's figure as shown])]."""
    lines = []
    for period, values in table:
        cells = "".join(f'<td class="sc-chart__number">{_or_none(v)}</td>' for v in values)
        lines.append(f'<tr><th scope="row">{_esc(period)}</th>{cells}</tr>\n')
    return mark_safe("".join(lines))  # noqa: S308  # every value escaped above


def reading_cell(reading) -> SafeString:
    """A baseline, latest figure or target with its period, as "indicators/_reading.html"
    shows it ("withheld" where the small-number rule hides it); "–" for none."""
    if reading is None:
        return mark_safe(NONE)
    shown = _("withheld") if reading.display is None else reading.display
    return mark_safe(  # noqa: S308  # every value escaped
        f'{_esc(shown)} <span class="sc-meta">({_esc(reading.period)})</span>'
    )
