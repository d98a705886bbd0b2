"""The change request pages in the permission walk (columns as in url_rows_reviews: anonymous,
member, coordinator, organisation_contact, reviewer, funder_officer, secretariat).

The walk uses the demo's "Oslo snakker", awarded to Oslo (coordinator@ coordinates Oslo, so
leads it). The grantee's lead asks for changes and withdraws them; those who run the programme
(funder@, the secretariat) decide them. The request form answers its lead 200 whatever the
agreement's state (it says when no change may be asked for). The walk's change request is
written as a row here, as the demo network has none: the pages only read it.
"""

from django.utils import timezone

from safecities.grants.models import Award, ChangeRequest

LOGIN = "302 → login"  # as in tests/test_url_permissions.py

# fmt: off
ROWS = {
    #                                anon   member coord contact review funder secretariat
    "grants:change-request":        (LOGIN, 403,   200,  403,    403,   403,   403),
    "grants:change-decide":         (LOGIN, 403,   403,  403,    403,   200,   200),
    "grants:change-withdraw":       (LOGIN, 403,   200,  403,    403,   403,   403),
    # the API: the list for the grantees and the runners; the writes are POST only
    "api-1.0.0:grants-award-changes":   (401, 403,   200,  403,    403,   200,   200),
    "api-1.0.0:grants-change-withdraw": (405, 405,   405,  405,    405,   405,   405),
    "api-1.0.0:grants-change-decide":   (405, 405,   405,  405,    405,   405,   405),
}
# fmt: on


def _award(w) -> dict:
    return {"pk": Award.objects.get(application__title="Oslo snakker").pk}


def _change(w) -> dict:
    award = Award.objects.get(application__title="Oslo snakker")
    change, _created = ChangeRequest.objects.get_or_create(
        award=award,
        kind=ChangeRequest.Kind.EXTENSION,
        defaults={
            "reason": "The autumn debates move to spring.",
            "new_ends_on": timezone.localdate().replace(year=timezone.localdate().year + 1),
            "requested_by": w.users["coordinator"],
            "requested_at": timezone.now(),
        },
    )
    return {"pk": change.pk}


SAMPLE_KWARGS = {
    "grants:change-request": _award,
    "grants:change-decide": _change,
    "grants:change-withdraw": _change,
    "api-1.0.0:grants-award-changes": _award,
    "api-1.0.0:grants-change-withdraw": _change,
    "api-1.0.0:grants-change-decide": _change,
}
