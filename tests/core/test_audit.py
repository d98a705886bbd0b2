"""The audit trail: every service records who changed which fields; only the secretariat reads it."""

import inspect
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from safecities.charter import services as charter_services
from safecities.charter.models import Goal, Term, Vocabulary
from safecities.core import audit
from safecities.core import services as core_services
from safecities.core.models import AuditEvent
from safecities.network import services as network_services
from safecities.network.models import (
    Membership,
    NationalProgramme,
    OrganisationType,
    Person,
    Role,
    RoleAssignment,
)
from tests.core.audit_cases import CORE_CASES
from tests.core.factories import UserFactory
from tests.events.audit_cases import EVENTS_CASES, EVENTS_READS, EVENTS_SERVICES_MODULE
from tests.grants.audit_cases import GRANT_CASES, GRANT_READS, GRANT_SERVICES_MODULE
from tests.indicators.audit_cases import (
    INDICATORS_CASES,
    INDICATORS_READS,
    INDICATORS_SERVICES_MODULE,
)
from tests.network.factories import CountryFactory, submit_city, submit_organisation
from tests.plans.audit_cases import PLANS_CASES, PLANS_READS, PLANS_SERVICES_MODULE
from tests.practices.audit_cases import (
    PRACTICES_CASES,
    PRACTICES_READS,
    PRACTICES_SERVICES_MODULE,
)
from tests.reports.audit_cases import REPORTS_CASES, REPORTS_READS, REPORTS_SERVICES_MODULE

SERVICE_MODULES = [
    core_services,
    network_services,
    charter_services,
    GRANT_SERVICES_MODULE,
    INDICATORS_SERVICES_MODULE,
    PLANS_SERVICES_MODULE,
    PRACTICES_SERVICES_MODULE,
    EVENTS_SERVICES_MODULE,
    REPORTS_SERVICES_MODULE,
]

# Public functions of the services modules that only read.
READS = {
    "safecities.core.services.user_for_token",
    "safecities.charter.services.current_version",
    "safecities.network.services.role_on_approval",
    *GRANT_READS,
    *INDICATORS_READS,
    *PLANS_READS,
    *PRACTICES_READS,
    *EVENTS_READS,
    *REPORTS_READS,
}


def _submitted(demo):
    return submit_city(actor=demo.users["coordinator"], municipality=demo.drammen)


def _oslo(demo):
    return Membership.objects.get(municipality=demo.oslo, status="active")


def _token(demo):
    return core_services.create_api_token(actor=demo.users["member"], name="Script")[0]


def _unconfirmed(demo):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_encode

    user = core_services.register_user(
        email="nea@example.net", full_name="Nea Ny", password="a-long-pass-phrase"
    )
    return urlsafe_base64_encode(str(user.pk).encode()), default_token_generator.make_token(user)


def _term(demo):
    return Term.objects.filter(vocabulary=Vocabulary.ARENA).first()


def _assignment(demo):
    return RoleAssignment.objects.get(user=demo.users["reviewer"], role=Role.REVIEWER)


