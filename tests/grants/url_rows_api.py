"""The grants API in the permission walk: what a GET answers each role, and the demo records the
URLs are walked with. Signed-in roles send their personal API token; anonymous sends none.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. One URL name per path: where a path
takes a GET and a POST or PATCH (`grants-applications`, `grants-application`), the row is the
GET's. The sample application is "Safe summer nights", Oslo's draft in the open call of
safe-cities-norway-2024-2026: its coordinator and whoever runs the programme (Gjensidigestiftelsen's
officer, the secretariat) may read it; the reviewer is not assigned to a draft.
"""

from safecities.grants.models import Application, Award, Call, GrantReport, Partner

# fmt: off
ROWS = {
    #                                          anon member coord contact review funder secretariat
    "api-1.0.0:grants-programmes":            (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-programme":             (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-calls":                 (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-call":                  (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-applications":          (401,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-application":           (401,  403,   200,  403,    403,   200,   200),
    "api-1.0.0:grants-application-submit":    (405,  405,   405,  405,    405,   405,   405),
    "api-1.0.0:grants-application-withdraw":  (405,  405,   405,  405,    405,   405,   405),
    "api-1.0.0:grants-partner-confirm":       (405,  405,   405,  405,    405,   405,   405),
    "api-1.0.0:grants-partner-withdraw":      (405,  405,   405,  405,    405,   405,   405),
    "api-1.0.0:grants-report":                (401,  403,   200,  403,    403,   200,   200),
    "api-1.0.0:grants-awards":                (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-award":                 (401,  403,   200,  403,    403,   200,   200),
    "api-1.0.0:grants-agreement-accept":      (405,  405,   405,  405,    405,   405,   405),
    "api-1.0.0:grants-360giving-json":        (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:grants-360giving-csv":         (200,  200,   200,  200,    200,   200,   200),
}

PARTNER_ROWS = {
    #                                          partner coordinator, partner contact
    "api-1.0.0:grants-applications":          (200, 200),
    "api-1.0.0:grants-application":           (200, 200),
    "api-1.0.0:grants-partner-confirm":       (405, 405),
}
# fmt: on


def _safe_summer_nights(w) -> dict:
    return {"pk": Application.objects.get(title="Safe summer nights").pk}


def _oslo_snakker(w) -> dict:
    """The award of "Oslo snakker", led by Oslo (coordinator@), its agreement accepted."""
    return {"pk": Award.objects.get(application__title="Oslo snakker").pk}


def _a_partner(w) -> dict:
    return {"pk": Partner.objects.filter(application__title="Safe summer nights").first().pk}


SAMPLE_KWARGS = {
    "api-1.0.0:grants-programme": lambda w: {"slug": "safe-cities-norway-2024-2026"},
    "api-1.0.0:grants-call": lambda w: {
        "pk": Call.objects.get(title__en="Local partnerships against hate 2027").pk
    },
    "api-1.0.0:grants-application": _safe_summer_nights,
    "api-1.0.0:grants-report": lambda w: {
        "pk": GrantReport.objects.filter(award__application__title="Young voices Oslo East")
        .order_by("due_on", "pk")
        .first()
        .pk
    },
    "api-1.0.0:grants-application-submit": _safe_summer_nights,
    "api-1.0.0:grants-application-withdraw": _safe_summer_nights,
    "api-1.0.0:grants-partner-confirm": _a_partner,
    "api-1.0.0:grants-partner-withdraw": _a_partner,
    "api-1.0.0:grants-award": _oslo_snakker,
    "api-1.0.0:grants-agreement-accept": _oslo_snakker,
}
