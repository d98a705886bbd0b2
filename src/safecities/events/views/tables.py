"""The calendar's long markup written in Python, to the HTML its template loops wrote: the
month grid (six weeks of seven days, each with its events' links) and the list's rows cost
a template node per cell and per event otherwise, more than the rest of the page."""

import html
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from safecities.core import dates
from safecities.core.templatetags.core import status_tag

SOME_ID = 987654321  # an event id no real one equals, replaced in the reversed address


def _esc(value) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _detail_links():
    address = reverse("events:detail", args=[SOME_ID])
    return lambda pk: address.replace(str(SOME_ID), str(pk))


def month_rows(weeks) -> SafeString:
    """The grid's `<tr>`s: `weeks` are lists of (day, whether in the month, its events, each
    with its `clock`)."""
    detail = _detail_links()
    lines = []
    for week in weeks:
        cells = []
        for day, inside, events in week:
            number = _esc(date_format(day, "j"))
            if inside:
                head = (
                    f"<td><span>{number}</span>"
                    f'<span class="ds-sr-only"> {_esc(date_format(day, "F"))}</span>'
                )
            else:
                head = f'<td class="sc-meta"><span aria-hidden="true">{number}</span>'
            items = ""
            if events and inside:
                links = "".join(
                    f'<li><a class="ds-link" href="{_esc(detail(event.pk))}">'
                    f"{_esc(event.clock)} {_esc(event.display_title)}</a></li>"
                    for event in events
                )
                items = f'<ul class="ds-list">{links}</ul>'
            cells.append(f"{head}\n      {items}\n    </td>")
        lines.append("<tr>\n    " + "".join(cells) + "\n  </tr>")
    return mark_safe("".join(lines))  # noqa: S308  # every value escaped above


def list_rows(events) -> SafeString:
    """The list's `<tr>`s: each event's title linked, its start in its own time zone, its type,
    its city (or "Online") and its status."""
    detail = _detail_links()
    online = _esc(gettext("Online"))
    lines = []
    for event in events:
        zone = event.time_zone
        starts = dates.moment_text(timezone.localtime(event.starts_at, ZoneInfo(zone)))
        where = _esc(event.municipality.name) if event.municipality else online
        lines.append(
            f'<tr><th scope="row"><a class="ds-link" href="{_esc(detail(event.pk))}">'
            f"{_esc(event.display_title)}</a></th>"
            f'<td>{_esc(starts)} <span class="sc-meta">({_esc(zone)})</span></td>'
            f"<td>{_esc(event.get_type_display())}</td>"
            f"<td>{where}</td>"
            f"<td>{status_tag(event)}</td></tr>\n"
        )
    return mark_safe("".join(lines))  # noqa: S308  # every value escaped above
