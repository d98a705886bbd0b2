"""The events API in the permission walk (see tests/test_url_permissions.py): what a GET answers
each role, and the demo records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. Signed-in roles send their personal
API token. The event walked is the demo's "Safe Cities Norway gathering", for members: a visitor
does not find it (404). The registration path takes POST and DELETE only (405 to a GET). The
private feed is walked at the member's secret address: the address is the credential, so it
answers whoever holds it, token or not.
"""

from safecities.events import services
from safecities.events.models import Event

EVERYONE = (200, 200, 200, 200, 200, 200, 200)
NO_GET = (405, 405, 405, 405, 405, 405, 405)

# fmt: off
ROWS = {
    #                                         anon member coord contact review funder secretariat
    "api-1.0.0:events":                       EVERYONE,
    "api-1.0.0:event":                        (404,  200,   200,  200,    200,   200,   200),
    "api-1.0.0:event-registration":           NO_GET,
    "api-1.0.0:event-registration-cancel":    NO_GET,
    "api-1.0.0:events-ics":                   EVERYONE,
    "api-1.0.0:events-feed":                  EVERYONE,
}
# fmt: on


def _members_event(w) -> dict:
    return {"pk": Event.objects.get(title__en="Safe Cities Norway gathering").pk}


def _feed(w) -> dict:
    return {"token": services.create_feed_token(actor=w.users["member"])[1]}


SAMPLE_KWARGS = {
    "api-1.0.0:event": _members_event,
    "api-1.0.0:event-registration": _members_event,
    "api-1.0.0:event-registration-cancel": _members_event,
    "api-1.0.0:events-feed": _feed,
}
