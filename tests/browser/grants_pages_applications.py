"""The applicant's grant pages for the axe-core sweep (tests/browser/test_every_page.py).

Each role maps to lambdas giving the paths of the pages of views/applications.py that role can
open, found from the demo records by name. None of these pages is public: a visitor has none.
The file answer (`grants:answer-file`) is a PDF, not a page, and is left out.
"""

from django.urls import reverse

from safecities.grants.models import Application, Call, GrantReport


def _application(title: str) -> int:
    return Application.objects.get(title=title).pk


def _report(title: str, kind: str) -> int:
    return (
        GrantReport.objects.filter(award__application__title=title, kind=kind)
        .order_by("due_on", "pk")
        .first()
        .pk
    )


def _open_call() -> int:
    return Call.objects.get(title__en="Local partnerships against hate 2027").pk


PAGES = {
    "anonymous": [],
    "coordinator": [
        lambda: reverse("grants:my-applications"),
        lambda: reverse("grants:my-applications") + "?status=awarded",
        lambda: reverse("grants:application-start", args=[_open_call()]),
        lambda: reverse("grants:application", args=[_application("Safe summer nights")]),
        lambda: reverse("grants:application", args=[_application("Oslo snakker")]),
        lambda: reverse("grants:application-edit", args=[_application("Safe summer nights")]),
        lambda: reverse("grants:application-partners", args=[_application("Safe summer nights")]),
        lambda: reverse("grants:application-partners", args=[_application("Oslo snakker")]),
        lambda: reverse("grants:application-submit", args=[_application("Safe summer nights")]),
        lambda: reverse("grants:application-withdraw", args=[_application("Safe summer nights")]),
        lambda: reverse("grants:application-versions", args=[_application("Dialogue cafés")]),
        lambda: reverse("grants:reports"),
        lambda: reverse("grants:reports") + "?overdue=1",
        lambda: reverse("grants:report", args=[_report("Young voices Oslo East", "interim")]),
        lambda: reverse("grants:report", args=[_report("Oslo snakker", "final")]),
    ],
    "secretariat": [
        lambda: reverse("grants:application", args=[_application("Dialogue cafés")]),
        lambda: reverse(
            "grants:application", args=[_application("Debate club for all Kristiansand")]
        ),
        lambda: reverse("grants:application-versions", args=[_application("Oslo snakker")]),
        lambda: reverse("grants:reports"),
        lambda: reverse("grants:report", args=[_report("Oslo snakker", "final")]),
    ],
    "reviewer": [
        lambda: reverse("grants:my-applications"),
        lambda: reverse("grants:application", args=[_application("Dialogue cafés")]),
        lambda: reverse("grants:application-versions", args=[_application("Dialogue cafés")]),
        lambda: reverse("grants:reports"),
    ],
    "funder_officer": [
        lambda: reverse("grants:application", args=[_application("Oslo snakker")]),
        lambda: reverse("grants:application", args=[_application("Safe summer nights")]),
        lambda: reverse("grants:reports") + "?overdue=1",
        lambda: reverse("grants:report", args=[_report("Young voices Oslo East", "interim")]),
    ],
}
