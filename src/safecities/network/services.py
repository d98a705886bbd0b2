"""Every write to the network: one function per business action, atomic and audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core import audit, outbox
from safecities.core.errors import DomainError, InvalidInput
from safecities.core.permissions import ensure
from safecities.core.text import unique_slug

from . import hooks, states, validators
from .documents import check_pdf
from .models import (
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
PERSON_FIELDS = [
    "full_name",
    "email",
    "phone",
    "title",
    "organisation",
    "municipality",
    "expertise",
    "languages",
    "listed_publicly",
]
ORGANISATION_FIELDS = [
    "name",
    "type",
    "country",
    "municipality",
    "org_id_scheme",
    "org_id_number",
    "website",
    "description",
]


class AlreadyMember(DomainError):
    status = 409


class ApplicationPending(DomainError):
    status = 409


def _today() -> date:
    return timezone.localdate()


def _check_not_member(kind: str, member) -> None:
    field = MEMBER_FIELD[kind]
    if Membership.objects.filter(status=Membership.Status.ACTIVE, **{field: member}).exists():
        raise AlreadyMember(
            _("%(member)s is already an active member of the network.") % {"member": member},
            field=field,
        )
    if MembershipApplication.objects.filter(
        status=MembershipApplication.Status.SUBMITTED, **{field: member}
    ).exists():
        raise ApplicationPending(
            _("An application for %(member)s is already awaiting a decision.") % {"member": member},
            field=field,
        )


def _create_application(*, actor, kind: str, member, **fields) -> MembershipApplication:
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


def _contact_fields(contact_name: str, contact_email: str, contact_phone: str, motivation: str):
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
    actor,
    municipality: Municipality,
    case_number: str,
    decision_date: date,
    decision_document,
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


def _validated_organisation(organisation: Organisation) -> Organisation:
    try:
        # The one-number-per-register constraint is left to the database, see _save_organisation.
        organisation.full_clean(exclude=["slug"], validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from exc
    return organisation


def _save_organisation(organisation: Organisation) -> None:
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        raise InvalidInput(
            _("An organisation with the number %(id)s is already registered.")
            % {"id": organisation.org_id},
            field="org_id_number",
        ) from exc


@transaction.atomic
def register_organisation(*, actor, **fields) -> Organisation:
    """Record a new organisation (not yet a member). A number given without its register is
    taken to be in the national register of the organisation's country."""
    organisation = Organisation(**fields)
    if organisation.org_id_number and not organisation.org_id_scheme and organisation.country_id:
        organisation.org_id_scheme = validators.SCHEME_FOR_COUNTRY.get(
            organisation.country.code, ""
        )
    organisation.slug = unique_slug(Organisation, organisation.name)
    _validated_organisation(organisation)
    _save_organisation(organisation)
    audit.record(
        actor=actor,
        action="network.organisation.create",
        target=organisation,
        changes=audit.created(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, **fields) -> Organisation:
    ensure(actor, "network.manage_organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _validated_organisation(organisation)
    _save_organisation(organisation)
    changes = audit.changes_between(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        audit.record(
            actor=actor, action="network.organisation.update", target=organisation, changes=changes
        )
    return organisation


@transaction.atomic
def submit_organisation_application(
    *,
    actor,
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
    actor,
    contact_name: str,
    contact_email: str,
    motivation: str,
    contact_phone: str = "",
    **organisation_fields,
) -> MembershipApplication:
    """Register an organisation and apply for it in one step: both happen, or neither.

    Whoever registers it may apply for it; approval makes them its contact.
    """
    ensure(actor, "network.apply_for_organisation", None, field="organisation")
    contact = _contact_fields(contact_name, contact_email, contact_phone, motivation)
    organisation = register_organisation(actor=actor, **organisation_fields)
    return _create_application(
        actor=actor, kind=MemberKind.ORGANISATION, member=organisation, **contact
    )


def person_for(user) -> Person | None:
    return Person.objects.filter(user=user).first()


@transaction.atomic
def save_profile(*, actor, **fields) -> Person:
    """Create or update the signed-in member's own profile; consent is timestamped."""
    person = Person.objects.select_for_update().filter(user=actor).first()
    created = person is None
    if created:
        person = Person(user=actor, full_name=actor.full_name, email=actor.email)
    before = audit.snapshot(person, PERSON_FIELDS) if not created else {}
    for name, value in fields.items():
        setattr(person, name, value)
    if not (person.full_name or "").strip():
        raise InvalidInput(_("Give your name."), field="full_name")
    if person.listed_publicly and not person.consent_given_at:
        person.consent_given_at = timezone.now()
    if not person.listed_publicly:
        person.consent_given_at = None
    person.save()
    after = audit.snapshot(person, PERSON_FIELDS)
    changes = audit.changes_between(before, after)
    if changes:
        audit.record(
            actor=actor,
            action="network.person.create" if created else "network.person.update",
            target=person,
            changes=changes,
        )
    return person


@transaction.atomic
def submit_individual_application(
    *, actor, motivation: str, contact_phone: str = "", **profile
) -> MembershipApplication:
    person = save_profile(actor=actor, **profile)
    return _create_application(
        actor=actor,
        kind=MemberKind.INDIVIDUAL,
        member=person,
        **_contact_fields(person.full_name, person.email or actor.email, contact_phone, motivation),
    )


def _locked(application: MembershipApplication) -> MembershipApplication:
    return MembershipApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def approve_application(*, actor, application: MembershipApplication) -> Membership:
    """Approval makes the membership active; apps above record the charter endorsement."""
    ensure(actor, "network.decide_application", application)
    application = _locked(application)
    states.APPLICATION.move(application, MembershipApplication.Status.APPROVED)
    member = application.applicant
    field = MEMBER_FIELD[application.kind]
    if Membership.objects.filter(status=Membership.Status.ACTIVE, **{field: member}).exists():
        raise AlreadyMember(
            _("%(member)s is already an active member of the network.") % {"member": member},
            field=field,
        )
    membership = Membership.objects.create(
        kind=application.kind, started_on=_today(), **{field: member}
    )
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.membership = membership
    application.save(update_fields=["status", "decided_by", "decided_at", "membership"])
    if application.kind == MemberKind.ORGANISATION and application.submitted_by_id:
        RoleAssignment.objects.get_or_create(
            user_id=application.submitted_by_id,
            role=Role.ORGANISATION_CONTACT,
            organisation=application.organisation,
        )
    if application.kind == MemberKind.INDIVIDUAL and application.submitted_by_id:
        RoleAssignment.objects.get_or_create(user_id=application.submitted_by_id, role=Role.MEMBER)
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
    *, actor, application: MembershipApplication, reason: str
) -> MembershipApplication:
    ensure(actor, "network.decide_application", application)
    if not (reason or "").strip():
        raise InvalidInput(_("Give the applicant a reason for declining."), field="reason")
    application = _locked(application)
    states.APPLICATION.move(application, MembershipApplication.Status.DECLINED)
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        actor=actor,
        action="network.application.decline",
        target=application,
        changes={
            "status": [MembershipApplication.Status.SUBMITTED, application.status],
            "decision_reason": [None, application.decision_reason],
        },
    )
    outbox.owe("network.application_decided", application.pk)
    return application


@transaction.atomic
def withdraw_application(*, actor, application: MembershipApplication) -> MembershipApplication:
    ensure(actor, "network.withdraw_application", application)
    application = _locked(application)
    states.APPLICATION.move(application, MembershipApplication.Status.WITHDRAWN)
    application.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="network.application.withdraw",
        target=application,
        changes={"status": [MembershipApplication.Status.SUBMITTED, application.status]},
    )
    return application


