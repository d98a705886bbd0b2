"""Core's personal-data pages in the permission walk (see tests/test_url_permissions.py): what a
GET answers each role, and the records the URLs are walked with.

Columns, in the order of `tests.conftest.ROLES`: anonymous, member, coordinator,
organisation_contact, reviewer, funder_officer, secretariat. Everyone signed in has their own
data page and erasure page; only the secretariat erases someone else's account (the walk's
account is the member's) and sees the mail owed.
"""

from safecities.core.models import OwedMail, User


def _owed_mail() -> int:
    """A mail owed about the demo's first membership application (nothing is sent on a GET)."""
    from safecities.network.models import MembershipApplication

    application = MembershipApplication.objects.order_by("pk").first()
    mail, _created = OwedMail.objects.get_or_create(
        kind="network.application_decided", args=[application.pk]
    )
    return mail.pk


LOGIN = "302 → login"
EVERYONE = (200, 200, 200, 200, 200, 200, 200)
MEMBERS = (LOGIN, 200, 200, 200, 200, 200, 200)
SECRETARIAT = (LOGIN, 403, 403, 403, 403, 403, 200)
SETUP = "302 → /accounts/two-factor/setup/"  # no authenticator app yet
SECURITY = "302 → /accounts/security/"
ICON = "302 → /static/safecities/favicon.svg"

# fmt: off
ROWS: dict = {
    #                                   anon   member coord contact review funder secretariat
    "core:start":                       MEMBERS,
    "core:personal-data":               MEMBERS,
    "core:erase-self":                  MEMBERS,
    "core:erased":                      EVERYONE,
    "core:erase-find":                  SECRETARIAT,
    "core:erase-account":               SECRETARIAT,
    "core:privacy":                     EVERYONE,
    # signing up, the account's security and two-factor sign-in
    "core:signup-sent":                 EVERYONE,
    "core:signup-confirm":              EVERYONE,  # a wrong link: the page says so
    "core:security":                    MEMBERS,
    "core:password-change":             MEMBERS,
    "core:two-factor":                  (LOGIN, SETUP, SETUP, SETUP, SETUP, 200, 200),
    "core:two-factor-setup":            MEMBERS,
    "core:two-factor-backup":           (LOGIN, *[SECURITY] * 6),  # GET changes nothing
    "core:mail":                        SECRETARIAT,
    "core:mail-send":                   (LOGIN, 403,  403,  403,    403,   403,   405),  # POST only
    "core:mail-send-all":               (LOGIN, 403,  403,  403,    403,   403,   405),
    "api-1.0.0:me-personal-data":       (401,  200,  200,  200,    200,   200,   200),
    "core:favicon":                     (ICON,) * 7,  # browsers ask for it on every site
}
# fmt: on

SAMPLE_KWARGS = {
    "core:signup-confirm": lambda w: {"uidb64": "MQ", "token": "not-a-valid-token"},
    "core:mail-send": lambda w: {"pk": _owed_mail()},
    "core:erase-account": lambda w: {"pk": User.objects.get(email="member@example.org").pk},
}
