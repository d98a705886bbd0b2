"""The programme and call pages in the permission walk: what a GET answers each role, and the
demo records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The records are the demo's programme
safe-cities-norway-2024-2026 (Gjensidigestiftelsen, whose officer is funder@) and its OPEN call
"Local partnerships against hate 2027".

- The landing page, programme overviews, an open or closed call's page and the list of awards
  are public.
- Creating a programme or a call and writing a call's terms, criteria and questions are for
  whoever runs the programme: the secretariat and the funder's officers. The edit pages of an
  OPEN call answer 200 to them with a notice that its terms can only change while it is a draft
  (a POST is refused by the service, with its message).
- A DRAFT call's page answers 404 to everyone who cannot run it, anonymous included, so drafts
  are not discoverable (tests/grants/test_views_programmes.py checks it: the demo has no draft
  call to walk).
- Opening and closing a call are POST only: 405 to a GET, for everyone (`require_POST` is the
  outermost decorator).
"""

from safecities.grants.models import Call, ProgrammeLine

LOGIN = "302 → login"  # to the login page, with ?next= the page asked for

# fmt: off
ROWS = {
    #                               anon   member coord  contact review funder secretariat
    "grants:programmes":           (200,   200,   200,   200,    200,   200,   200),
    "grants:programme":            (200,   200,   200,   200,    200,   200,   200),
    "grants:programme-cities":     (200,   200,   200,   200,    200,   200,   200),
    "grants:programme-create":     (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:programme-edit":       (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:programme-lines":      (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:programme-line-edit":  (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:programme-line-delete": (LOGIN, 403,  403,   403,    403,   200,   200),
    "grants:call-line":            (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:call-create":          (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:call":                 (200,   200,   200,   200,    200,   200,   200),
    "grants:call-edit":            (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:call-criteria":        (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:call-questions":       (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:call-open":            (LOGIN, 403,   403,   403,    403,   200,   200),
    "grants:call-close":           (405,   405,   405,   405,    405,   405,   405),
    "grants:awards":               (200,   200,   200,   200,    200,   200,   200),
}
# fmt: on

PROGRAMME = "safe-cities-norway-2024-2026"


def _open_call(w) -> dict:
    return {"pk": Call.objects.get(title__en="Local partnerships against hate 2027").pk}


SAMPLE_KWARGS = {
    "grants:programme": lambda w: {"slug": PROGRAMME},
    "grants:programme-cities": lambda w: {"slug": PROGRAMME},
    "grants:programme-edit": lambda w: {"slug": PROGRAMME},
    "grants:programme-lines": lambda w: {"slug": PROGRAMME},
    "grants:programme-line-edit": lambda w: {
        "slug": PROGRAMME,
        "pk": ProgrammeLine.objects.filter(programme__slug=PROGRAMME).order_by("pk").first().pk,
    },
    "grants:programme-line-delete": lambda w: {
        "slug": PROGRAMME,
        "pk": ProgrammeLine.objects.filter(programme__slug=PROGRAMME).order_by("pk").last().pk,
    },
    "grants:call-line": _open_call,
    "grants:call-create": lambda w: {"slug": PROGRAMME},
    "grants:call": _open_call,
    "grants:call-edit": _open_call,
    "grants:call-criteria": _open_call,
    "grants:call-questions": _open_call,
    "grants:call-open": _open_call,
    "grants:call-close": _open_call,
}
