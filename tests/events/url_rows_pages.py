"""The events' pages in the permission walk (see tests/test_url_permissions.py): what a GET
answers each role, and the records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. The walk's event is for members
only (a visitor does not find it: 404) and is organised by Oslo's coordinator, so its organiser
pages open for them and the secretariat. The walk's closed group is owned by the organisation
contact, with member@example.org in it and a note of theirs: its pages open for the two of them
alone — not for the secretariat either.
"""

from datetime import timedelta

from django.utils import timezone

from safecities.events import services
from safecities.events.models import Event, Group
from safecities.network.models import Municipality

LOGIN = "302 → login"
EVERYONE = (200, 200, 200, 200, 200, 200, 200)
MEMBERS = (LOGIN, 200, 200, 200, 200, 200, 200)
READERS = (404, 200, 200, 200, 200, 200, 200)  # the members' event: no visitor finds it
ORGANISERS = (LOGIN, 403, 200, 403, 403, 403, 200)  # Oslo's coordinator and the secretariat
CREATORS = (LOGIN, 403, 200, 200, 403, 403, 200)  # cities, organisations, the secretariat
IN_GROUP = (LOGIN, 200, 403, 200, 403, 403, 403)  # the member and the owner (the contact)
OWNER = (LOGIN, 403, 403, 200, 403, 403, 403)

# fmt: off
ROWS: dict = {
    #                                   anon   member coord contact review funder secretariat
    "events:list":                      EVERYONE,
    "events:mine":                      MEMBERS,
    "events:attendance":                MEMBERS,
    "events:feeds":                     MEMBERS,
    "events:feed-revoke":               (LOGIN, 405,  405,  405,    405,   405,   405),  # POST only
    "events:create":                    CREATORS,
    "events:edit":                      ORGANISERS,
    "events:publish":                   ORGANISERS,
    "events:cancel":                    ORGANISERS,
    "events:registrations":             ORGANISERS,
    "events:close":                     ORGANISERS,
    "events:detail":                    READERS,
    "events:ics":                       READERS,
    "events:register":                  MEMBERS,  # a visitor logs in first, found or not
    "events:unregister":                MEMBERS,
    "events:groups":                    MEMBERS,
    "events:group-create":              CREATORS,
    "events:group":                     IN_GROUP,
    "events:group-edit":                OWNER,
    "events:note-create":               IN_GROUP,
    "events:member-add":                OWNER,
    "events:member-remove":             IN_GROUP,  # the member leaving, or the owner
    "events:meeting-create":            OWNER,
    "events:note-edit":                 (LOGIN, 200,  403,  403,    403,   403,   403),  # its author
    "events:note-delete":               IN_GROUP,  # its author or an owner
}
# fmt: on

EVENT_TITLE = "Walk: the members' workshop in Oslo"
GROUP_NAME = "Walk: a closed group"


def _event(w) -> Event:
    event = Event.objects.filter(title__en=EVENT_TITLE).first()
    if event is None:
        starts = (timezone.now() + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
        coordinator = w.users["coordinator"]
        event = services.create_event(
            actor=coordinator,
            data={
                "type": "workshop",
                "title": {"en": EVENT_TITLE},
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=3),
                "audience": "members",
                "capacity": 20,
                "organising_municipalities": [Municipality.objects.get(slug="oslo")],
            },
        )
        event = services.publish_event(actor=coordinator, event=event)
    return event


def _group(w) -> Group:
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        group = services.create_group(
            actor=w.users["organisation_contact"],
            members=[w.users["member"]],
            data={"name": GROUP_NAME},
        )
        services.write_note(actor=w.users["member"], group=group, text="Walk: said in the group.")
    return group


def _note(w):
    return _group(w).notes.order_by("id").first()


SAMPLE_KWARGS: dict = {
    "events:feed-revoke": lambda w: {
        "pk": services.create_feed_token(actor=w.users["member"])[0].pk
    },
    "events:edit": lambda w: {"pk": _event(w).pk},
    "events:publish": lambda w: {"pk": _event(w).pk},
    "events:cancel": lambda w: {"pk": _event(w).pk},
    "events:registrations": lambda w: {"pk": _event(w).pk},
    "events:close": lambda w: {"pk": _event(w).pk},
    "events:detail": lambda w: {"pk": _event(w).pk},
    "events:ics": lambda w: {"pk": _event(w).pk},
    "events:register": lambda w: {"pk": _event(w).pk},
    "events:unregister": lambda w: {"pk": _event(w).pk},
    "events:group": lambda w: {"pk": _group(w).pk},
    "events:group-edit": lambda w: {"pk": _group(w).pk},
    "events:note-create": lambda w: {"pk": _group(w).pk},
    "events:member-add": lambda w: {"pk": _group(w).pk},
    "events:member-remove": lambda w: {"pk": _group(w).pk, "user_pk": w.users["member"].pk},
    "events:meeting-create": lambda w: {"pk": _group(w).pk},
    "events:note-edit": lambda w: {"pk": _note(w).pk},
    "events:note-delete": lambda w: {"pk": _note(w).pk},
}