@transaction.atomic
def end_membership(*, actor, membership: Membership, reason: str) -> Membership:
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


# Roles that act for one city or organisation (plain strings: enum members hash by name).
SCOPED_ROLES = {
    "coordinator": "municipality",
    "organisation_contact": "organisation",
    "funder_officer": "organisation",
}


@transaction.atomic
def assign_role(*, actor, user, role: str, municipality=None, organisation=None) -> RoleAssignment:
    """The secretariat gives a user a role, scoped to a city or organisation where it needs one."""
    ensure(actor, "network.secretariat")
    if role not in Role.values:
        raise InvalidInput(_("Choose a role."), field="role")
    needed = SCOPED_ROLES.get(str(role))
    if needed == "municipality" and municipality is None:
        raise InvalidInput(_("A city coordinator needs a city."), field="municipality")
    if needed == "organisation" and organisation is None:
        raise InvalidInput(_("This role needs an organisation."), field="organisation")
    if needed != "municipality":
        municipality = None
    if needed != "organisation" and role != Role.SECRETARIAT:
        organisation = None
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, municipality=municipality, organisation=organisation
    )
    if created:
        audit.record(
            actor=actor,
            action="network.role.assign",
            target=assignment,
            changes={"user": [None, str(user)], "role": [None, role]},
        )
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    ensure(actor, "network.secretariat")
    if (
        assignment.role == Role.SECRETARIAT
        and RoleAssignment.objects.filter(role=Role.SECRETARIAT).count() <= 1
    ):
        raise InvalidInput(
            _("This is the last secretariat role; the network would have nobody to run it."),
            field="role",
        )
    audit.record(
        actor=actor,
        action="network.role.revoke",
        target=assignment,
        changes={"user": [str(assignment.user), None], "role": [assignment.role, None]},
    )
    assignment.delete()