# service -> (prepare(demo) -> object or None, act(demo, prepared), action, changed fields)
CASES = {
    "safecities.core.services.create_api_token": (
        None,
        lambda d, _: core_services.create_api_token(actor=d.users["member"], name="Script"),
        "core.token.create",
        {"name"},
    ),
    "safecities.core.services.revoke_api_token": (
        _token,
        lambda d, token: core_services.revoke_api_token(actor=d.users["member"], token=token),
        "core.token.revoke",
        {"revoked_at"},
    ),
    "safecities.core.services.register_user": (
        None,
        lambda d, _: core_services.register_user(
            email="new@example.net", full_name="Nina Ny", password="a-long-pass-phrase"
        ),
        "core.user.register",
        {"email", "full_name"},
    ),
    "safecities.core.services.confirm_signup": (
        _unconfirmed,
        lambda d, link: core_services.confirm_signup(uidb64=link[0], token=link[1]),
        "core.user.confirm",
        {"is_active"},
    ),
    "safecities.network.services.submit_city_application": (
        None,
        lambda d, _: _submitted(d),
        "network.application.submit",
        {"municipality", "case_number", "decision_date", "decision_document", "status"},
    ),
    "safecities.network.services.register_organisation": (
        None,
        lambda d, _: network_services.register_organisation(
            actor=d.users["member"],
            name="Trygg ungdom",
            type=OrganisationType.CSO,
            country=CountryFactory(code="NO"),
        ),
        "network.organisation.create",
        {"name", "type", "country"},
    ),
    "safecities.network.services.update_organisation": (
        None,
        lambda d, _: network_services.update_organisation(
            actor=d.users["organisation_contact"], organisation=d.nuorten_aani, name="Nuorten ääni"
        ),
        "network.organisation.update",
        {"name"},
    ),
    "safecities.network.services.submit_organisation_application": (
        None,
        lambda d, _: submit_organisation(
            actor=d.users["secretariat"], organisation=d.trygge_nabolag
        ),
        "network.application.submit",
        {"organisation", "contact_name", "motivation", "status"},
    ),
    "safecities.network.services.apply_for_new_organisation": (
        None,
        lambda d, _: network_services.apply_for_new_organisation(
            actor=d.users["member"],
            name="Trygg ungdom",
            type=OrganisationType.CSO,
            country=CountryFactory(code="NO"),
            contact_name="Jón",
            contact_email="jon@example.net",
            motivation="Dialogue.",
        ),
        "network.application.submit",
        {"organisation", "contact_email", "status"},
    ),
    "safecities.network.services.save_profile": (
        None,
        lambda d, _: network_services.save_profile(actor=d.users["member"], title="Youth leader"),
        "network.person.update",
        {"title"},
    ),
    "safecities.network.services.submit_individual_application": (
        None,
        lambda d, _: network_services.submit_individual_application(
            actor=d.users["reviewer"], motivation="Research on prevention."
        ),
        "network.application.submit",
        {"person", "motivation", "status"},
    ),
    "safecities.network.services.approve_application": (
        _submitted,
        lambda d, a: network_services.approve_application(
            actor=d.users["secretariat"], application=a
        ),
        "network.application.approve",
        {"status"},
    ),
    "safecities.charter.services.record_endorsement": (
        _submitted,
        lambda d, a: network_services.approve_application(
            actor=d.users["secretariat"], application=a
        ),
        "charter.endorse",
        {"charter_version", "endorsed_on"},
    ),
    "safecities.network.services.decline_application": (
        _submitted,
        lambda d, a: network_services.decline_application(
            actor=d.users["secretariat"], application=a, reason="Unsigned."
        ),
        "network.application.decline",
        {"status", "decision_reason"},
    ),
    "safecities.network.services.withdraw_application": (
        _submitted,
        lambda d, a: network_services.withdraw_application(
            actor=d.users["coordinator"], application=a
        ),
        "network.application.withdraw",
        {"status"},
    ),
    "safecities.network.services.end_membership": (
        _oslo,
        lambda d, m: network_services.end_membership(
            actor=d.users["coordinator"], membership=m, reason="Paused."
        ),
        "network.membership.end",
        {"status", "ended_on", "end_reason"},
    ),
    "safecities.network.services.assign_role": (
        None,
        lambda d, _: network_services.assign_role(
            actor=d.users["secretariat"], user=UserFactory(), role=Role.REVIEWER
        ),
        "network.role.assign",
        {"user", "role"},
    ),
    "safecities.network.services.revoke_role": (
        _assignment,
        lambda d, assignment: network_services.revoke_role(
            actor=d.users["secretariat"], assignment=assignment
        ),
        "network.role.revoke",
        {"user", "role"},
    ),
    "safecities.charter.services.save_term": (
        _term,
        lambda d, term: charter_services.save_term(
            actor=d.users["secretariat"],
            vocabulary=term.vocabulary,
            code=term.code,
            label={**term.label, "en": "A renamed arena"},
            term=term,
        ),
        "charter.term.update",
        {"label"},
    ),
    "safecities.network.services.save_country": (
        None,
        lambda d, _: network_services.save_country(
            actor=d.users["secretariat"], code="ee", name={"en": "Estonia", "fi": "Viro"}
        ),
        "network.country.create",
        {"code", "name"},
    ),
    "safecities.network.services.add_municipality": (
        lambda d: CountryFactory(code="EE"),
        lambda d, country: network_services.add_municipality(
            actor=d.users["secretariat"], country=country, code="0784", name="Tallinn"
        ),
        "network.municipality.create",
        {"code", "name"},
    ),
    "safecities.network.services.rename_municipality": (
        lambda d: d.oslo,
        lambda d, oslo: network_services.rename_municipality(
            actor=d.users["secretariat"],
            municipality=oslo,
            name="Oslo",
            region="Oslo",
            names={"nb": "Oslo", "se": "Oslo"},
        ),
        "network.municipality.update",
        {"names"},
    ),
    "safecities.network.services.load_register": (
        lambda d: CountryFactory(code="IS"),
        lambda d, country: network_services.load_register(
            actor=d.users["secretariat"], country=country
        ),
        "network.country.register",
        {"municipalities"},
    ),
    "safecities.network.services.save_national_programme": (
        lambda d: NationalProgramme.objects.get(slug="safe-cities-norway"),
        lambda d, programme: network_services.save_national_programme(
            actor=d.users["secretariat"],
            programme=programme,
            name="Safe Cities Norway",
            country=programme.country,
            funder=programme.funder,
            starts_on=programme.starts_on,
            ends_on=date(2030, 12, 31),
            municipalities=[d.oslo],
            contact=Person.objects.filter(municipality=d.oslo).first(),
        ),
        "network.programme.update",
        {"ends_on", "municipalities", "contact"},
    ),
    "safecities.charter.services.save_goal": (
        lambda d: Goal.objects.order_by("position").first(),
        lambda d, goal: charter_services.save_goal(
            actor=d.users["secretariat"],
            goal=goal,
            code=goal.code,
            position=goal.position,
            name={**goal.name, "en": "A renamed goal"},
            description=goal.description,
        ),
        "charter.goal.update",
        {"name"},
    ),
    "safecities.charter.services.save_charter_version": (
        lambda d: list(Goal.objects.order_by("position")[:2]),
        lambda d, goals: charter_services.save_charter_version(
            actor=d.users["secretariat"],
            version="2030",
            adopted_on=date(2030, 1, 1),
            goals=goals,
            preamble={"en": "Renewed."},
        ),
        "charter.version.create",
        {"version", "adopted_on", "goals", "preamble"},
    ),
}

