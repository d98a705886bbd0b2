"""Fixtures of the knowledge bank's tests: drafts written through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.charter.models import Goal
from safecities.demo.pdf import simple_pdf
from safecities.practices import services
from safecities.practices.models import Practice


def pdf(name: str = "report.pdf", lines=("An evaluation report.",)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf(list(lines)), "application/pdf")


def write_draft(actor, **fields) -> Practice:
    data = {
        "language": "nb",
        "title": "Nabolagsmegling i Skien",
        "summary": "Meglere hjelper naboer å løse konflikter før de vokser.",
        "goals": [Goal.objects.get(code="safe-communities")],
    }
    data.update(fields)
    return services.create_practice(actor=actor, data=data)


def published(actor, secretariat, **fields) -> Practice:
    practice = write_draft(actor, **fields)
    services.submit_practice(actor=actor, practice=practice)
    return services.publish_practice(actor=secretariat, practice=practice)


@pytest.fixture
def draft(member):
    return write_draft(member)


@pytest.fixture
def oslo_snakker(demo):
    return Practice.objects.get(title="Oslo snakker")


@pytest.fixture
def many_matches(db):
    """30 public practices' documents (English) that match "zebrafisk", each with its own
    score on both engines (the word's count), so a small bound holds the best of them."""
    from safecities.search import api as search

    for n in range(30):
        search.index(
            "practice",
            900_000 + n,
            language="en",
            title=f"Zebrafisk {n}",
            body="zebrafisk " * (n + 1),
            url=f"/practices/{900_000 + n}/",
            facets={"goal": ["safe-communities"]},
            public=True,
        )
