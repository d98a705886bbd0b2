"""The review, decision and payment pages in the permission walk: what a GET answers each role,
and the demo records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The records come from the demo's
programme safe-cities-norway-2024-2026 (Gjensidigestiftelsen, whose officer is funder@):
- the open call "Local partnerships against hate 2027";
- "Dialogue cafés", submitted there, with reviewer@'s review still only assigned;
- "Neighbourhood hosts Skien", submitted there, with reviewer@'s review submitted (so those who
  run the programme may read it too; Skien is not coordinated by coordinator@);
- "Oslo snakker", awarded to Oslo (coordinator@ coordinates Oslo, so may follow the grant), its
  tranches paid;
- "Young voices Oslo East", awarded to Oslo, its second tranche scheduled.

Who runs a programme (its funder officer, the secretariat) lists, assigns, decides and pays; the
assigned reviewer scores; the grantee reads its award. POST-only URLs answer 405 to every GET.
Confirm pages (payment paid/return/cancel, report accept, award close) answer 200 to runners
whatever the record's state: they say when the step cannot be taken. The grant agreement of
"Oslo snakker" (accepted) is read by whoever runs the programme and by the grantee; only runners
reach its edit, send and reopen pages, and only the lead (coordinator@ for Oslo) its accept page,
each saying that the accepted agreement cannot change now.
"""

from safecities.grants.models import Application, Award, Payment, Review

LOGIN = "302 → login"  # as in tests/test_url_permissions.py

# fmt: off
ROWS = {
    #                                   anon   member coord contact review funder secretariat
    "grants:call-applications":        (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:application-reviewers":    (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:review-unassign":          (405,   405,   405,  405,    405,   405,   405),
    "grants:my-reviews":               (LOGIN, 200,   200,  200,    200,   200,   200),
    "grants:review":                   (LOGIN, 403,   403,  403,    200,   200,   200),
    "grants:review-conflict":          (LOGIN, 403,   403,  403,    200,   403,   403),
    "grants:decision-packs":           (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:decision-pack":            (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:decision-pack-csv":        (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:decision-pack-pdf":        (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:application-decide":       (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:award":                    (LOGIN, 403,   200,  403,    403,   200,   200),
    "grants:payment-schedule":         (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:payment-paid":             (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:payment-return":           (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:payment-cancel":           (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:award-close":              (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:report-accept":            (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:agreement":                (LOGIN, 403,   200,  403,    403,   200,   200),
    "grants:agreement-edit":           (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:agreement-send":           (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:agreement-reopen":         (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:agreement-accept":         (LOGIN, 403,   200,  403,    403,   403,   403),
}

PARTNER_ROWS = {
    #                                  partner coordinator, partner contact
    "grants:award":                    (200, 200),  # with its payments
    "grants:payment-schedule":         (403, 403),
    "grants:payment-paid":             (403, 403),
    "grants:payment-return":           (403, 403),
    "grants:payment-cancel":           (403, 403),
    "grants:award-close":              (403, 403),
    "grants:report-accept":            (403, 403),
}
# fmt: on


def _application(title: str) -> Application:
    return Application.objects.get(title=title)


def _open_call(w) -> dict:
    return {"pk": _application("Dialogue cafés").call_id}


def _dialogue_cafes(w) -> dict:
    return {"pk": _application("Dialogue cafés").pk}


def _assigned_review(w) -> dict:
    """reviewer@'s review of "Dialogue cafés", not yet submitted."""
    return {
        "pk": Review.objects.get(
            application__title="Dialogue cafés", reviewer__email="reviewer@example.org"
        ).pk
    }


def _submitted_review(w) -> dict:
    """reviewer@'s submitted review of "Neighbourhood hosts Skien"."""
    return {
        "pk": Review.objects.get(
            application__title="Neighbourhood hosts Skien",
            reviewer__email="reviewer@example.org",
            status=Review.Status.SUBMITTED,
        ).pk
    }


def _award(title: str):
    return lambda w: {"pk": Award.objects.get(application__title=title).pk}


def _payment(title: str, status: str):
    return lambda w: {
        "pk": Payment.objects.filter(award__application__title=title, status=status)
        .order_by("due_on")
        .first()
        .pk
    }


def _final_report(w) -> dict:
    award = Award.objects.get(application__title="Oslo snakker")
    return {"pk": award.reports.get(kind="final").pk}


SAMPLE_KWARGS = {
    "grants:call-applications": _open_call,
    "grants:application-reviewers": _dialogue_cafes,
    "grants:review-unassign": _assigned_review,
    "grants:review": _submitted_review,
    "grants:review-conflict": _assigned_review,
    "grants:decision-pack": _open_call,
    "grants:decision-pack-csv": _open_call,
    "grants:decision-pack-pdf": _open_call,
    "grants:application-decide": _dialogue_cafes,
    "grants:award": _award("Oslo snakker"),
    "grants:payment-schedule": _award("Young voices Oslo East"),
    "grants:payment-paid": _payment("Young voices Oslo East", Payment.Status.SCHEDULED),
    "grants:payment-return": _payment("Oslo snakker", Payment.Status.PAID),
    "grants:payment-cancel": _payment("Young voices Oslo East", Payment.Status.SCHEDULED),
    "grants:award-close": _award("Oslo snakker"),
    "grants:report-accept": _final_report,
    "grants:agreement": _award("Oslo snakker"),
    "grants:agreement-edit": _award("Oslo snakker"),
    "grants:agreement-send": _award("Oslo snakker"),
    "grants:agreement-reopen": _award("Oslo snakker"),
    "grants:agreement-accept": _award("Oslo snakker"),
}