CASES.update(CORE_CASES)
CASES.update(GRANT_CASES)
CASES.update(INDICATORS_CASES)
CASES.update(PLANS_CASES)
CASES.update(PRACTICES_CASES)
CASES.update(EVENTS_CASES)
CASES.update(REPORTS_CASES)


def service_functions() -> set[str]:
    names = set()
    for module in SERVICE_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            # A services package re-exports the services of its modules under its own name.
            defined_in = fn.__module__ == module.__name__
            defined_in |= fn.__module__.startswith(f"{module.__name__}.")
            if defined_in and not name.startswith("_"):
                names.add(f"{module.__name__}.{name}")
    return names


def test_every_service_has_an_audit_case():
    """A new service cannot ship without a test that it writes the audit trail."""
    missing = service_functions() - READS - set(CASES)
    assert not missing, f"add an audit case to CASES for: {sorted(missing)}"
    assert not set(CASES) - service_functions(), "CASES names a service that no longer exists"


@pytest.mark.parametrize("service", sorted(CASES))
def test_every_service_writes_an_audit_event_with_the_changed_fields(demo, service):
    prepare, act, action, fields = CASES[service]
    prepared = prepare(demo) if prepare else None
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    act(demo, prepared)

    events = [e for e in AuditEvent.objects.filter(id__gt=before) if e.action == action]
    assert len(events) == 1, f"{service} wrote {len(events)} {action} events"
    event = events[0]
    assert fields <= set(event.changes), f"{action} changes: {sorted(event.changes)}"
    for name in fields:
        old, new = event.changes[name]
        assert old != new, f"{action}: {name} did not change"
    assert event.target_type and event.target_id and event.target_label
    assert event.actor_label
    assert abs((timezone.now() - event.at).total_seconds()) < 60


