"""Reports: the programme report and the city profile, as pages and as PDFs built by the real
background worker with WeasyPrint, read back with pypdf and checked against the database."""

import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from safecities.core.errors import InvalidInput
from safecities.core.money import Money
from safecities.events.models import Event
from safecities.grants.models import Award, Payment, Programme
from safecities.network import services as network_services
from safecities.network.models import Municipality, Organisation
from safecities.plans.selectors import adopted_plan
from safecities.practices.models import Practice
from safecities.reports import selectors, services
from safecities.reports.models import ReportFile
from tests.utils import run_worker, unchanged

PROGRAMME = "safe-cities-norway-2024-2026"
YEAR = 2025


def _money(minor: int) -> str:
    return str(Money.from_minor(minor, "NOK"))


def _expected_ledger(year: int) -> dict[str, str]:
    """The programme's money to the end of `year`, summed here straight from the rows."""
    programme = Programme.objects.get(slug=PROGRAMME)
    awards = Award.objects.filter(
        application__call__programme=programme, decided_at__year__lte=year
    )
    awarded = sum(a.amount_minor - a.released_minor for a in awards)
    paid = (
        Payment.objects.filter(
            award__in=awards, status=Payment.Status.PAID, paid_on__year__lte=year
        ).aggregate(s=Sum("amount_minor"))["s"]
        or 0
    )
    in_year = sum(a.amount_minor - a.released_minor for a in awards if a.decided_at.year == year)
    return {
        "budget": _money(programme.budget_minor),
        "awarded": _money(awarded),
        "paid": _money(paid),
        "remaining": _money(programme.budget_minor - awarded),
        "awarded_in_year": _money(in_year),
    }


def flat(text: str) -> str:
    """Words joined by single spaces: a PDF breaks lines where its columns end."""
    return " ".join(text.split())


def _pdf_text(response) -> tuple[PdfReader, str]:
    """The PDF and all its text, flattened (see `flat`)."""
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    return reader, flat(" ".join(page.extract_text() for page in reader.pages))


