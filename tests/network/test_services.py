"""The membership workflows through the services, the way pages and the API call them."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecities.charter.models import Endorsement
from safecities.core.errors import DomainError, NotAllowed
from safecities.core.models import AuditEvent
from safecities.demo.pdf import simple_pdf
from safecities.network import services
from safecities.network.documents import InvalidDocument
from safecities.network.models import (
    Membership,
    MembershipApplication,
    Organisation,
    OrganisationType,
    Person,
    Role,
    RoleAssignment,
)
from safecities.network.states import InvalidTransition
from tests.core.factories import UserFactory
from tests.network.factories import (
    CountryFactory,
    submit_city,
    submit_organisation,
)
from tests.utils import stored_files, unchanged

TEN_MB = 10 * 1024 * 1024


def oversized_pdf() -> SimpleUploadedFile:
    """A well-formed PDF just over the 10 MB limit."""
    content = simple_pdf(["Vedtak " + "x" * 1000] * 10_600)
    assert len(content) > TEN_MB
    return SimpleUploadedFile("big.pdf", content, "application/pdf")


def damaged_pdf() -> SimpleUploadedFile:
    content = simple_pdf(["Bystyret"])
    return SimpleUploadedFile("damaged.pdf", content[:40] + b"\x00garbage" * 20, "application/pdf")


def not_a_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "decision.pdf", b"PK\x03\x04 a zip file, not a PDF", "application/pdf"
    )


# --- submitting a city application --------------------------------------------------------


def test_a_coordinator_applies_for_their_city(
    demo, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_city(
            actor=coordinator, municipality=demo.drammen, case_number="  Sak  2024/123 "
        )

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.kind == "city"
    assert application.municipality == demo.drammen
    assert application.submitted_by == coordinator
    assert application.case_number == "Sak 2024/123"
    assert application.decision_date == date(2024, 3, 14)
    assert application.decision_document.name in stored_files()
    assert application.decision_document.read().startswith(b"%PDF-")
    event = AuditEvent.objects.get(
        action="network.application.submit", target_id=str(application.pk)
    )
    assert event.actor == coordinator
    assert event.changes["case_number"] == [None, "Sak 2024/123"]
    assert event.changes["municipality"] == [None, "Drammen"]
    assert event.changes["status"] == [None, "submitted"]
    assert [m.to for m in mailoutbox] == [["kari@example.net"]]


def test_the_secretariat_may_apply_for_any_city(demo, secretariat):
    application = submit_city(actor=secretariat, municipality=demo.drammen)
    assert application.pk


@pytest.mark.parametrize(
    ("make_overrides", "field", "error"),
    [
        (lambda: {"case_number": "the decision of last spring"}, "case_number", "case number"),
        (lambda: {"case_number": ""}, "case_number", "case number"),
        (lambda: {"decision_date": None}, "decision_date", "date"),
        (lambda: {"decision_document": None}, "decision_document", "PDF"),
        (lambda: {"decision_document": not_a_pdf()}, "decision_document", "is not a PDF"),
        (lambda: {"decision_document": damaged_pdf()}, "decision_document", "damaged"),
        (lambda: {"decision_document": oversized_pdf()}, "decision_document", "the limit is 10 MB"),
        (lambda: {"contact_name": " "}, "contact_name", "contact person"),
        (lambda: {"contact_email": ""}, "contact_email", "e-mail"),
        (lambda: {"motivation": ""}, "motivation", "why"),
    ],
    ids=[
        "prose-case-number",
        "no-case-number",
        "no-date",
        "no-document",
        "not-a-pdf",
        "damaged-pdf",
        "pdf-over-10-mb",
        "no-contact",
        "no-email",
        "no-motivation",
    ],
)
def test_bad_city_applications_are_refused_naming_the_field(
    demo, coordinator, make_overrides, field, error, mailoutbox, django_capture_on_commit_callbacks
):
    overrides = make_overrides()
    with (
        unchanged(),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError) as exc,
    ):
        submit_city(actor=coordinator, municipality=demo.drammen, **overrides)
    assert exc.value.field == field
    assert error in exc.value.message
    assert mailoutbox == []


def test_a_decision_dated_in_the_future_is_refused(demo, coordinator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with unchanged(), pytest.raises(DomainError) as exc:
        submit_city(actor=coordinator, municipality=demo.drammen, decision_date=tomorrow)
    assert exc.value.field == "decision_date"
    assert "in the future" in exc.value.message


def test_a_decision_dated_today_is_accepted(demo, coordinator):
    application = submit_city(
        actor=coordinator, municipality=demo.drammen, decision_date=timezone.localdate()
    )
    assert application.decision_date == timezone.localdate()


def test_document_errors_are_their_own_error_class(demo, coordinator):
    with pytest.raises(InvalidDocument):
        submit_city(actor=coordinator, municipality=demo.drammen, decision_document=not_a_pdf())


def test_a_city_that_is_a_member_cannot_be_applied_for_by_anyone(demo, coordinator):
    with unchanged(), pytest.raises(services.AlreadyMember) as exc:
        submit_city(actor=coordinator, municipality=demo.stockholm)
    assert exc.value.field == "municipality"
    assert exc.value.status == 409


@pytest.mark.parametrize("role", ["member", "organisation_contact", "reviewer", "funder_officer"])
def test_any_signed_in_person_may_apply_for_a_city_and_coordinates_it_once_approved(
    demo, role, secretariat
):
    applicant = demo.users[role]
    application = submit_city(actor=applicant, municipality=demo.drammen)
    assert not RoleAssignment.objects.filter(user=applicant, municipality=demo.drammen).exists()
    services.approve_application(actor=secretariat, application=application)
    assert RoleAssignment.objects.filter(
        user=applicant, role=Role.COORDINATOR, municipality=demo.drammen
    ).exists()
    assert services.role_on_approval(application) == "City coordinator"


def test_nobody_signed_out_may_apply_for_a_city(demo):
    with unchanged(), pytest.raises(NotAllowed):
        submit_city(actor=AnonymousUser(), municipality=demo.drammen)


def test_an_active_member_city_may_not_apply_again(demo, coordinator):
    with unchanged(), pytest.raises(services.AlreadyMember) as exc:
        submit_city(actor=coordinator, municipality=demo.oslo)
    assert exc.value.field == "municipality"
    assert "already an active member" in exc.value.message
    assert exc.value.status == 409


def test_a_second_pending_application_is_refused(demo, coordinator):
    submit_city(actor=coordinator, municipality=demo.drammen)
    with unchanged(), pytest.raises(services.ApplicationPending) as exc:
        submit_city(actor=coordinator, municipality=demo.drammen, case_number="KS 2024/124")
    assert exc.value.field == "municipality"
    assert "already awaiting a decision" in exc.value.message


def test_a_new_application_is_possible_after_a_decline(demo, coordinator, secretariat):
    first = submit_city(actor=coordinator, municipality=demo.drammen)
    services.decline_application(actor=secretariat, application=first, reason="Wrong document.")
    second = submit_city(actor=coordinator, municipality=demo.drammen, case_number="KS 2024/200")
    assert second.status == MembershipApplication.Status.SUBMITTED


# --- organisations -----------------------------------------------------------------------

# (country, register, a number with a wrong check digit)
BAD_ORG_NUMBERS = [
    ("NO", "NO-BRC", "974760674"),
    ("SE", "SE-ON", "5567037486"),
    ("DK", "DK-CVR", "13585627"),
    ("FI", "FI-PRO", "0112038-8"),
    ("IS", "IS-KEN", "6503760659"),
]


@pytest.mark.parametrize(("country", "scheme", "number"), BAD_ORG_NUMBERS)
def test_registering_an_organisation_with_a_bad_check_digit_is_refused(
    demo, member, country, scheme, number
):
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.register_organisation(
            actor=member,
            name="Trygg ungdom",
            type=OrganisationType.CSO,
            country=CountryFactory(code=country),
            org_id_scheme=scheme,
            org_id_number=number,
        )
    assert exc.value.field == "org_id_number"
    assert "check digit" in exc.value.message


def test_registering_an_organisation_normalises_its_number_and_audits(demo, member):
    organisation = services.register_organisation(
        actor=member,
        name="Trygg ungdom Bærum",
        type=OrganisationType.CSO,
        country=CountryFactory(code="NO"),
        org_id_scheme="NO-BRC",
        org_id_number="974 760 673",
    )
    assert organisation.slug == "trygg-ungdom-baerum"
    assert organisation.org_id == "NO-BRC-974760673"
    event = AuditEvent.objects.get(action="network.organisation.create")
    assert event.changes["org_id_number"] == [None, "974760673"]
    assert event.changes["name"] == [None, "Trygg ungdom Bærum"]


def test_an_organisation_number_is_registered_once(demo, member):
    fields = {
        "type": OrganisationType.CSO,
        "country": CountryFactory(code="NO"),
        "org_id_scheme": "NO-BRC",
        "org_id_number": "974760673",
    }
    services.register_organisation(actor=member, name="First", **fields)
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.register_organisation(actor=member, name="Second", **fields)
    assert exc.value.field == "org_id_number"


def test_a_number_without_a_register_is_read_in_its_countrys_register(demo, member):
    organisation = services.register_organisation(
        actor=member,
        name="Nameless",
        type=OrganisationType.CSO,
        country=demo.oslo.country,
        org_id_number="974 760 673",
    )
    assert organisation.org_id == "NO-BRC-974760673"
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.register_organisation(
            actor=member,
            name="Bad digit",
            type=OrganisationType.CSO,
            country=demo.oslo.country,
            org_id_number="974760674",
        )
    assert exc.value.field == "org_id_number"


def test_a_number_without_a_register_is_refused_where_no_register_is_known(demo, member):
    germany = CountryFactory(code="DE")
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.register_organisation(
            actor=member,
            name="Nameless",
            type=OrganisationType.CSO,
            country=germany,
            org_id_number="974760673",
        )
    assert exc.value.field == "org_id_scheme"


def test_a_member_registers_a_new_organisation_and_applies_in_one_step(demo, member, secretariat):
    application = services.apply_for_new_organisation(
        actor=member,
        name="Trygg ungdom",
        type=OrganisationType.CSO,
        country=CountryFactory(code="NO"),
        org_id_scheme="NO-BRC",
        org_id_number="974760673",
        contact_name="Jón Jónsson",
        contact_email="jon@example.net",
        motivation="Dialogue groups.",
    )
    organisation = application.organisation
    assert organisation.org_id == "NO-BRC-974760673"
    assert application.submitted_by == member
    services.approve_application(actor=secretariat, application=application)
    assert Membership.objects.get(organisation=organisation).status == "active"
    # approval makes the applicant the organisation's contact
    assert RoleAssignment.objects.filter(
        user=member, role=Role.ORGANISATION_CONTACT, organisation=organisation
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"org_id_number": "974760674"}, "org_id_number"), ({"motivation": " "}, "motivation")],
)
def test_a_refused_new_organisation_is_not_registered(demo, member, overrides, field):
    fields = {
        "name": "Trygg ungdom",
        "type": OrganisationType.CSO,
        "country": CountryFactory(code="NO"),
        "org_id_scheme": "NO-BRC",
        "org_id_number": "974760673",
        "contact_name": "Jón Jónsson",
        "contact_email": "jon@example.net",
        "motivation": "Dialogue groups.",
    }
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.apply_for_new_organisation(actor=member, **{**fields, **overrides})
    assert exc.value.field == field


def test_a_contact_may_not_apply_for_an_organisation_they_do_not_speak_for(demo, contact):
    with unchanged(), pytest.raises(NotAllowed) as exc:
        submit_organisation(actor=contact, organisation=demo.trygge_nabolag)
    assert exc.value.field == "organisation"


def test_a_member_organisation_may_not_apply_again(demo, contact):
    with unchanged(), pytest.raises(services.AlreadyMember) as exc:
        submit_organisation(actor=contact, organisation=demo.nuorten_aani)
    assert exc.value.field == "organisation"


def test_updating_an_organisation_audits_the_changed_fields_only(demo, contact):
    services.update_organisation(
        actor=contact, organisation=demo.nuorten_aani, website="https://nuortenaani.example"
    )
    event = AuditEvent.objects.get(action="network.organisation.update")
    assert event.changes == {"website": ["", "https://nuortenaani.example"]}
    assert event.target_id == str(demo.nuorten_aani.pk)


def test_updating_an_organisation_with_a_bad_number_changes_nothing(demo, contact):
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.update_organisation(
            actor=contact, organisation=demo.nuorten_aani, org_id_number="0112038-8"
        )
    assert exc.value.field == "org_id_number"
    demo.nuorten_aani.refresh_from_db()
    assert demo.nuorten_aani.org_id_number != "0112038-8"


def test_a_contact_may_not_update_another_organisation(demo, contact):
    with unchanged(), pytest.raises(NotAllowed):
        services.update_organisation(actor=contact, organisation=demo.trygge_nabolag, name="X")
    assert Organisation.objects.get(pk=demo.trygge_nabolag.pk).name == "Trygge nabolag Skien"


# --- individuals ---------------------------------------------------------------------------


def test_an_individual_applies_with_their_profile(demo, secretariat):
    user = UserFactory(full_name="Siri Solberg", email="siri@example.net")
    application = services.submit_individual_application(
        actor=user, motivation="I run dialogue groups.", title="Teacher", listed_publicly=False
    )
    person = Person.objects.get(user=user)
    assert application.person == person
    assert application.contact_email == "siri@example.net"
    services.approve_application(actor=secretariat, application=application)
    assert RoleAssignment.objects.filter(user=user, role=Role.MEMBER).exists()


def test_saving_a_profile_records_consent_to_be_listed(demo, member):
    person = services.save_profile(actor=member, listed_publicly=False)
    assert person.consent_given_at is None
    person = services.save_profile(actor=member, listed_publicly=True)
    assert person.consent_given_at is not None
    event = AuditEvent.objects.filter(action="network.person.update").latest("id")
    assert event.changes == {"listed_publicly": [False, True]}


def test_a_profile_needs_a_name(demo, member):
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.save_profile(actor=member, full_name="  ")
    assert exc.value.field == "full_name"


# --- deciding ------------------------------------------------------------------------------


def test_approval_makes_an_active_membership_with_endorsement_audit_and_mail(
    demo, coordinator, secretariat, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://safecities.example/"
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        membership = services.approve_application(actor=secretariat, application=application)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.municipality == demo.drammen
    assert membership.started_on == timezone.localdate()
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.membership == membership
    assert application.decided_by == secretariat
    assert application.decided_at is not None
    endorsement = Endorsement.objects.get(membership=membership)
    assert endorsement.charter_version == demo.charter_version
    assert endorsement.endorsed_on == membership.started_on

    new_events = AuditEvent.objects.exclude(pk__in=before)
    by_action = {e.action: e for e in new_events}
    assert set(by_action) == {
        "network.application.approve",
        "network.membership.start",
        "charter.endorse",
    }
    assert by_action["network.application.approve"].changes == {"status": ["submitted", "approved"]}
    assert by_action["network.membership.start"].changes["status"] == [None, "active"]
    assert by_action["charter.endorse"].changes["charter_version"] == [None, "2016"]
    assert all(e.actor == secretariat for e in new_events)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert set(mail.to) == {"kari@example.net", coordinator.email}
    assert "Drammen" in mail.subject + mail.body
    # a link the reader can follow from their mail program
    assert f"https://safecities.example/membership/applications/{application.pk}/" in mail.body


@pytest.mark.parametrize("role", ["coordinator", "member", "organisation_contact", "reviewer"])
def test_only_the_secretariat_decides(demo, role, coordinator):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    with unchanged(), pytest.raises(NotAllowed):
        services.approve_application(actor=demo.users[role], application=application)
    with unchanged(), pytest.raises(NotAllowed):
        services.decline_application(actor=demo.users[role], application=application, reason="x")
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED


def test_a_decided_application_cannot_be_decided_again(demo, coordinator, secretariat):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    services.approve_application(actor=secretariat, application=application)
    with unchanged(), pytest.raises(InvalidTransition) as exc:
        services.approve_application(actor=secretariat, application=application)
    assert exc.value.status == 409
    with unchanged(), pytest.raises(InvalidTransition):
        services.decline_application(actor=secretariat, application=application, reason="No.")
    with unchanged(), pytest.raises(InvalidTransition):
        services.withdraw_application(actor=coordinator, application=application)


def test_declining_needs_a_reason(demo, coordinator, secretariat, mailoutbox):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.decline_application(actor=secretariat, application=application, reason="  ")
    assert exc.value.field == "reason"
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert mailoutbox == []


def test_declining_records_the_reason_and_tells_the_applicant(
    demo, coordinator, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_application(
            actor=secretariat, application=application, reason=" The decision is not signed. "
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.DECLINED
    assert application.decision_reason == "The decision is not signed."
    assert application.membership is None
    assert not Membership.objects.filter(municipality=demo.drammen).exists()
    event = AuditEvent.objects.get(action="network.application.decline")
    assert event.changes["decision_reason"] == [None, "The decision is not signed."]
    assert len(mailoutbox) == 1
    assert "The decision is not signed." in mailoutbox[0].body
    assert coordinator.email in mailoutbox[0].to


def test_the_applicant_withdraws(demo, coordinator):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    services.withdraw_application(actor=coordinator, application=application)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.WITHDRAWN
    event = AuditEvent.objects.get(action="network.application.withdraw")
    assert event.changes == {"status": ["submitted", "withdrawn"]}
    # withdrawn, the city may apply afresh
    assert submit_city(actor=coordinator, municipality=demo.drammen, case_number="KS 2024/9")


def test_others_may_not_withdraw(demo, coordinator, stockholm_coordinator, member):
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    for actor in (stockholm_coordinator, member):
        with unchanged(), pytest.raises(NotAllowed):
            services.withdraw_application(actor=actor, application=application)


# --- ending a membership --------------------------------------------------------------------


def test_ending_a_membership_keeps_its_history(demo, coordinator):
    membership = Membership.objects.get(municipality=demo.oslo, status="active")
    endorsements = list(membership.endorsements.all())
    total = Membership.objects.count()

    services.end_membership(actor=coordinator, membership=membership, reason="Council decision.")

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    assert membership.ended_on == timezone.localdate()
    assert membership.end_reason == "Council decision."
    assert Membership.objects.count() == total
    assert list(membership.endorsements.all()) == endorsements
    event = AuditEvent.objects.get(action="network.membership.end")
    assert event.changes["status"] == ["active", "ended"]
    assert event.changes["ended_on"] == [None, timezone.localdate().isoformat()]


def test_after_ending_the_city_may_apply_again(demo, coordinator, secretariat):
    old = Membership.objects.get(municipality=demo.oslo, status="active")
    services.end_membership(actor=coordinator, membership=old, reason="Paused.")
    application = submit_city(actor=coordinator, municipality=demo.oslo)
    new = services.approve_application(actor=secretariat, application=application)
    assert new.pk != old.pk
    assert list(
        Membership.objects.filter(municipality=demo.oslo).order_by("pk").values_list("status")
    ) == [("ended",), ("active",)]


def test_ending_needs_a_reason_and_the_right_to_do_it(demo, coordinator, stockholm_coordinator):
    membership = Membership.objects.get(municipality=demo.oslo, status="active")
    with unchanged(), pytest.raises(services.InvalidInput) as exc:
        services.end_membership(actor=coordinator, membership=membership, reason="")
    assert exc.value.field == "reason"
    with unchanged(), pytest.raises(NotAllowed):
        services.end_membership(actor=stockholm_coordinator, membership=membership, reason="x")
    membership.refresh_from_db()
    assert membership.status == "active"


def test_an_ended_membership_cannot_end_twice(demo, coordinator):
    membership = Membership.objects.get(municipality=demo.oslo, status="active")
    services.end_membership(actor=coordinator, membership=membership, reason="Paused.")
    with unchanged(), pytest.raises(InvalidTransition):
        services.end_membership(actor=coordinator, membership=membership, reason="Again.")


def test_an_individual_ends_their_own_membership(demo, member, contact):
    membership = Membership.objects.get(person__user=member)
    with unchanged(), pytest.raises(NotAllowed):
        services.end_membership(actor=contact, membership=membership, reason="Not mine.")
    services.end_membership(actor=member, membership=membership, reason="Moving abroad.")
    membership.refresh_from_db()
    assert membership.status == "ended"


# --- roles ---------------------------------------------------------------------------------


def test_only_the_secretariat_assigns_roles(demo, secretariat, coordinator):
    user = UserFactory()
    with unchanged(), pytest.raises(NotAllowed):
        services.assign_role(
            actor=coordinator, user=user, role=Role.COORDINATOR, municipality=demo.oslo
        )
    services.assign_role(
        actor=secretariat, user=user, role=Role.COORDINATOR, municipality=demo.oslo
    )
    assert RoleAssignment.objects.filter(user=user, municipality=demo.oslo).exists()
    event = AuditEvent.objects.get(action="network.role.assign")
    assert event.changes["role"] == [None, "coordinator"]