def test_the_audit_row_and_the_change_share_one_transaction(demo, coordinator):
    """A refused action leaves neither the change nor an audit row."""
    before = AuditEvent.objects.count()
    with pytest.raises(network_services.DomainError):
        submit_city(actor=coordinator, municipality=demo.drammen, case_number="nonsense")
    assert AuditEvent.objects.count() == before


def test_changes_between_names_only_what_changed():
    assert audit.changes_between({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}) == {
        "b": ["x", "y"]
    }


def test_record_stores_plain_values(db):
    user = UserFactory(full_name="Kari Nordmann")
    event = audit.record(
        actor=user,
        action="test.thing",
        target=user,
        changes={
            "when": [None, datetime(2024, 1, 2, 3, 4, tzinfo=ZoneInfo("UTC"))],
            "who": [None, user],
        },
    )
    event.refresh_from_db()
    assert event.changes == {
        "when": [None, "2024-01-02T03:04:00+00:00"],
        "who": [None, "Kari Nordmann"],
    }
    assert event.actor_label == "Kari Nordmann"
    assert event.target_type == "core.user"
    system = audit.record(actor=None, action="test.system", target=user)
    assert system.actor is None
    assert system.actor_label == "system"


# --- the audit page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("member", 403),
        ("coordinator", 403),
        ("organisation_contact", 403),
        ("reviewer", 403),
        ("funder_officer", 403),
        ("secretariat", 200),
    ],
)
def test_the_audit_page_is_for_the_secretariat_only(demo, client_for, role, status):
    assert client_for(demo.users[role]).get("/audit/").status_code == status


def test_the_audit_page_sends_visitors_to_log_in(demo, client):
    response = client.get("/audit/?action=network")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/audit/")


def _at(event, day: str) -> None:
    AuditEvent.objects.filter(pk=event.pk).update(
        at=timezone.make_aware(datetime.fromisoformat(f"{day}T12:00"))
    )


@pytest.fixture
def trail(demo, coordinator, secretariat):
    """A short, dated trail on top of the demo's."""
    AuditEvent.objects.all().delete()
    application = submit_city(actor=coordinator, municipality=demo.drammen)
    network_services.approve_application(actor=secretariat, application=application)
    core_services.create_api_token(actor=coordinator, name="Script")
    events = {e.action: e for e in AuditEvent.objects.all()}
    _at(events["network.application.submit"], "2024-03-01")
    _at(events["network.application.approve"], "2024-03-10")
    _at(events["network.membership.start"], "2024-03-10")
    _at(events["charter.endorse"], "2024-03-10")
    _at(events["core.token.create"], "2024-04-01")
    return events


def shown(client, query: str) -> list[str]:
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 200
    return sorted(e.action for e in response.context["page"])


def test_the_audit_page_lists_every_event_with_its_changes(trail, secretariat_client):
    response = secretariat_client.get("/audit/")
    assert len(response.context["page"]) == 5
    page = response.content.decode()
    assert "network.application.submit" in page
    assert "<strong>case_number</strong>: — → KS 2024/123" in page


def test_the_audit_page_filters(trail, secretariat_client):
    c = secretariat_client
    assert shown(c, "action=network.application") == [
        "network.application.approve",
        "network.application.submit",
    ]
    assert shown(c, "target_type=charter.endorsement") == ["charter.endorse"]
    assert shown(c, "q=Kari") == [
        "charter.endorse",
        "network.application.approve",
        "network.membership.start",
    ]  # the secretariat's name
    assert shown(c, "q=Drammen") == [
        "charter.endorse",
        "network.application.approve",
        "network.application.submit",
        "network.membership.start",
    ]  # the records' names
    assert shown(c, "q=script") == ["core.token.create"]
    assert shown(c, "since=2024-03-05&until=2024-03-31") == [
        "charter.endorse",
        "network.application.approve",
        "network.membership.start",
    ]
    assert shown(c, "since=2024-03-31") == ["core.token.create"]
    assert shown(c, "action=nothing.like.this") == []


def test_the_audit_page_offers_the_record_types_there_are(trail, secretariat_client):
    form = secretariat_client.get("/audit/").context["form"]
    offered = {value for value, _label in form.fields["target_type"].choices if value}
    assert offered == {
        "network.membershipapplication",
        "network.membership",
        "charter.endorsement",
        "core.apitoken",
    }
