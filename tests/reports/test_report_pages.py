"""The report pages: a summary with the totals counted by the database, each long section's
first rows with a link to all of them, and the sections a page at a time; the same rows and
totals as the PDF's whole document, in a number of queries that does not grow with the data."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.events.models import Event, Registration
from safecities.grants import services as grant_services
from safecities.grants.models import Award, Programme
from safecities.network.models import Municipality
from safecities.practices.models import Practice
from safecities.reports import sections, selectors

PROGRAMME = "safe-cities-norway-2024-2026"
YEAR = 2025


def _grow(n: int) -> None:
    """`n` more of each long section's rows, in Oslo and in the programme's year: awards (each
    a copy of one of the programme's with its application), public events (the first with
    attendance) and public practices."""
    oslo = Municipality.objects.get(slug="oslo")
    award = (
        Award.objects.filter(application__call__programme__slug=PROGRAMME)
        .select_related("application")
        .order_by("pk")
        .first()
    )
    event = Event.objects.filter(audience=Event.Audience.PUBLIC).order_by("pk").first()
    practice = Practice.objects.filter(status="published", visibility="public").first()
    base = timezone.make_aware(datetime(YEAR, 3, 1, 18))
    people = list(Registration.objects.values_list("user", flat=True).distinct()[:3])
    count = Award.objects.count()
    for i in range(n):
        application = award.application
        application.pk = application.id = None
        application._state.adding = True
        application.title = f"Copied project {count + i}"
        application.lead_municipality, application.lead_organisation = oslo, None
        application.save()
        copy = Award.objects.get(pk=award.pk)
        copy.pk = copy.id = None
        copy._state.adding = True
        copy.application = application
        copy.decided_at = base + timedelta(days=i)
        copy.save()

        held = Event.objects.get(pk=event.pk)
        held.pk = held.id = None
        held._state.adding = True
        held.title = {"en": f"Copied event {count + i}"}
        held.municipality, held.status = oslo, Event.Status.PUBLISHED
        held.starts_at = base + timedelta(days=i)
        held.ends_at = held.starts_at + timedelta(hours=2)
        held.save()
        if i == 0:
            for position, user in enumerate(people, start=1):
                Registration.objects.create(
                    event=held,
                    user_id=user,
                    status=Registration.Status.REGISTERED,
                    position=position,
                    attended=True,
                )

        published = Practice.objects.get(pk=practice.pk)
        published.pk = published.id = None
        published._state.adding = True
        published.title = f"Copied practice {count + i}"
        published.slug = f"copied-practice-{count + i}"
        published.published_at = base + timedelta(days=i)
        published.save()
        published.municipalities.add(oslo)
    # Written around the services: the programme's kept sums made again, as the bench does.
    grant_services.refresh_awarded(Programme.objects.filter(slug=PROGRAMME))


def _programme() -> Programme:
    return Programme.objects.get(slug=PROGRAMME)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the summary tells the PDF's story in counts -------------------------------------------


def test_the_programme_summary_counts_what_the_pdf_lists(demo):
    _grow(7)
    programme = _programme()
    report = selectors.programme_report(programme, year=YEAR)
    summary = sections.programme_summary(programme, year=YEAR)
    assert summary.project_count == len(report.projects) > sections.PREVIEW
    assert summary.event_count == len(report.events) > sections.PREVIEW
    assert summary.practice_count == len(report.practices) > sections.PREVIEW
    assert summary.attendance == report.attendance > 0
    assert summary.outcome_city_count == len(report.outcomes)
    assert summary.money == report.money
    # the first rows are the PDF's first rows, in its order
    first = sections.PREVIEW
    assert [p.award.pk for p in summary.projects] == [p.award.pk for p in report.projects][:first]
    assert [p.paid for p in summary.projects] == [p.paid for p in report.projects][:first]
    assert [e.event.pk for e in summary.events] == [e.event.pk for e in report.events][:first]
    assert [e.attended for e in summary.events] == [e.attended for e in report.events][:first]
    assert [p.pk for p in summary.practices] == [p.pk for p in report.practices][:first]
    assert [c.municipality for c in summary.outcomes] == [c.municipality for c in report.outcomes][
        : sections.CITIES_PREVIEW
    ]


def test_the_city_summary_counts_what_the_pdf_lists(demo):
    _grow(7)
    oslo = Municipality.objects.get(slug="oslo")
    profile = selectors.city_profile(oslo)
    summary = sections.city_summary(oslo)
    assert summary.project_count == len(profile.projects) > sections.PREVIEW
    assert summary.practice_count == len(profile.practices) > sections.PREVIEW
    assert summary.event_count == len(profile.events) > sections.PREVIEW
    assert summary.attendance == sum(e.attended for e in profile.events) > 0
    first = sections.PREVIEW
    page = summary.profile
    assert [p.award.pk for p in page.projects] == [p.award.pk for p in profile.projects][:first]
    assert [p.pk for p in page.practices] == [p.pk for p in profile.practices][:first]
    assert [e.event.pk for e in page.events] == [e.event.pk for e in profile.events][:first]
    assert page.measures == profile.measures and page.outcomes == profile.outcomes
    awarded = sum(p.award.amount_minor - p.award.released_minor for p in profile.projects)
    assert sum(summary.awarded.values()) == awarded


# --- the pages -----------------------------------------------------------------------------


def test_the_programme_page_gives_the_figures_first_then_each_section_begun(client, demo):
    _grow(7)
    report = selectors.programme_report(_programme(), year=YEAR)
    html = _page(client, reverse("reports:programme", args=[PROGRAMME, YEAR]))
    order = [html.index(f'id="{s}"') for s in ("summary", "money", "projects", "events")]
    assert order == sorted(order)
    figures = html[html.index('id="summary-money"') : html.index('id="money"')]
    assert f"<strong>{len(report.projects)}</strong> projects running" in figures
    assert f"<strong>{len(report.events)}</strong> public events held" in figures
    assert f"<strong>{report.attendance}</strong> attendees at these events" in figures
    assert f"<strong>{len(report.practices)}</strong> practices published" in figures
    assert str(report.awarded_in_year) in figures

    # each section headed with its count, its first rows, and the way to all of them
    assert (
        f'Projects and their results <span class="sc-meta">({len(report.projects)})</span>' in html
    )
    titles = [p.award.application.title for p in report.projects]
    assert all(t in html for t in titles[: sections.PREVIEW])
    assert not any(t in html for t in titles[sections.PREVIEW :])
    for section, noun in (
        ("projects", "projects"),
        ("events", "events"),
        ("practices", "practices"),
    ):
        url = reverse("reports:programme-section", args=[PROGRAMME, YEAR, section])
        assert f'href="{url}"' in html
        assert f"Show all {len(getattr(report, section))} {noun}" in html
    assert f"The first {sections.PREVIEW} of {len(report.projects)}." in html
    assert "Make a PDF of this report" in html


def test_a_programme_section_a_page_at_a_time(client, demo, monkeypatch):
    _grow(7)
    monkeypatch.setattr(sections, "PER_PAGE", 4)
    report = selectors.programme_report(_programme(), year=YEAR)
    url = reverse("reports:programme-section", args=[PROGRAMME, YEAR, "projects"])
    seen = []
    pages = -(-len(report.projects) // 4)
    for number in range(1, pages + 1):
        html = _page(client, f"{url}?page={number}")
        assert '<nav class="sc-pagination" aria-label="Pages">' in html
        assert f'<li aria-current="page">Page {number} of {pages}</li>' in html
        assert (f"?page={number + 1}" in html) == (number < pages)
        seen += [
            p.award.application.title for p in report.projects if p.award.application.title in html
        ]
        assert f"({len(report.projects)})</span></h1>" in html  # the heading says how many
    assert seen == [p.award.application.title for p in report.projects]  # each once, in order
    # a page past the end is the last page; an unknown section is not found
    assert f"Page {pages} of {pages}" in _page(client, f"{url}?page=99")
    other = reverse("reports:programme-section", args=[PROGRAMME, YEAR, "nothing"])
    assert client.get(other).status_code == 404
    # the events, practices and outcomes sections, page 1
    for section in ("events", "practices", "outcomes"):
        html = _page(client, reverse("reports:programme-section", args=[PROGRAMME, YEAR, section]))
        assert f'id="{section}-heading"' in html
    events = _page(client, reverse("reports:programme-section", args=[PROGRAMME, YEAR, "events"]))
    assert report.events[0].event.display_title in events and 'id="events-table"' in events


def test_an_empty_section_says_so(client, demo):
    for section, text in (
        ("projects", "No projects ran in this year."),
        ("events", "No public events were held."),
        ("practices", "No public practices."),
    ):
        url = reverse("reports:programme-section", args=[PROGRAMME, 2019, section])
        html = _page(client, url)
        assert 'id="empty"' in html and text in html
        assert "sc-pagination" not in html
    page = _page(client, reverse("reports:programme", args=[PROGRAMME, 2019]))
    assert 'id="no-data"' in page and "Show all" not in page


def test_the_city_page_and_its_sections(client, demo, monkeypatch):
    _grow(7)
    oslo = Municipality.objects.get(slug="oslo")
    profile = selectors.city_profile(oslo)
    html = _page(client, reverse("reports:city", args=["oslo"]))
    for section in ("summary", "membership", "plan", "outcomes", "grants", "practices", "events"):
        assert f'id="{section}"' in html
    assert f"<strong>{len(profile.projects)}</strong> grants taken part in" in html
    assert f'Grants <span class="sc-meta">({len(profile.projects)})</span>' in html
    assert profile.plan.title in html
    url = reverse("reports:city-section", args=["oslo", "grants"])
    assert f'href="{url}"' in html and f"Show all {len(profile.projects)} grants" in html

    monkeypatch.setattr(sections, "PER_PAGE", 5)
    second = _page(client, f"{url}?page=2")
    titles = [p.award.application.title for p in profile.projects]
    assert all(t in second for t in titles[5:10]) and titles[0] not in second
    assert '<li aria-current="page">Page 2 of' in second
    for section in ("practices", "events"):
        assert _page(client, reverse("reports:city-section", args=["oslo", section]))
    assert client.get(reverse("reports:city-section", args=["oslo", "plan"])).status_code == 404


# --- the queries do not grow with the data -------------------------------------------------

# Programme page: the programme; the projects and their parties (2); events with attendance,
# practices and outcome cities counted (3); money (2); the budget lines with their sums (1); the
# charts (city: 1, goals: 2); the first projects with their partners (4), events (2), practices
# (1) and cities' outcomes (6); the PDF's state (2).
PROGRAMME_PAGE = 27
# City page: the city; grants by currency, practices, events counted (3); plan and measures (3),
# outcomes (6), memberships (1); first grants with their partners (4), practices (1), events (2);
# the PDF's state (2).
CITY_PAGE = 23
# A section page: the programme (or city), the count, the page's rows, and what they need.
SECTION_PAGES = {
    ("programme", "projects"): 6,
    ("programme", "events"): 6,
    ("programme", "practices"): 5,
    ("programme", "outcomes"): 11,
    ("city", "grants"): 6,
    ("city", "practices"): 3,
    ("city", "events"): 4,
}


def _urls():
    yield reverse("reports:programme", args=[PROGRAMME, YEAR]), PROGRAMME_PAGE
    yield reverse("reports:city", args=["oslo"]), CITY_PAGE
    for (kind, section), queries in SECTION_PAGES.items():
        if kind == "programme":
            url = reverse("reports:programme-section", args=[PROGRAMME, YEAR, section])
        else:
            url = reverse("reports:city-section", args=["oslo", section])
        yield url, queries


@pytest.mark.parametrize("url,queries", list(_urls()), ids=lambda v: str(v))
def test_the_pages_ask_as_many_queries_at_either_size(
    client, demo, url, queries, django_assert_num_queries
):
    _grow(1)
    client.get(url)
    with django_assert_num_queries(queries):
        small = client.get(url)
    _grow(12)
    with django_assert_num_queries(queries):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert len(large.content) < 3 * len(small.content)


def test_a_sections_counts_are_written_with_the_readers_digit_grouping():
    from django.template.loader import render_to_string
    from django.utils import translation

    context = {"count": 1238, "shown": 5, "url": "/x/", "link_text": "all"}
    with translation.override("en"):
        assert "The first 5 of 1,238." in render_to_string("reports/_more.html", context)
    with translation.override("nb"):
        assert "De første 5 av 1\xa0238." in render_to_string("reports/_more.html", context)
