"""Who may do what in the network. Pages and the API ask these same rules."""

from safecities.core.permissions import rule

from .models import Membership, MembershipApplication, Municipality, Organisation, Role


def roles_of(user) -> list[tuple[str, int | None, int | None]]:
    """(role, municipality_id, organisation_id) for the user, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_safecities_roles", None)
    if cached is None:
        cached = list(
            user.role_assignments.values_list("role", "municipality_id", "organisation_id")
        )
        user._safecities_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return any(r == role for r, _m, _o in roles_of(user))


def is_secretariat(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.SECRETARIAT)


def coordinated_municipality_ids(user) -> set[int]:
    return {m for r, m, _o in roles_of(user) if r == Role.COORDINATOR and m}


def contact_organisation_ids(user) -> set[int]:
    return {o for r, _m, o in roles_of(user) if r == Role.ORGANISATION_CONTACT and o}


def funder_organisation_ids(user) -> set[int]:
    return {o for r, _m, o in roles_of(user) if r == Role.FUNDER_OFFICER and o}


def coordinates(user, municipality: Municipality | int | None) -> bool:
    mid = getattr(municipality, "pk", municipality)
    return mid is not None and mid in coordinated_municipality_ids(user)


def speaks_for(user, organisation: Organisation | int | None) -> bool:
    oid = getattr(organisation, "pk", organisation)
    return oid is not None and oid in contact_organisation_ids(user)


@rule("network.secretariat")
def _secretariat(user, obj=None) -> bool:
    return is_secretariat(user)


@rule("core.require_two_factor")
def _require_two_factor(user, obj=None) -> bool:
    """The secretariat and funder officers sign in with a second step (TOTP)."""
    return is_secretariat(user) or bool(funder_organisation_ids(user))


@rule("core.view_audit")
def _view_audit(user, obj=None) -> bool:
    return is_secretariat(user)


@rule("core.manage_mail")
def _manage_mail(user, obj=None) -> bool:
    """The secretariat sees the mail still owed and sends it again."""
    return is_secretariat(user)


@rule("core.erase_account")
def _erase_account(user, account=None) -> bool:
    """The secretariat erases other people's accounts (everyone may erase their own)."""
    return is_secretariat(user)


@rule("network.manage_municipality")
def manage_municipality(user, municipality: Municipality) -> bool:
    return is_secretariat(user) or coordinates(user, municipality)


@rule("network.apply_for_city")
def apply_for_city(user, municipality: Municipality | None = None) -> bool:
    """Any signed-in person may apply for a city of the registry, as anyone may for an
    organisation: the council's decision, attached as a PDF, is what the secretariat checks,
    and approval makes the applicant the city's coordinator."""
    return bool(getattr(user, "is_authenticated", False))


@rule("network.apply_for_organisation")
def apply_for_organisation(user, organisation: Organisation | None) -> bool:
    if organisation is None:
        return True  # any member may register a new organisation and apply for it
    return speaks_for(user, organisation) or is_secretariat(user)


@rule("network.manage_organisation")
def manage_organisation(user, organisation: Organisation) -> bool:
    return is_secretariat(user) or speaks_for(user, organisation)


@rule("network.view_application")
def view_application(user, application: MembershipApplication) -> bool:
    return (
        is_secretariat(user)
        or application.submitted_by_id == user.pk
        or coordinates(user, application.municipality_id)
        or speaks_for(user, application.organisation_id)
    )


@rule("network.decide_application")
def decide_application(user, application: MembershipApplication | None = None) -> bool:
    return is_secretariat(user)


@rule("network.withdraw_application")
def withdraw_application(user, application: MembershipApplication) -> bool:
    return view_application(user, application)


@rule("network.end_membership")
def end_membership(user, membership: Membership) -> bool:
    if is_secretariat(user):
        return True
    if membership.kind == "city":
        return coordinates(user, membership.municipality_id)
    if membership.kind == "organisation":
        return speaks_for(user, membership.organisation_id)
    return membership.person.user_id == user.pk if membership.person_id else False
