"""Every write to the network: one function per business action, atomic and audited, in one
module per concern (membership applications and memberships, organisations, members' profiles,
roles)."""

from safecities.core.errors import DomainError, InvalidInput
from safecities.core.inputs import UNCHANGED

from .applications import (
    APPLICATION_FIELDS,
    AlreadyMember,
    ApplicationPending,
    apply_for_new_organisation,
    approve_application,
    decline_application,
    end_membership,
    role_on_approval,
    submit_city_application,
    submit_individual_application,
    submit_organisation_application,
    withdraw_application,
)
from .municipalities import (
    MUNICIPALITY_FIELDS,
    NAME_LANGUAGES,
    add_municipality,
    rename_municipality,
)
from .organisations import ORGANISATION_FIELDS, register_organisation, update_organisation
from .people import PERSON_FIELDS, save_profile
from .roles import SCOPED_ROLES, assign_role, revoke_role
from .setup import load_register, save_country, save_national_programme

__all__ = [
    "APPLICATION_FIELDS",
    "MUNICIPALITY_FIELDS",
    "NAME_LANGUAGES",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "SCOPED_ROLES",
    "UNCHANGED",
    "AlreadyMember",
    "ApplicationPending",
    "DomainError",
    "InvalidInput",
    "add_municipality",
    "apply_for_new_organisation",
    "approve_application",
    "assign_role",
    "decline_application",
    "end_membership",
    "load_register",
    "register_organisation",
    "rename_municipality",
    "revoke_role",
    "role_on_approval",
    "save_country",
    "save_national_programme",
    "save_profile",
    "submit_city_application",
    "submit_individual_application",
    "submit_organisation_application",
    "update_organisation",
    "withdraw_application",
]
