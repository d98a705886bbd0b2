"""Nothing private leaks into open data: a members-only event, a draft and a members-only
practice, a person, an online link and an observation under the small-number threshold are
made through the services and looked for in every file and in the ZIP."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safecities.charter.models import Goal
from safecities.events import services as events
from safecities.indicators import services as indicators
from safecities.indicators.models import Indicator
from safecities.network.models import Person
from safecities.opendata import registry
from safecities.practices import services as practices
from safecities.practices.models import Practice

SECRET_EVENT = "Members only: the closed planning day"
PUBLIC_EVENT = "Open data: a public debate"
ONLINE = "https://meet.example.org/secret-room"
DRAFT = "Open data: a practice still in draft"
MEMBERS_PRACTICE = "Dialogkafé for nye og gamle naboer"  # the demo's members-only practice


def _at(days: float):
    return (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def private_records(demo, secretariat, member):
    members_only = events.create_event(
        actor=secretariat,
        data={
            "type": "workshop",
            "title": {"en": SECRET_EVENT},
            "starts_at": _at(10),
            "ends_at": _at(10.2),
            "audience": "members",
        },
    )
    events.publish_event(actor=secretariat, event=members_only)
    public = events.create_event(
        actor=secretariat,
        data={
            "type": "public_debate",
            "title": {"en": PUBLIC_EVENT},
            "starts_at": _at(12),
            "ends_at": _at(12.1),
            "online_url": ONLINE,
        },
    )
    events.publish_event(actor=secretariat, event=public)
    practices.create_practice(
        actor=member,
        data={
            "title": DRAFT,
            "language": "en",
            "summary": "Not published.",
            "goals": [Goal.objects.order_by("position").first()],
            "contact_name": "Kari Kontakt",
            "contact_email": "kari.kontakt@example.org",
        },
    )
    assert Practice.objects.filter(title=MEMBERS_PRACTICE, visibility="members").exists()


def _all_files(client) -> str:
    """Every file and schema of every dataset, and the ZIP's contents, as one text."""
    texts = []
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("opendata:zip")).getvalue()))
    for name in archive.namelist():
        texts.append(archive.read(name).decode("utf-8"))
    for dataset in registry.datasets():
        for data_file in dataset.files:
            url = reverse("opendata:download", args=[dataset.slug, data_file.filename])
            texts.append(client.get(url).getvalue().decode("utf-8"))
    return "\n".join(texts)


def test_members_only_events_drafts_and_people_are_not_published(client, private_records):
    files = _all_files(client)
    assert PUBLIC_EVENT in files  # the search would find what is there
    assert SECRET_EVENT not in files
    assert ONLINE not in files
    assert DRAFT not in files and "kari.kontakt@example.org" not in files
    assert MEMBERS_PRACTICE not in files
    assert "Oslo snakker" in files  # a public practice
    people = Person.objects.filter(memberships__status="active", listed_publicly=True)
    assert people.exists()
    for person in people:
        assert person.full_name not in files, person.full_name
    for person in Person.objects.exclude(email=""):
        assert person.email not in files


def test_observations_under_the_threshold_are_left_out(client, secretariat, demo, settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    count = Indicator.objects.filter(unit_type="count").exclude(source="computed").first()
    rate = Indicator.objects.exclude(unit_type="count").exclude(source="computed").first()
    for period, value in (("2011", "3"), ("2012", "5"), ("2013", "0")):
        indicators.record_observation(
            actor=secretariat,
            indicator=count,
            municipality=demo.oslo,
            period=period,
            value=Decimal(value),
        )
    for period, numerator, value in (("2011", "2", "41.713"), ("2012", "7", "58.317")):
        indicators.record_observation(
            actor=secretariat,
            indicator=rate,
            municipality=demo.oslo,
            period=period,
            value=Decimal(value),
            numerator=Decimal(numerator),
            denominator=Decimal(12) if rate.unit_type == "percentage" else Decimal(12000),
        )
    csv_text = (
        client.get(reverse("opendata:download", args=["indicators", "observations.csv"]))
        .getvalue()
        .decode()
    )
    jsonstat = (
        client.get(reverse("opendata:download", args=["indicators", "observations.jsonstat.json"]))
        .getvalue()
        .decode()
    )
    rows = {tuple(line.split(",")[:6]) for line in csv_text.splitlines()}
    assert (count.code, "0301", "NO", "", "2011", "3") not in rows  # a small count
    assert (count.code, "0301", "NO", "", "2012", "5") in rows  # the threshold is not small
    assert (count.code, "0301", "NO", "", "2013", "0") in rows  # none is not small
    assert (rate.code, "0301", "NO", "", "2011", "41.713") not in rows  # on a small numerator
    assert (rate.code, "0301", "NO", "", "2012", "58.317") in rows
    assert "41.713" not in jsonstat and "58.317" in jsonstat
