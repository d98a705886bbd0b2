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
