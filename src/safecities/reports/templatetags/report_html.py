"""The reports' repeated markup written in Python, to the HTML their template loops wrote: a
section's page shows 25 projects or events, each a handful of cells with a date and amounts,
which cost a template node per cell otherwise, more than the rest of the page."""

import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from safecities.core import dates

register = template.Library()

NONE = "–"


def _esc(value) -> str:
    """`{{ value }}`: localised, then escaped unless marked safe."""
    value = localize(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _day(value) -> str:
    """`{{ value|day }}`: an aware datetime in the current time zone."""
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return _esc(dates.day_text(value))


@register.filter
def event_rows(events) -> SafeString:
    """`reports/_events_table.html`'s `<tr>`s of `events` (`selectors.HeldEvent`s)."""
    lines = []
    for held in events:
        event = held.event
        place = event.municipality or event.venue or NONE
        lines.append(
            f"<tr><td>{_day(event.starts_at)}</td>"
            f'<th scope="row">{_esc(event.display_title)}</th>'
            f"<td>{_esc(place)}</td>"
            f'<td class="sc-chart__number">{_esc(held.registered)}</td>'
            f'<td class="sc-chart__number">{_esc(held.attended)}</td></tr>\n'
        )
    return mark_safe("".join(lines))  # noqa: S308  # every value escaped above


@register.filter
def project_cards(projects) -> SafeString:
    """`reports/_project.html` for each of `projects` (`selectors.Project`s)."""
    led_by, period, awarded = gettext("Led by"), gettext("Project period"), gettext("Awarded")
    taking_part = gettext("Taking part")
    paid_out, results, not_yet = (
        gettext("Paid out"),
        gettext("Results"),
        gettext("Not reported yet."),
    )
    cards = []
    for project in projects:
        award = project.award
        application = award.application
        if application.starts_on:
            when = f"{_day(application.starts_on)} – {_day(application.ends_on)}"
        else:
            when = NONE
        if project.results:
            result = (
                f"{linebreaksbr(project.results, autoescape=True)} "
                f'<span class="sc-meta">({_esc(project.report_status)})</span>'
            )
        else:
            result = _esc(not_yet)
        parties = "".join(
            f'<li>{_esc(party.name)} — <span class="sc-party-role">{_esc(party.text)}</span></li>'
            for party in project.parties
        )
        cards.append(
            '<article class="sc-report-project">\n'
            f'  <h3 class="ds-heading" data-size="sm">{_esc(application.title)}</h3>\n'
            '  <dl class="sc-dl">\n'
            f"    <dt>{_esc(led_by)}</dt><dd>{_esc(project.lead)}</dd>\n"
            f'    <dt>{_esc(taking_part)}</dt><dd><ul class="sc-parties">{parties}</ul></dd>\n'
            f"    <dt>{_esc(period)}</dt><dd>{when}</dd>\n"
            f"    <dt>{_esc(awarded)}</dt><dd>{_day(award.decided_at)}: {_esc(award.amount)}</dd>\n"
            f"    <dt>{_esc(paid_out)}</dt><dd>{_esc(project.paid)}</dd>\n"
            f"    <dt>{_esc(results)}</dt><dd>{result}</dd>\n"
            "  </dl>\n"
            "</article>\n"
        )
    return mark_safe("".join(cards))  # noqa: S308  # every value escaped above
