"""The import wizard in the permission walk (see tests/test_url_permissions.py): what a GET
answers each role, and the records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat.

- The list and the upload page: whoever may import (`indicators.write_city`): the secretariat
  and the cities' coordinators.
- An import's page (`indicators.view_import`): the secretariat, whoever made it, and the
  coordinators of a city whose figures it wrote. The sample is the demo's import of
  "hate-crime-rate" (by the secretariat, with Oslo's figures, so Oslo's coordinator sees it).
- Mapping and previewing a draft (`indicators.continue_import`): whoever uploaded it and the
  secretariat. The sample is a JSON-stat draft Oslo's coordinator uploads through the service
  when the URL is walked (inside the walk's transaction, rolled back after each case).
- The sample files of an indicator: whoever may import (each holds their own cities).
- Commit and undo only answer POST; discarding a draft asks first (a GET shows what it
  means, with the button), like mapping and previewing it.
"""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from safecities.indicators import services
from safecities.indicators.models import Import, Indicator

LOGIN = "302 → login"  # to the login page, with ?next= the page asked for
FIXTURE = Path(__file__).parent / "fixtures" / "ssb_kriminalitet.json"

# fmt: off
ROWS: dict = {
    #                                  anon   member coord  contact review funder secretariat
    "indicators:imports":             (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-new":          (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-detail":       (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-map":          (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-preview":      (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-commit":       (405,   405,   405,   405,    405,   405,   405),
    "indicators:import-undo":         (405,   405,   405,   405,    405,   405,   405),
    "indicators:import-discard":      (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-sample-csv":   (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:import-sample-jsonstat": (LOGIN, 403, 200,  403,    403,   403,   200),
}
# fmt: on

WALK_FILE = "walk-08487.json"


def _committed(w) -> dict:
    return {"pk": Import.objects.filter(indicator__code="hate-crime-rate").order_by("pk")[0].pk}


def _draft(w) -> dict:
    draft = Import.objects.filter(filename=WALK_FILE).first()
    if draft is None:
        draft = services.upload_import(
            w.users["coordinator"],
            indicator=Indicator.objects.get(code="hate-crime-rate"),
            upload=SimpleUploadedFile(WALK_FILE, FIXTURE.read_bytes()),
            country="NO",
        )
    return {"pk": draft.pk}


SAMPLE_KWARGS: dict = {
    "indicators:import-detail": _committed,
    "indicators:import-map": _draft,
    "indicators:import-preview": _draft,
    "indicators:import-commit": _draft,
    "indicators:import-undo": _committed,
    "indicators:import-discard": _draft,
    "indicators:import-sample-csv": lambda w: {"code": "hate-crime-rate"},
    "indicators:import-sample-jsonstat": lambda w: {"code": "hate-crime-rate"},
}
