"""The decision pack's ranking rows written in Python, to the HTML its template loop wrote:
fifty proposals a page, eight cells each, with a translated text, a link and a few amounts a
row, cost a template node per cell otherwise, more than the rest of the page."""

import html

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

NO_SCORE = "—"  # as `|default_if_none:"—"` wrote
SOME_ID = 987654321  # an application id no real one equals, replaced in the reversed address


def _esc(value) -> str:
    """`{{ value }}`: localised, then escaped unless marked safe."""
    value = localize(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def ranking_rows(pack: dict) -> SafeString:
    """The ranking's `<tr>`s of `pack` (`selectors.decision_pack`), the budget line's row
    before the row where the money runs out."""
    decide = reverse("grants:application-decide", args=[SOME_ID])
    within = _esc(gettext("Within budget"))
    over = _esc(gettext("Over budget"))
    lines = []
    for row in pack["rows"]:
        if row.rank == pack["line_at"]:
            text = gettext("Budget runs out here: remaining %(remaining)s") % {
                "remaining": _esc(pack["remaining"])
            }
            lines.append(
                f'<tr class="sc-budget-line"><td colspan="8"><strong>{text}</strong></td></tr>\n'
            )
        application = row.application
        title = _esc(application.title)
        score = NO_SCORE if row.score is None else _esc(row.score)
        if row.within_budget:
            budget = f'<span class="ds-tag" data-color="success">{within}</span>'
        else:
            budget = f'<span class="ds-tag" data-color="warning">{over}</span>'
        if row.may_decide:
            href = decide.replace(str(SOME_ID), str(row.application_id))
            action = (
                f'<a class="ds-link" href="{_esc(href)}">{_esc(gettext("Decide"))}'
                f'<span class="ds-sr-only"> — {title}</span></a>'
            )
        else:
            action = f'<span class="sc-meta">{_esc(gettext("No finished review yet"))}</span>'
        lines.append(
            f'<tr><td class="sc-chart__number">{_esc(row.rank)}</td>'
            f'<th scope="row">{title}</th>'
            f"<td>{_esc(application.lead)}</td>"
            f'<td class="sc-chart__number sc-table__key">{_esc(row.requested)}</td>'
            f'<td class="sc-chart__number sc-table__key sc-table__key--first">{score} '
            f'<span class="sc-meta">({_esc(row.reviews_text)})</span></td>'
            f'<td class="sc-chart__number">{_esc(row.cumulative)}</td>'
            f'<td class="sc-table__key">{budget} <span class="sc-nowrap">'
            f"{_esc(row.budget_text)}</span></td>"
            f'<td class="sc-table__key">{action}</td></tr>\n'
        )
    return mark_safe("".join(lines))  # noqa: S308  # every value escaped above
