"""Membership: applications (city, organisation, individual), the secretariat's decision, and the end of a membership."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.inputs import UNCHANGED, Maybe
from safecities.core.permissions import ensure
from safecities.core.states import decline_with_reason, move_recorded

from .. import hooks, states, validators
from ..documents import check_pdf
from ..models import (
    MEMBER_FIELD,
    MemberKind,
    Membership,
    MembershipApplication,
    Municipality,
    Organisation,
    Person,
    Role,
    RoleAssignment,
)

if TYPE_CHECKING:
    from django.core.files import File

    from safecities.core.models import User

    from ..models import Country

from .directory import KEY_FIELDS, refresh_directory_keys
from .organisations import register_organisation
from .people import save_profile

APPLICATION_FIELDS = [
    "kind",
    "municipality",
    "organisation",
    "person",
    "case_number",
    "decision_date",
    "decision_document",
    "contact_name",
    "contact_email",
    "contact_phone",
    "motivation",
    "status",
]


class AlreadyMember(DomainError):
    status = 409


class ApplicationPending(DomainError):
    status = 409


def _today() -> date:
    return timezone.localdate()


def _refuse_if_member(kind: str, member: Municipality | Organisation | Person) -> None:
    field = MEMBER_FIELD[kind]
    if Membership.objects.active().filter(**{field: member}).exists():
        raise AlreadyMember(
            _("%(member)s is already an active member of the network.") % {"member": member},
            field=field,
        )


def _check_not_member(kind: str, member: Municipality | Organisation | Person) -> None:
    field = MEMBER_FIELD[kind]
    _refuse_if_member(kind, member)
    if MembershipApplication.objects.filter(
        status=MembershipApplication.Status.SUBMITTED, **{field: member}
    ).exists():
        raise ApplicationPending(
            _("An application for %(member)s is already awaiting a decision.") % {"member": member},
            field=field,
        )


def _create_application(
    *, actor: User, kind: str, member: Municipality | Organisation | Person, **fields: Any
) -> MembershipApplication:
    _check_not_member(kind, member)
    application = MembershipApplication(
        kind=kind,
        submitted_by=actor,
        submitted_at=timezone.now(),
        **{MEMBER_FIELD[kind]: member},
        **fields,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent application got there first
        raise ApplicationPending(
            _("An application for %(member)s is already awaiting a decision.") % {"member": member},
            field=MEMBER_FIELD[kind],
        ) from exc
    audit.record(
        actor=actor,
        action="network.application.submit",
        target=application,
        changes=audit.created(application, APPLICATION_FIELDS),
    )
    outbox.owe("network.application_received", application.pk)
    return application


class Contact(TypedDict):
    contact_name: str
    contact_email: str
    contact_phone: str
    motivation: str


def _contact_fields(
    contact_name: str, contact_email: str, contact_phone: str, motivation: str
) -> Contact:
    if not (contact_name or "").strip():
        raise InvalidInput(_("Name the contact person."), field="contact_name")
    if not (contact_email or "").strip():
        raise InvalidInput(_("Give the contact person's e-mail address."), field="contact_email")
    if not (motivation or "").strip():
        raise InvalidInput(_("Say briefly why you want to join."), field="motivation")
    return {
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip().lower(),
        "contact_phone": (contact_phone or "").strip(),
        "motivation": motivation.strip(),
    }


@transaction.atomic
def submit_city_application(
    *,
    actor: User,
    municipality: Municipality,
    case_number: str,
    decision_date: date | None,
    decision_document: File | None,
    contact_name: str,
    contact_email: str,
    motivation: str,
    contact_phone: str = "",
) -> MembershipApplication:
    """A city applies after a council decision: case number, date and the decision as a PDF."""
    ensure(actor, "network.apply_for_city", municipality, field="municipality")
    try:
        case_number = validators.validate_case_number(case_number)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field="case_number") from exc
    if decision_date is None:
        raise InvalidInput(_("Give the date of the council decision."), field="decision_date")
    if decision_date > _today():
        raise InvalidInput(
            _("The decision date %(date)s is in the future.") % {"date": decision_date},
            field="decision_date",
        )
    if not decision_document:
        raise InvalidInput(_("Attach the council decision as a PDF."), field="decision_document")
    check_pdf(decision_document)
    application = _create_application(
        actor=actor,
        kind=MemberKind.CITY,
        member=municipality,
        case_number=case_number,
        decision_date=decision_date,
        decision_document=decision_document,
        **_contact_fields(contact_name, contact_email, contact_phone, motivation),
    )
    return application


@transaction.atomic
def submit_organisation_application(
    *,
    actor: User,
    organisation: Organisation,
    contact_name: str,
    contact_email: str,
    motivation: str,
    contact_phone: str = "",
) -> MembershipApplication:
    ensure(actor, "network.apply_for_organisation", organisation, field="organisation")
    return _create_application(
        actor=actor,
        kind=MemberKind.ORGANISATION,
        member=organisation,
        **_contact_fields(contact_name, contact_email, contact_phone, motivation),
    )


@transaction.atomic
def apply_for_new_organisation(
    *,
    actor: User,
    contact_name: str,
    contact_email: str,
    motivation: str,
    name: str,
    contact_phone: str = "",
    type: str = "",  # noqa: A002 - the model's field
    country: Country | None = None,
    municipality: Municipality | None = None,
    org_id_scheme: str = "",
    org_id_number: str = "",
    website: str = "",
    description: str = "",
) -> MembershipApplication:
    """Register an organisation and apply for it in one step: both happen, or neither.

    Whoever registers it may apply for it; approval makes them its contact.
    """
    ensure(actor, "network.apply_for_organisation", None, field="organisation")
    contact = _contact_fields(contact_name, contact_email, contact_phone, motivation)
    organisation = register_organisation(
        actor=actor,
        name=name,
        type=type,
        country=country,
        municipality=municipality,
        org_id_scheme=org_id_scheme,
        org_id_number=org_id_number,
        website=website,
        description=description,
    )
    return _create_application(
        actor=actor, kind=MemberKind.ORGANISATION, member=organisation, **contact
    )


@transaction.atomic
def submit_individual_application(
    *,
    actor: User,
    motivation: str,
    contact_phone: str = "",
    full_name: Maybe[str] = UNCHANGED,
    email: Maybe[str] = UNCHANGED,
    phone: Maybe[str] = UNCHANGED,
    title: Maybe[str] = UNCHANGED,
    organisation: Maybe[Organisation | None] = UNCHANGED,
    municipality: Maybe[Municipality | None] = UNCHANGED,
    expertise: Maybe[str] = UNCHANGED,
    languages: Maybe[list[str]] = UNCHANGED,
    listed_publicly: Maybe[bool] = UNCHANGED,
) -> MembershipApplication:
    """A person applies as an individual member: their profile is saved (arguments left out
    stay as they were) and the application names them."""
    person = save_profile(
        actor=actor,
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        organisation=organisation,
        municipality=municipality,
        expertise=expertise,
        languages=languages,
        listed_publicly=listed_publicly,
    )
    return _create_application(
        actor=actor,
        kind=MemberKind.INDIVIDUAL,
        member=person,
        **_contact_fields(person.full_name, person.email or actor.email, contact_phone, motivation),
    )


def _locked(application: MembershipApplication) -> MembershipApplication:
    return MembershipApplication.objects.select_for_update().get(pk=application.pk)


# The role the person who applied holds once the membership is approved: they then act for
# the city or organisation they applied for.
ROLE_ON_APPROVAL: dict[str, str] = {
    MemberKind.CITY: Role.COORDINATOR,
    MemberKind.ORGANISATION: Role.ORGANISATION_CONTACT,
    MemberKind.INDIVIDUAL: Role.MEMBER,
}


def role_on_approval(application: MembershipApplication) -> str:
    """The name of the role approval gives the applicant, to say so before approving."""
    return str(Role(ROLE_ON_APPROVAL[application.kind]).label)


@transaction.atomic
def approve_application(*, actor: User, application: MembershipApplication) -> Membership:
    """Approval makes the membership active; apps above record the charter endorsement."""
    ensure(actor, "network.decide_application", application)
    application = _locked(application)
    states.APPLICATION.move(application, MembershipApplication.Status.APPROVED)
    member = application.applicant
    field = MEMBER_FIELD[application.kind]
    _refuse_if_member(application.kind, member)
    membership = Membership.objects.create(
        kind=application.kind, started_on=_today(), **{field: member}
    )
    refresh_directory_keys(Membership.objects.filter(pk=membership.pk))
    membership.refresh_from_db(fields=KEY_FIELDS)
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.membership = membership
    application.save(update_fields=["status", "decided_by", "decided_at", "membership"])
    role = ROLE_ON_APPROVAL[application.kind]
    if application.submitted_by_id:
        RoleAssignment.objects.get_or_create(
            user_id=application.submitted_by_id,
            role=role,
            municipality=application.municipality if role == Role.COORDINATOR else None,
            organisation=application.organisation if role == Role.ORGANISATION_CONTACT else None,
        )
    hooks.membership_approved(membership=membership, actor=actor)
    audit.record(
        actor=actor,
        action="network.application.approve",
        target=application,
        changes={"status": [MembershipApplication.Status.SUBMITTED, application.status]},
    )
    audit.record(
        actor=actor,
        action="network.membership.start",
        target=membership,
        changes=audit.created(membership, ["kind", "status", "started_on"]),
    )
    outbox.owe("network.application_decided", application.pk)
    return membership


@transaction.atomic
def decline_application(
    *, actor: User, application: MembershipApplication, reason: str
) -> MembershipApplication:
    """Decline an application awaiting decision, telling the applicant why."""
    ensure(actor, "network.decide_application", application)
    application = decline_with_reason(
        _locked(application),
        workflow=states.APPLICATION,
        to=MembershipApplication.Status.DECLINED,
        actor=actor,
        reason=reason,
        action="network.application.decline",
    )
    outbox.owe("network.application_decided", application.pk)
    return application


@transaction.atomic
def withdraw_application(
    *, actor: User, application: MembershipApplication
) -> MembershipApplication:
    ensure(actor, "network.withdraw_application", application)
    application = _locked(application)
    move_recorded(
        application,
        workflow=states.APPLICATION,
        to=MembershipApplication.Status.WITHDRAWN,
        actor=actor,
        action="network.application.withdraw",
    )
    return application


@transaction.atomic
def end_membership(*, actor: User, membership: Membership, reason: str) -> Membership:
    """Withdrawal ends a membership; the row and its history stay."""
    ensure(actor, "network.end_membership", membership)
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the membership ends."), field="reason")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    states.MEMBERSHIP.move(membership, Membership.Status.ENDED)
    membership.ended_on = _today()
    membership.end_reason = reason.strip()
    membership.save(update_fields=["status", "ended_on", "end_reason"])
    audit.record(
        actor=actor,
        action="network.membership.end",
        target=membership,
        changes={
            "status": [Membership.Status.ACTIVE, membership.status],
            "ended_on": [None, membership.ended_on.isoformat()],
            "end_reason": [None, membership.end_reason],
        },
    )
    return membership
