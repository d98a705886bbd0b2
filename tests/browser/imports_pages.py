"""Pages for the axe-core sweep (tests/browser/test_every_page.py): per role, lambdas returning
paths of GET pages that role can open. The import wizard: the list, the upload page with the
documented CSV columns, a committed import of the demo (Oslo's figures among them), and the
coordinator's own JSON-stat draft (mapping and preview), a CSV draft's discard page and a running import (progress bar)."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecities.core.models import User
from safecities.indicators import services
from safecities.indicators.models import Import, Indicator

FIXTURE = Path(__file__).parent.parent / "indicators" / "fixtures" / "ssb_kriminalitet.json"


def _demo_import() -> str:
    first = Import.objects.filter(indicator__code="hate-crime-rate").order_by("pk")[0]
    return reverse("indicators:import-detail", args=[first.pk])


def _draft(name: str, content: bytes) -> Import:
    draft = Import.objects.filter(filename=name).first()
    if draft is None:
        draft = services.upload_import(
            User.objects.get(email="coordinator@example.org"),
            indicator=Indicator.objects.get(code="hate-crime-rate"),
            upload=SimpleUploadedFile(name, content),
            country="NO",
        )
    return draft


def _jsonstat_draft(view: str) -> str:
    return reverse(view, args=[_draft("sweep-08487.json", FIXTURE.read_bytes()).pk])


def _csv_preview() -> str:
    draft = _draft("sweep.csv", b"municipality_code;period;value\n0301;2019;5\n3301;2018;4\n")
    return reverse("indicators:import-preview", args=[draft.pk])


def _csv_discard() -> str:
    """The confirmation page before a draft is discarded."""
    draft = _draft("sweep.csv", b"municipality_code;period;value\n0301;2019;5\n3301;2018;4\n")
    return reverse("indicators:import-discard", args=[draft.pk])


def _running() -> str:
    """An import the worker is checking: its page shows the progress bar."""
    draft = _draft("sweep-running.csv", b"municipality_code;period;value\n0301;2019;5\n")
    Import.objects.filter(pk=draft.pk).update(
        status="running", phase="check", progress_done=1, progress_total=3
    )
    return reverse("indicators:import-detail", args=[draft.pk])


PAGES: dict = {
    "coordinator": [
        lambda: reverse("indicators:imports"),
        lambda: reverse("indicators:import-new"),
        _demo_import,
        lambda: _jsonstat_draft("indicators:import-map"),
        lambda: _jsonstat_draft("indicators:import-preview"),  # unmapped: the errors table
        _csv_preview,
        _csv_discard,
        _running,
    ],
    "secretariat": [
        lambda: reverse("indicators:imports"),
        lambda: reverse("indicators:import-new"),
        _demo_import,
    ],
}
