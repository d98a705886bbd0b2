"""The report pages' projects and events written in Python (`reports.templatetags.report_html`)
are what their template loops wrote: the same HTML, but for the blanks between tags, in
English and Norwegian, with texts that need escaping and lines in a project's results."""

import re

import pytest
from django.template import engines
from django.utils import translation

from safecities.core.money import Money
from safecities.events.models import Event
from safecities.reports import sections, selectors
from safecities.reports.templatetags.report_html import event_rows, project_cards

from .test_report_pages import YEAR, _grow, _programme

PROJECT_LOOP = '{% for p in projects %}{% include "reports/_project.html" %}{% endfor %}'
EVENT_LOOP = """{% load core %}{% for e in events %}
    <tr>
      <td>{{ e.event.starts_at|day }}</td>
      <th scope="row">{{ e.event.display_title }}</th>
      <td>{{ e.event.municipality|default:e.event.venue|default:"–" }}</td>
      <td class="sc-chart__number">{{ e.registered }}</td>
      <td class="sc-chart__number">{{ e.attended }}</td>
    </tr>{% endfor %}"""


def _tags_only(text: str) -> str:
    return re.sub(r">\s+<", "><", text).strip()


def _loop(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_projects_and_events_are_written_as_their_templates_wrote_them(demo, language):
    _grow(6)
    programme = _programme()
    summary = sections.programme_summary(programme, year=YEAR)
    report = selectors.programme_report(programme, year=YEAR)
    first = report.projects[0]
    projects = [
        *report.projects,
        selectors.Project(
            award=first.award,
            lead='Lead & "co" <x>',
            paid=Money.from_minor(123_456, "NOK"),
            results="First line & <b>\nsecond line",
            report_status="Accepted",
            parties=(
                selectors.Party("Lead & co", True, "", None, False),
                selectors.Party("Partner <p>", False, 'Runs "the" panel', None, True),
            ),
        ),
    ]
    events = list(report.events)
    online = events[-1].event
    online.municipality, online.venue = None, "Hall <A> & B"
    elsewhere = Event(title={"en": "Nowhere"}, starts_at=online.starts_at, time_zone="UTC")
    events.append(selectors.HeldEvent(elsewhere, registered=1234, attended=0))
    with translation.override(language):
        for shown in (projects, summary.projects):
            written = _tags_only(project_cards(shown))
            assert written == _tags_only(_loop(PROJECT_LOOP, projects=shown))
        assert _tags_only(event_rows(events)) == _tags_only(_loop(EVENT_LOOP, events=events))
    assert "First line &amp; &lt;b&gt;<br>second line" in project_cards(projects)
    assert "Partner &lt;p&gt; — " in project_cards(projects)
    assert "Hall &lt;A&gt; &amp; B" in event_rows(events)
