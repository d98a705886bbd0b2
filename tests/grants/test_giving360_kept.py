# ruff: noqa: F811 - the fixtures imported from test_giving360 are named as arguments
"""The kept 360Giving files: built once for a state of the data, served from disk, and built
anew as soon as anything they publish changes (a new award, an edited application, a renamed
organisation), never served stale."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecities.grants import giving360, giving360_kept
from safecities.grants.models import Application
from safecities.network.services.organisations import update_organisation
from tests.grants.factories import nok
from tests.grants.test_giving360 import (  # noqa: F401 - fixtures
    awarded,
    baerum,
    call,
    city_award,
    helsinki,
    organisation_award,
    package_errors,
    two_awards,
)

API = "/api/v1/grants"


def queries(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        result = function(*args, **kwargs)
    return result, len(captured.captured_queries)


def json_of(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_a_kept_file_is_built_once_then_served_in_two_queries(two_awards, kind):
    first = giving360_kept.kept_file(kind)
    again, count = queries(giving360_kept.kept_file, kind)
    assert again == first
    assert count == 2  # the awards' state and the audit trail's newest event
    if kind == "json":
        assert json_of(first) == giving360.package(giving360_kept.selectors.giving360_awards())
    else:
        assert first.read_bytes().decode("utf-8") == giving360.csv_text(
            giving360_kept.selectors.giving360_awards()
        )


def test_a_new_award_makes_a_new_file_and_removes_the_old(
    two_awards, call, coordinator, funder_officer, reviewer, demo
):
    before = giving360_kept.kept_file("json")
    assert len(json_of(before)["grants"]) == giving360_kept.selectors.giving360_awards().count()
    new = awarded(
        applicant=coordinator,
        officer=funder_officer,
        reviewer=reviewer,
        call=call,
        amount=nok(5_000),
        title="A third project",
        lead_municipality=demo.oslo,
    )
    after = giving360_kept.kept_file("json")
    assert after != before
    assert not before.exists()
    ids = {g["id"] for g in json_of(after)["grants"]}
    assert giving360.grant_id(new) in ids


def test_an_edited_application_or_a_renamed_organisation_makes_a_new_file(
    two_awards, organisation_award, secretariat, demo
):
    before = giving360_kept.kept_file("csv")
    # a change that only moves the application's last save
    Application.objects.filter(pk=organisation_award.application_id).update(
        title="Dialogue groups in every school", updated_at=timezone.now()
    )
    edited = giving360_kept.kept_file("csv")
    assert edited != before
    assert "Dialogue groups in every school" in edited.read_bytes().decode("utf-8")

    # a change to another record, seen through the audit trail
    update_organisation(actor=secretariat, organisation=demo.nuorten_aani, name="Nuorten ääni")
    renamed = giving360_kept.kept_file("csv")
    assert renamed != edited
    rows = list(csv.DictReader(io.StringIO(renamed.read_bytes().decode("utf-8"), newline="")))
    assert "Nuorten ääni" in {r["Recipient Org:Name"] for r in rows}


def test_the_real_and_the_illustrative_files_are_kept_apart(two_awards, organisation_award):
    Application.objects.filter(pk=organisation_award.application_id).update(illustrative=True)
    real = giving360_kept.kept_file("json")
    everything = giving360_kept.kept_file("json", illustrative=True)
    assert real != everything
    awards = giving360_kept.selectors.giving360_awards
    assert len(json_of(real)["grants"]) == awards().count()
    assert len(json_of(everything)["grants"]) == awards(illustrative=True).count()
    assert giving360.grant_id(organisation_award) in {
        g["id"] for g in json_of(everything)["grants"]
    } - {g["id"] for g in json_of(real)["grants"]}


def test_the_api_serves_the_kept_file_with_when_it_was_written(two_awards, client):
    response = client.get(f"{API}/360giving.json")
    assert response.status_code == 200
    assert response.streaming  # read from disk a block at a time
    assert response["Content-Type"] == "application/json"
    assert response["Last-Modified"]
    data = json.loads(response.getvalue())
    assert package_errors(data) == []
    etag = response["ETag"]

    with CaptureQueriesContext(connection) as captured:
        again = client.get(f"{API}/360giving.json")
        again.getvalue()
    assert len(captured.captured_queries) == 2
    assert again["ETag"] == etag

    response = client.get(f"{API}/360giving.csv")
    assert response["Content-Disposition"] == 'attachment; filename="safecities-360giving.csv"'
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))
    assert {r["Identifier"] for r in rows} == {g["id"] for g in data["grants"]}


def test_the_api_never_serves_a_stale_file(two_awards, organisation_award, client):
    client.get(f"{API}/360giving.json").getvalue()
    Application.objects.filter(pk=organisation_award.application_id).update(
        summary="Now in every school of the city.", updated_at=timezone.now()
    )
    data = json.loads(client.get(f"{API}/360giving.json").getvalue())
    assert "Now in every school of the city." in {g["description"] for g in data["grants"]}
