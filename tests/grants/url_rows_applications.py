"""Permission-walk rows for the applicant's grant pages (views/applications.py).

Merged into tests/test_url_permissions.py: ROWS into EXPECTED, SAMPLE_KWARGS into its own.
Columns: anonymous, member, coordinator, organisation_contact, reviewer, funder_officer,
secretariat. The demo records used:

- "Safe summer nights": a DRAFT led by Oslo (coordinator@ coordinates Oslo). Only the lead's
  coordinator may edit, submit or withdraw it (grants.apply); runners may look, not write.
- "Dialogue cafés": SUBMITTED, led by Oslo, with a file answer and one version; reviewer@ is
  assigned to it (not in conflict), so the reviewer may see it, its versions and its files.
- The open call "Local partnerships against hate 2027": coordinators and organisation contacts
  may start an application (grants.apply with no object); runners and reviewers may not.
- The partner row of "Safe summer nights" (Ungdom i Dialog, not confirmed): only whoever acts
  for Ungdom i Dialog confirms its participation (grants.confirm_participation); no role here.
- The first report of "Young voices Oslo East" (an interim report, due): the grantee (Oslo's
  coordinator) and the runners (the funder officer, the secretariat) see it; no one else.
- The partners page of "Safe summer nights" (who writes which question): its lead and partners.

PARTNER_ROWS: the same URLs for the partners of those applications (see `partners` in
tests/test_url_permissions.py), columns: partner_coordinator (coordinates Stockholm, a confirmed
partner, given the call's questions of "Safe summer nights" to write), partner_contact (speaks
for Ungdom i Dialog, a partner given no question).
"""

from safecities.grants.models import Answer, Application, Call, GrantReport, Partner

LOGIN = "302 → login"

# fmt: off
ROWS = {
    #                                 anon   member coord  contact review funder secretariat
    "grants:my-applications":       (LOGIN, 200,   200,   200,    200,   200,   200),
    "grants:application-start":     (LOGIN, 403,   200,   200,    403,   403,   403),
    "grants:application":           (LOGIN, 403,   200,   403,    200,   200,   200),
    "grants:application-edit":      (LOGIN, 403,   200,   403,    403,   403,   403),
    "grants:application-submit":    (LOGIN, 403,   200,   403,    403,   403,   403),
    "grants:application-withdraw":  (LOGIN, 403,   200,   403,    403,   403,   403),
    "grants:application-versions":  (LOGIN, 403,   200,   403,    200,   200,   200),
    "grants:participation":         (LOGIN, 403,   403,   403,    403,   403,   403),
    "grants:answer-file":           (LOGIN, 403,   200,   403,    200,   200,   200),
    "grants:reports":               (LOGIN, 200,   200,   200,    200,   200,   200),
    "grants:report":                (LOGIN, 403,   200,   403,    403,   200,   200),
    "grants:application-partners":  (LOGIN, 403,   200,   403,    403,   403,   403),
}

PARTNER_ROWS = {
    #                                 partner coordinator, partner contact
    "grants:my-applications":       (200, 200),
    "grants:application":           (200, 200),
    "grants:application-edit":      (200, 403),  # co-writes the questions it was given
    "grants:application-submit":    (403, 403),  # only the lead submits
    "grants:application-withdraw":  (403, 403),
    "grants:application-versions":  (200, 200),
    "grants:application-partners":  (200, 200),
    "grants:participation":         (403, 200),  # Ungdom i Dialog's own row
    "grants:answer-file":           (200, 200),
    "grants:reports":               (200, 200),
    "grants:report":                (200, 200),
}
# fmt: on


def _application(title: str) -> int:
    return Application.objects.get(title=title).pk


SAMPLE_KWARGS = {
    "grants:application-start": lambda w: {
        "pk": Call.objects.get(title__en="Local partnerships against hate 2027").pk
    },
    "grants:application": lambda w: {"pk": _application("Dialogue cafés")},
    "grants:application-edit": lambda w: {"pk": _application("Safe summer nights")},
    "grants:application-submit": lambda w: {"pk": _application("Safe summer nights")},
    "grants:application-withdraw": lambda w: {"pk": _application("Safe summer nights")},
    "grants:application-partners": lambda w: {"pk": _application("Safe summer nights")},
    "grants:application-versions": lambda w: {"pk": _application("Dialogue cafés")},
    "grants:participation": lambda w: {
        "pk": Partner.objects.get(
            application__title="Safe summer nights", organisation__slug="ungdom-i-dialog"
        ).pk
    },
    "grants:answer-file": lambda w: {
        "pk": Answer.objects.exclude(file="").get(application__title="Dialogue cafés").pk
    },
    "grants:report": lambda w: {
        "pk": GrantReport.objects.filter(award__application__title="Young voices Oslo East")
        .order_by("due_on", "pk")
        .first()
        .pk
    },
}
