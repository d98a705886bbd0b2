"""The network's part of a member's personal data (see `safecities.core.personal_data`).

The Person row is blanked, not deleted: an individual membership and its application refer to
it, and they are the network's records. Contact data on membership applications that equals the
person's name, e-mail address or phone is blanked; an individual's own motivation is blanked.
Role assignments are removed. The last active secretariat account may not be erased.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from safecities.core.personal_data import Section, register

from .models import Membership, MembershipApplication, Person, Role, RoleAssignment
from .services.directory import refresh_directory_keys

PERSON_FIELDS = ("full_name", "email", "phone", "title", "expertise")
# What in an individual's own membership application is theirs (its decision is the network's).
APPLICATION_FIELDS = ("contact_name", "contact_email", "contact_phone", "motivation")


def _person(user) -> Person | None:
    return Person.objects.filter(user=user).first()


def _identifiers(user) -> list[str]:
    person = _person(user)
    return [person.full_name, person.email, person.phone] if person else []


def _application(application: MembershipApplication) -> dict:
    return {
        "kind": application.kind,
        "applicant": str(application.applicant),
        "status": application.status,
        "submitted_at": application.submitted_at.isoformat(),
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "motivation": application.motivation,
    }


def _applications_of(user, person):
    query = Q(submitted_by=user)
    if person:
        query |= Q(person=person)
    return MembershipApplication.objects.filter(query).select_related(
        "municipality", "organisation", "person"
    )


def export(user) -> dict:
    person = _person(user)
    return {
        "profile": (
            {
                **{name: getattr(person, name) for name in PERSON_FIELDS},
                "organisation": str(person.organisation or ""),
                "municipality": str(person.municipality or ""),
                "languages": person.languages,
                "listed_publicly": person.listed_publicly,
                "consent_given_at": (
                    person.consent_given_at.isoformat() if person.consent_given_at else None
                ),
            }
            if person
            else None
        ),
        "roles": [
            str(assignment)
            for assignment in user.role_assignments.select_related("municipality", "organisation")
        ],
        "memberships": [
            {
                "status": membership.status,
                "started_on": membership.started_on.isoformat(),
                "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
            }
            for membership in (person.memberships.all() if person else [])
        ],
        "membership_applications": [
            _application(application) for application in _applications_of(user, person)
        ],
    }


def erase(user, context) -> None:
    person = _person(user)
    context.count("roles", RoleAssignment.objects.filter(user=user).delete()[0])
    applications = _applications_of(user, person)
    if context.identifiers:
        contact = Q(pk__in=[])
        for identifier in context.identifiers:
            contact |= (
                Q(contact_name__iexact=identifier)
                | Q(contact_email__iexact=identifier)
                | Q(contact_phone=identifier)
            )
        applications = applications | MembershipApplication.objects.filter(contact)
    for application in applications.distinct():
        fields = []
        if context.matches(application.contact_name) or context.matches(application.contact_email):
            application.contact_name = application.contact_email = ""
            application.contact_phone = ""
            fields += ["contact_name", "contact_email", "contact_phone"]
        elif context.matches(application.contact_phone):
            application.contact_phone = ""
            fields.append("contact_phone")
        if person and application.person_id == person.pk and application.motivation:
            application.motivation = ""
            fields.append("motivation")
        if fields:
            application.save(update_fields=fields)
            context.count("membership_applications", 1)
    context.count(
        "membership_applications",
        context.scrub_text(MembershipApplication, "motivation", "decision_reason"),
    )
    if person:
        # Every field of the profile and of the person's own applications, in the audit trail
        # too (title and expertise name no one, but are theirs).
        own = MembershipApplication.objects.filter(person=person).values_list("pk", flat=True)
        context.count("audit_events", context.erase_audit_of(Person, [person.pk]))
        context.count(
            "audit_events",
            context.erase_audit_of(MembershipApplication, own, APPLICATION_FIELDS),
        )
        for name in PERSON_FIELDS:
            setattr(person, name, "")
        person.organisation = person.municipality = None
        person.languages = []
        person.listed_publicly = False
        person.consent_given_at = None
        person.save()
        # The blank name leaves the directory's key too (it lists the person no more).
        refresh_directory_keys(Membership.objects.filter(person=person))
        context.count("profile", 1)


def _other_secretariat_exists(user) -> bool:
    from safecities.core.models import User

    return (
        User.objects.filter(is_active=True, erased_at__isnull=True)
        .exclude(pk=user.pk)
        .filter(Q(is_superuser=True) | Q(role_assignments__role=Role.SECRETARIAT))
        .exists()
    )


def refuse(user) -> str | None:
    from .permissions import is_secretariat

    if is_secretariat(user) and not _other_secretariat_exists(user):
        return _(
            "This is the last secretariat account; the network would have nobody to run it. "
            "Give someone else the secretariat role first."
        )
    return None


def register_section() -> None:
    register(
        Section(
            name="network",
            export=export,
            erase=erase,
            identifiers=_identifiers,
            refuse=refuse,
            order=-10,
        )
    )