def _build(client, url, django_capture_on_commit_callbacks) -> ReportFile:
    """Ask for a PDF through the page's button; it is built at once (see conftest.py)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    report_file = ReportFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert response.url == reverse("reports:build", args=[report_file.pk])
    assert report_file.status == "done", report_file.error
    page = client.get(response.url).content.decode()
    assert reverse("reports:file", args=[report_file.pk]) in page
    return report_file


# --- the figures ---------------------------------------------------------------------------


def test_the_programme_report_sums_the_money_of_its_year(demo):
    programme = Programme.objects.get(slug=PROGRAMME)
    report = selectors.programme_report(programme, year=YEAR)
    expected = _expected_ledger(YEAR)
    assert {k: str(v) for k, v in report.ledger.items()} == {
        k: expected[k] for k in ("budget", "awarded", "paid", "remaining")
    }
    assert str(report.awarded_in_year) == expected["awarded_in_year"]
    # the projects are the grants whose period touches the year: Skien's (to May 2025) and Oslo's
    leads = sorted(p.lead for p in report.projects)
    assert leads == ["Oslo", "Skien"]
    assert report.has_data
    # by city: to the end of the year, the same sums as the grants' own breakdown of those awards
    assert sum(s.amount.minor_units for s in report.breakdown["by_city"]) == sum(
        a.amount_minor - a.released_minor
        for a in Award.objects.filter(application__call__programme=programme)
        if a.decided_at.year <= YEAR
    )


def test_a_year_without_data_says_so(client, demo):
    response = client.get(reverse("reports:programme", args=[PROGRAMME, 2019]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-data"' in html and "Nothing is recorded for this programme in 2019" in html
    report = selectors.programme_report(Programme.objects.get(slug=PROGRAMME), year=2019)
    assert not report.has_data and not report.projects and not report.events


def test_a_year_far_out_of_range_is_not_found(client, demo):
    assert client.get(reverse("reports:programme", args=[PROGRAMME, 3000])).status_code == 404
    assert client.get(reverse("reports:programme", args=["no-such", 2025])).status_code == 404


def test_the_programme_page_shows_every_section_in_few_queries(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reports:programme", args=[PROGRAMME, YEAR]))
    html = response.content.decode()
    for section in ("money", "projects", "events", "practices", "outcomes"):
        assert f'id="{section}"' in html
    expected = _expected_ledger(YEAR)
    assert expected["awarded"] in html and expected["paid"] in html
    assert "Make a PDF of this report" in html
    assert 'class="sc-chart__svg' in html  # the charts, server-rendered


def test_the_city_profile_page(client, demo, django_assert_max_num_queries):
    oslo = Municipality.objects.get(slug="oslo")
    with django_assert_max_num_queries(23):  # pinned exactly in test_report_pages.py
        response = client.get(reverse("reports:city", args=["oslo"]))
    html = response.content.decode()
    for section in ("membership", "plan", "outcomes", "grants", "practices", "events"):
        assert f'id="{section}"' in html
    plan = adopted_plan(oslo)
    assert plan.title in html
    for award in Award.objects.filter(application__lead_municipality=oslo):
        assert award.application.title in html


def test_the_index_links_every_programme_year_and_member_city(client, demo):
    html = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:programme", args=[PROGRAMME, 2026]) in html
    assert reverse("reports:city", args=["oslo"]) in html


def test_private_records_stay_out_of_reports(demo):
    """A members-only practice of Oslo's and a members-only event in Oslo are not in its
    profile: reports are public documents."""
    oslo = Municipality.objects.get(slug="oslo")
    profile = selectors.city_profile(oslo)
    hidden = Practice.objects.filter(visibility="members", municipalities=oslo)
    assert not set(hidden) & set(profile.practices)
    assert all(e.event.audience == Event.Audience.PUBLIC for e in profile.events)


# --- the PDFs -------------------------------------------------------------------------------


def test_the_programme_report_pdf_has_every_section_and_the_databases_figures(
    client, demo, django_capture_on_commit_callbacks
):
    url = reverse("reports:programme-pdf", args=[PROGRAMME, YEAR])
    report_file = _build(client, url, django_capture_on_commit_callbacks)

    response = client.get(reverse("reports:file", args=[report_file.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader, text = _pdf_text(response)
    assert len(reader.pages) == report_file.pages >= 4

    first, contents = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert "report for 2025" in first  # the cover
    for heading in (
        "Money",
        "Projects and their results",
        "Events and attendance",
        "Practices published",
        "Outcomes in the cities",
    ):
        assert heading in contents  # the table of contents, with page numbers
        assert text.count(heading) >= 2
    assert "Page 2 / " in contents

    expected = _expected_ledger(YEAR)
    for figure in expected.values():
        assert flat(figure) in text
    report = selectors.programme_report(Programme.objects.get(slug=PROGRAMME), year=YEAR)
    for project in report.projects:
        assert flat(project.award.application.title) in text
        if project.results:
            assert flat(project.results)[:60] in text
    for held in report.events:
        assert flat(held.event.display_title) in text
    for change in report.outcomes[0].changes:
        assert flat(change.indicator.display_name) in text

    # the page now offers the PDF at once
    page = client.get(reverse("reports:programme", args=[PROGRAMME, YEAR])).content.decode()
    assert reverse("reports:file", args=[report_file.pk]) in page


def test_the_city_profile_pdf(client, demo, django_capture_on_commit_callbacks):
    report_file = _build(
        client, reverse("reports:city-pdf", args=["oslo"]), django_capture_on_commit_callbacks
    )
    _reader, text = _pdf_text(client.get(reverse("reports:file", args=[report_file.pk])))
    plan = adopted_plan(Municipality.objects.get(slug="oslo"))
    assert "City profile: Oslo" in text
    assert flat(plan.title) in text
    for measure in plan.measures.all()[:3]:
        assert flat(measure.title) in text
    for heading in ("Membership", "Action plan and measures", "Outcomes", "Grants"):
        assert heading in text


def test_a_pdf_for_a_year_without_data_says_so(client, demo, django_capture_on_commit_callbacks):
    url = reverse("reports:programme-pdf", args=[PROGRAMME, 2019])
    report_file = _build(client, url, django_capture_on_commit_callbacks)
    _reader, text = _pdf_text(client.get(reverse("reports:file", args=[report_file.pk])))
    assert "Nothing is recorded for this programme in 2019" in text


def test_a_pdf_in_the_readers_language(demo, django_capture_on_commit_callbacks):
    with translation.override("nb"):
        contents = translation.gettext("Contents")
    assert contents != "Contents"
    with django_capture_on_commit_callbacks(execute=True):
        report_file = services.request_pdf(
            actor=None, kind="city", subject="oslo", year=0, language="nb"
        )
    report_file.refresh_from_db()
    reader = PdfReader(report_file.pdf.open("rb"))
    assert contents in reader.pages[1].extract_text()


def test_a_pdf_is_kept_until_the_data_changes(
    client, demo, secretariat, django_capture_on_commit_callbacks
):
    url = reverse("reports:city-pdf", args=["oslo"])
    first = _build(client, url, django_capture_on_commit_callbacks)
    name = first.pdf.name

    # asked for again: the same file, nothing queued
    with unchanged():
        response = client.post(url)
    assert response.url == reverse("reports:build", args=[first.pk])

    # any change to the network's records makes it stale: the next request builds anew
    organisation = Organisation.objects.get(slug="nuorten-aani")
    network_services.update_organisation(
        actor=secretariat, organisation=organisation, website="https://example.org/changed"
    )
    second = _build(client, url, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.version != first.version
    # the stale build and its file are gone
    assert not ReportFile.objects.filter(pk=first.pk).exists()
    assert not second.pdf.storage.exists(name) or name == second.pdf.name


def test_a_failed_build_says_why_and_may_be_tried_again(
    client, demo, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html):
        raise RuntimeError("the layout engine stopped")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    url = reverse("reports:city-pdf", args=["oslo"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    page = client.get(response.url).content.decode()
    assert "The PDF could not be made." in page and "the layout engine stopped" in page
    assert "Try again" in page

    monkeypatch.undo()
    second = _build(client, url, django_capture_on_commit_callbacks)
    assert second.status == "done"


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_the_background_worker_builds_the_pdf_while_the_page_shows_progress(client, demo):
    response = client.post(reverse("reports:programme-pdf", args=[PROGRAMME, YEAR]))
    report_file = ReportFile.objects.get()
    assert response.url == reverse("reports:build", args=[report_file.pk])
    assert report_file.status == "queued" and report_file.task_id

    page = client.get(response.url).content.decode()
    assert "Waiting for the background worker" in page
    name = Programme.objects.get(slug=PROGRAMME).name
    assert f"{name}: report for {YEAR}</a>" in page and "(English)" in page  # not the slug
    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<h1" not in fragment
    assert 'id="build-progress"' in fragment

    run_worker()
    report_file.refresh_from_db()
    assert (report_file.status, report_file.progress_done) == ("done", 4)
    done = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "Download the PDF" in done
    _reader, text = _pdf_text(client.get(reverse("reports:file", args=[report_file.pk])))
    assert flat(_expected_ledger(YEAR)["awarded"]) in text


def test_bad_requests_name_the_field_and_change_nothing(demo):
    with unchanged():
        with pytest.raises(InvalidInput) as error:
            services.request_pdf(
                actor=None, kind="programme", subject="no-such", year=2025, language="en"
            )
        assert error.value.field == "subject"
        with pytest.raises(InvalidInput) as error:
            services.request_pdf(
                actor=None, kind="programme", subject=PROGRAMME, year=1200, language="en"
            )
        assert error.value.field == "year"
        with pytest.raises(InvalidInput) as error:
            services.request_pdf(actor=None, kind="city", subject="oslo", year=0, language="xx")
        assert error.value.field == "language"


def test_a_file_not_yet_built_is_not_served(client, demo):
    report_file = ReportFile.objects.create(kind="city", subject="oslo", language="en", version="0")
    assert client.get(reverse("reports:file", args=[report_file.pk])).status_code == 404
    assert client.get(reverse("reports:build", args=[report_file.pk])).status_code == 200


@pytest.mark.real_worker
def test_a_pdf_request_and_its_build_are_queued_together(demo):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():  # the request rolls back
        services.request_pdf(actor=None, kind="city", subject="oslo", year=0, language="en")
        raise RuntimeError("the request failed")
    assert not ReportFile.objects.exists() and not DBTaskResult.objects.exists()

    report_file = services.request_pdf(
        actor=None, kind="city", subject="oslo", year=0, language="en"
    )  # no commit hook is run: the build is queued with the request itself
    report_file.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert str(task.id) == report_file.task_id and task.args_kwargs["args"] == [report_file.pk]
    assert report_file.status == "queued"
