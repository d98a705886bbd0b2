"""The indicators API in the permission walk: what a GET answers each role, and the records the
URLs are walked with. Signed-in roles send their personal API token; anonymous sends none.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. One URL name per path: where a path
takes a GET and a POST (`indicators-observations`), the row is the GET's; everything here is
public to read. The demo network has no indicators yet, so the sample indicator is defined by
the secretariat through the service when the URL is walked (inside the walk's transaction,
rolled back after each case); once the demo holds indicators, name one of them instead.
"""

from safecities.indicators import services
from safecities.indicators.models import Indicator

# fmt: off
ROWS = {
    #                                          anon member coord contact review funder secretariat
    "api-1.0.0:indicators":                   (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:indicators-observations":      (200,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:indicator":                    (200,  200,   200,  200,    200,   200,   200),
}
# fmt: on

WALK_INDICATOR = "walk-hate-crime-reports"


def _indicator(w) -> dict:
    if not Indicator.objects.filter(code=WALK_INDICATOR).exists():
        services.create_indicator(
            actor=w.users["secretariat"],
            code=WALK_INDICATOR,
            name={"en": "Hate crime reported to the police"},
            description={"en": "Reports of hate crime, per year."},
            kind="outcome",
            unit_type="count",
            better="lower",
            source="police",
            period_type="year",
        )
    return {"code": WALK_INDICATOR}


SAMPLE_KWARGS = {
    "api-1.0.0:indicator": _indicator,
}
