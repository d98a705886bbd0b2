"""The import wizard's sample files and Discard, in a browser, as Oslo's coordinator: the sample
CSV and JSON-stat files downloaded from the indicator's page import cleanly through the upload,
mapping and preview pages as they are; a previewed draft is discarded after its confirmation
page, file and all. axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from safecities.indicators.models import Import, Indicator
from tests.browser.conftest import run_axe
from tests.utils import stored_files

pytestmark = pytest.mark.browser

CODE = "hate-crime-rate"


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def _download(page, link: str, tmp_path):
    page.goto(f"/indicators/{CODE}/")
    with page.expect_download() as info:
        page.get_by_role("link", name=link, exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def _upload(page, path, country: str | None = None) -> None:
    page.goto("/indicators/imports/new/")
    run_axe(page)
    indicator = Indicator.objects.get(code=CODE)
    field(page, "Indicator").select_option(label=str(indicator))
    field(page, "File").set_input_files(path)
    if country:
        field(page, "Country of the municipality codes").select_option(label=country)
    page.get_by_role("button", name="Upload and check").click()


def _previewed_without_problems(page, rows: int) -> None:
    expect(page.get_by_role("heading", name="Preview of the import")).to_be_visible()
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    counts = page.locator("table").first.locator("td")
    total = sum(int(counts.nth(i).inner_text()) for i in range(3))
    assert total == rows
    expect(page.get_by_role("button", name="Commit the import")).to_be_visible()
    run_axe(page)


def test_the_sample_files_import_and_a_draft_is_discarded(page, login, demo, tmp_path):
    login(page, "coordinator@example.org")
    csv_file = _download(page, "Sample CSV file", tmp_path)
    assert csv_file.name == f"{CODE}-sample.csv"
    rows = len(csv_file.read_text().splitlines()) - 1
    assert rows >= 2
    _upload(page, csv_file)
    _previewed_without_problems(page, rows)

    # Discard: asked first, then the draft and its file are gone
    draft = Import.objects.get(filename=csv_file.name)
    stored = draft.file.name
    page.get_by_role("link", name="Discard the import").click()
    expect(page.get_by_role("heading", name=re.compile("Discard the import"))).to_be_visible()
    run_axe(page)
    assert Import.objects.filter(pk=draft.pk).exists()
    page.get_by_role("button", name="Discard the import").click()
    expect(page.get_by_text("The draft import has been thrown away.")).to_be_visible()
    assert not Import.objects.filter(pk=draft.pk).exists()
    assert stored not in stored_files()

    json_file = _download(page, "Sample JSON-stat file", tmp_path)
    _upload(page, json_file, country="Norway")
    expect(page.get_by_role("heading", name="Map the file")).to_be_visible()
    run_axe(page)
    page.get_by_role("button", name="Check and preview").click()
    _previewed_without_problems(page, rows)
    page.get_by_role("button", name="Commit the import").click()
    expect(
        page.get_by_text(re.compile(r"Imported: \d+ new, \d+ updated, \d+ unchanged\."))
    ).to_be_visible()
    assert Import.objects.get(filename=json_file.name).is_committed
