"""Core's personal-data pages for the axe-core sweep (tests/browser/test_every_page.py): per
role, lambdas returning paths of GET pages that role can open."""

from django.urls import reverse

from safecities.core.models import User


def _member() -> int:
    return User.objects.get(email="member@example.org").pk


PAGES = {
    "anonymous": [
        lambda: reverse("core:privacy"),
        lambda: reverse("core:erased"),
        lambda: reverse("core:signup-sent"),
        lambda: reverse("core:signup-confirm", args=["MQ", "not-a-valid-token"]),
    ],
    "coordinator": [
        lambda: reverse("core:security"),
        lambda: reverse("core:password-change"),
        lambda: reverse("core:two-factor-setup"),
        lambda: reverse("core:personal-data"),
        lambda: reverse("core:erase-self"),
    ],
    "secretariat": [
        lambda: reverse("network:people"),  # with the erasure links
        lambda: reverse("core:erase-find"),
        lambda: reverse("core:security"),
        lambda: reverse("core:two-factor"),
        lambda: reverse("core:erase-account", args=[_member()]),
        lambda: reverse("core:mail"),  # nothing owed: the empty state
        lambda: reverse("core:mail") + "?status=sent&sort=kind",  # the demo's mails, sent
    ],
}
