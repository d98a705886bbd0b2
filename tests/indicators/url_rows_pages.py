"""The indicator pages and dashboards in the permission walk (see tests/test_url_permissions.py):
what a GET answers each role, and the demo records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The records are the demo's
indicator "hate-crime-rate" and the city of Oslo, which the coordinator coordinates.

- The list of indicators, an indicator's page, a city's and the network's dashboards and their
  CSV files are public.
- Defining and editing indicators is the secretariat's.
- Recording a city's figures and setting its baseline and targets is for the city's
  coordinators and the secretariat (`indicators.write_city`).
"""

LOGIN = "302 → login"  # to the login page, with ?next= the page asked for

# fmt: off
ROWS: dict = {
    #                                  anon   member coord  contact review funder secretariat
    "indicators:list":                (200,   200,   200,   200,    200,   200,   200),
    "indicators:create":              (LOGIN, 403,   403,   403,    403,   403,   200),
    "indicators:detail":              (200,   200,   200,   200,    200,   200,   200),
    "indicators:detail-csv":          (200,   200,   200,   200,    200,   200,   200),
    "indicators:edit":                (LOGIN, 403,   403,   403,    403,   403,   200),
    "indicators:network":             (200,   200,   200,   200,    200,   200,   200),
    "indicators:network-csv":         (200,   200,   200,   200,    200,   200,   200),
    "indicators:city":                (200,   200,   200,   200,    200,   200,   200),
    "indicators:city-csv":            (200,   200,   200,   200,    200,   200,   200),
    "indicators:city-observation":    (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:city-baseline":       (LOGIN, 403,   200,   403,    403,   403,   200),
    "indicators:city-target":         (LOGIN, 403,   200,   403,    403,   403,   200),
}
# fmt: on


def _indicator(w) -> dict:
    return {"code": "hate-crime-rate"}


def _city(w) -> dict:
    return {"slug": "oslo"}


SAMPLE_KWARGS: dict = {
    "indicators:detail": _indicator,
    "indicators:detail-csv": _indicator,
    "indicators:edit": _indicator,
    "indicators:city": _city,
    "indicators:city-csv": _city,
    "indicators:city-observation": _city,
    "indicators:city-baseline": _city,
    "indicators:city-target": _city,
}
