"""Audit cases for core's personal-data services, merged into the table of
tests/core/test_audit.py: (prepare(demo) -> object or None, act(demo, prepared), expected audit
action, names of the fields the action changes). The erasure's changes are counts only."""

from safecities.core import services
from tests.core.factories import UserFactory


def _member_with_a_token(demo):
    user = UserFactory(email="to-erase@example.net", full_name="Tora Erase")
    services.create_api_token(actor=user, name="Script")
    return user


CORE_CASES = {
    "safecities.core.services.export_personal_data": (
        None,
        lambda d, _: services.export_personal_data(actor=d.users["member"], user=d.users["member"]),
        "core.account.export",
        set(),
    ),
    "safecities.core.services.erase_account": (
        _member_with_a_token,
        lambda d, user: services.erase_account(actor=d.users["secretariat"], user=user),
        "core.account.erase",
        {"api_tokens"},
    ),
}
