"""Personal data: a member downloads what the platform holds about them, and erasure removes
their name and e-mail address everywhere while the network's records stay.

The erasure test gives one member data in every app that keeps personal data, erases them
through the page, then looks for their name and e-mail address in every table, on the pages and
API answers that showed them, in the exports and in search. `EXPORTS` lists the exports it reads:
add a new export there.
"""

import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safecities.core import personal_data, retention
from safecities.core import services as core_services
from safecities.core.errors import DomainError, NotAllowed
from safecities.core.models import ApiToken, AuditEvent, User
from safecities.events import services as events_services
from safecities.events.models import FeedToken, GroupNote, Registration
from safecities.grants.models import Answer, Award, Review
from safecities.indicators.models import Observation
from safecities.network import services as network_services
from safecities.network.models import Membership, Person, Role, RoleAssignment
from safecities.opendata import registry as opendata_registry
from safecities.plans.models import Measure, ProgressUpdate
from safecities.practices import search as practice_search
from safecities.practices.models import Practice
from safecities.search import api as search
from tests.core.factories import UserFactory
from tests.events.conftest import published_event
from tests.utils import unchanged

NAME = "Xanthippe Quarrington"
EMAIL = "xanthippe.quarrington@example.net"
PHONE = "+47 912 34 567"
NEEDS = "Gluten-free meals, step-free access"
# Fields of the person that name no one but are theirs all the same: erased everywhere too.
TITLE = "Lead adviser for Zumbrota youth work"
EXPERTISE = "Vexillology and radicalisation pathways"
MOTIVATION = "my Wyvernholm mentoring project"


def _traces(text: str) -> list[str]:
    """Which of the person's name, surname, e-mail address and phone `text` still holds."""
    lowered = text.lower()
    return [
        t
        for t in (NAME, "Quarrington", EMAIL, PHONE, NEEDS, TITLE, EXPERTISE, MOTIVATION)
        if t.lower() in lowered
    ]


def everything(demo):
    """A member named NAME with data in every app that keeps personal data."""
    secretariat = demo.users["secretariat"]
    user = UserFactory(email=EMAIL, full_name=NAME)
    world = {"user": user}
    # network: a public profile, an individual membership, a role
    application = network_services.submit_individual_application(
        actor=user,
        motivation=f"I am {NAME} and I work on prevention in Oslo, {MOTIVATION}.",
        contact_phone=PHONE,
        full_name=NAME,
        email=EMAIL,
        phone=PHONE,
        title="Prevention adviser",
        expertise="Youth work",
        listed_publicly=True,
        municipality=demo.oslo,
    )
    world["membership"] = network_services.approve_application(
        actor=secretariat, application=application
    )
    world["application"] = application
    network_services.save_profile(actor=user, title=TITLE, expertise=EXPERTISE)
    network_services.assign_role(
        actor=secretariat, user=user, role=Role.COORDINATOR, municipality=demo.oslo
    )
    core_services.create_api_token(actor=user, name=f"{NAME}'s script")
    # practices: the contact of a public practice, and named among its partners (indexed)
    practice = Practice.objects.filter(status="published", visibility="public").first()
    Practice.objects.filter(pk=practice.pk).update(
        contact_name=NAME, contact_email=EMAIL, partners=f"{NAME} (youth council)"
    )
    practice.refresh_from_db()
    practice_search.index_practice(practice)
    world["practice"] = practice
    # grants: an award they decided, an application they created, a review they wrote
    award = Award.objects.select_related("application").first()
    Award.objects.filter(pk=award.pk).update(decided_by=user)
    type(award.application).objects.filter(pk=award.application_id).update(created_by=user)
    Review.objects.create(
        application=award.application,
        reviewer=user,
        assigned_at=timezone.now(),
        comment=f"Discussed with {NAME}.",
    )
    answer = Answer.objects.filter(application=award.application).first()
    if answer is not None:
        Answer.objects.filter(pk=answer.pk).update(value=f"{answer.value} Contact: {EMAIL}")
    world["award"] = award
    # plans and indicators
    measure = Measure.objects.filter(plan__municipality=demo.oslo).first()
    ProgressUpdate.objects.create(
        measure=measure,
        reported_on=date.today(),
        text="Started.",
        status=measure.status,
        author=user,
    )
    observation = Observation.objects.filter(municipality=demo.oslo).first()
    Observation.objects.filter(pk=observation.pk).update(entered_by=user, note=f"Checked by {NAME}")
    # events: a registration with needs, a calendar address, a small group with a note
    event = published_event(secretariat)
    world["registration"] = events_services.register(actor=user, event=event, needs=NEEDS)
    world["event"] = event
    events_services.create_feed_token(actor=user)
    group = events_services.create_group(actor=user, members=[], data={"name": "Prevention circle"})
    events_services.write_note(actor=user, group=group, text=f"{NAME} brings the minutes.")
    world["group"] = group
    return world


def _failed_login(client):
    client.post(reverse("core:login"), {"username": EMAIL, "password": "not-the-password"})


def _dump() -> str:
    """Every row of every model, as text."""
    return "\n".join(
        serializers.serialize("json", model._default_manager.all())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    )


# The exports the erasure test reads: (name, client role, path of the export). Add new ones here.
def _exports(world) -> list[tuple[str, str, str]]:
    return [
        ("360Giving JSON", "anonymous", reverse("api-1.0.0:grants-360giving-json")),
        ("360Giving CSV", "anonymous", reverse("api-1.0.0:grants-360giving-csv")),
        ("events calendar", "anonymous", reverse("api-1.0.0:events-ics")),
        ("one event's calendar", "anonymous", reverse("events:ics", args=[world["event"].pk])),
        ("network indicators CSV", "secretariat", reverse("indicators:network-csv")),
        ("Oslo's indicators CSV", "secretariat", reverse("indicators:city-csv", args=["oslo"])),
        *(
            (f"open data: {file.filename}", "anonymous", file_path)
            for file, file_path in _open_data_files()
        ),
    ]


def _open_data_files():
    """Every file of the open-data page (the ZIP holds the same files, compressed)."""
    for dataset in opendata_registry.datasets():
        for file in dataset.files:
            yield file, reverse("opendata:download", args=[dataset.slug, file.filename])


EXPORTS = _exports


def _pages(world) -> list[str]:
    return [
        reverse("network:people"),
        reverse("network:directory") + "?kind=individual",
        reverse("network:municipality", args=["oslo"]),
        reverse("network:application-detail", args=[world["application"].pk]),
        reverse("network:applications") + "?status=approved",
        reverse("network:roles"),
        reverse("practices:detail", args=[world["practice"].pk]),
        reverse("events:registrations", args=[world["event"].pk]),
        reverse("grants:application", args=[world["award"].application_id]),
        reverse("core:audit"),
        reverse("reports:city", args=["oslo"]),
        reverse("core:audit") + "?action=network",
        reverse("core:audit") + "?action=core",
    ]


def _api(world) -> list[str]:
    return [
        reverse("api-1.0.0:applications"),
        reverse("api-1.0.0:application", args=[world["application"].pk]),
        reverse("api-1.0.0:memberships"),
        reverse("api-1.0.0:grants-applications"),
        reverse("api-1.0.0:events"),
        reverse("api-1.0.0:practice", args=[world["practice"].pk]),
        reverse("api-1.0.0:grants-application", args=[world["award"].application_id]),
        reverse("api-1.0.0:indicators-observations") + "?municipality=oslo",
    ]


def _seen(client, paths, headers=None) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = client.get(path, headers=headers or {})
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        traces = _traces(body.decode())
        if traces:
            found[path] = traces
    return found


def _search_hits() -> int:
    return search.search("Quarrington", user_is_member=True).total


def test_export_holds_the_members_data_from_each_app_and_nothing_of_others(demo, client_for):
    world = everything(demo)
    client = client_for(world["user"])
    response = client.post(reverse("core:personal-data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["account"]["account"]["email"] == EMAIL
    assert sections["account"]["api_tokens"][0]["name"] == f"{NAME}'s script"
    assert sections["network"]["profile"]["phone"] == PHONE
    assert sections["network"]["roles"]
    assert sections["network"]["membership_applications"][0]["contact_phone"] == PHONE
    assert sections["events"]["registrations"][0]["needs"] == NEEDS
    assert sections["events"]["notes_written"][0]["text"].startswith(NAME)
    assert sections["events"]["calendar_feeds"]
    assert sections["grants"]["reviews"][0]["comment"] == f"Discussed with {NAME}."
    assert sections["grants"]["awards_decided"]
    assert sections["plans"]["progress_updates"][0]["text"] == "Started."
    assert sections["indicators"]["observations_entered"][0]["note"] == f"Checked by {NAME}"
    assert sections["practices"]["practices_as_contact"][0]["contact_email"] == EMAIL
    # nothing of anyone else's
    text = json.dumps(data)
    for other in User.objects.exclude(pk=world["user"].pk).filter(is_active=True)[:50]:
        assert other.email not in text
    assert AuditEvent.objects.filter(action="core.account.export").exists()


def test_the_api_answers_the_same_json(demo, client):
    member = demo.users["member"]
    raw = core_services.create_api_token(actor=member, name="export")[1]
    response = client.get(
        reverse("api-1.0.0:me-personal-data"), headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["sections"]["account"]["account"]["email"] == member.email
    assert set(data["sections"]) == {s.name for s in personal_data.sections()}
    assert client.get(reverse("api-1.0.0:me-personal-data")).status_code == 401


def test_export_page_and_only_ones_own(demo, client_for):
    member = demo.users["member"]
    page = client_for(member).get(reverse("core:personal-data"))
    assert page.status_code == 200
    assert b"Download your data" in page.content
    with pytest.raises(NotAllowed):
        core_services.export_personal_data(actor=member, user=demo.users["coordinator"])


def test_erasure_by_the_secretariat_leaves_the_name_and_email_nowhere(demo, client_for, client):
    world = everything(demo)
    user = world["user"]
    _failed_login(client)
    secretariat = client_for(demo.users["secretariat"])
    raw = core_services.create_api_token(actor=demo.users["secretariat"], name="check")[1]
    bearer = {"Authorization": f"Bearer {raw}"}
    # Before: the test can see the person where it looks for them.
    assert _traces(_dump())
    assert _seen(secretariat, _pages(world))
    assert _search_hits() >= 1
    found = client_for(None).get(reverse("practices:list"), {"q": "Quarrington"})
    assert reverse("practices:detail", args=[world["practice"].pk]) in found.content.decode()
    registrations, awards, reviews = (
        Registration.objects.count(),
        Award.objects.count(),
        Review.objects.count(),
    )
    memberships, practices = Membership.objects.count(), Practice.objects.count()

    people = secretariat.get(reverse("network:people")).content.decode()
    assert reverse("core:erase-account", args=[user.pk]) in people  # reached from the directory
    assert _seen(client_for(None), _api(world), headers=bearer)
    form = secretariat.get(reverse("core:erase-account", args=[user.pk]))
    assert form.status_code == 200
    wrong = secretariat.post(reverse("core:erase-account", args=[user.pk]), {"email": "x@y.no"})
    assert wrong.status_code == 200 and b"not the account" in wrong.content
    response = secretariat.post(reverse("core:erase-account", args=[user.pk]), {"email": EMAIL})
    assert response.status_code == 302

    # (a) every row of every table
    assert _traces(_dump()) == []
    # (b) the pages, (c) the API, (d) the exports
    assert _seen(secretariat, _pages(world)) == {}
    assert _seen(client_for(None), _api(world), headers=bearer) == {}
    for name, role, path in EXPORTS(world):
        reader = client_for(demo.users[role] if role != "anonymous" else None)
        assert _seen(reader, [path]) == {}, name
    # (e) search: the service and the knowledge bank's page
    assert _search_hits() == 0
    found = client_for(None).get(reverse("practices:list"), {"q": "Quarrington"})
    assert reverse("practices:detail", args=[world["practice"].pk]) not in found.content.decode()

    # The network's records stay, pointing at the erased account.
    assert (Registration.objects.count(), Award.objects.count(), Review.objects.count()) == (
        registrations,
        awards,
        reviews,
    )
    assert (Membership.objects.count(), Practice.objects.count()) == (memberships, practices)
    award = Award.objects.get(pk=world["award"].pk)
    assert award.decided_by_id == user.pk
    user.refresh_from_db()
    assert str(user) == "Erased member" and not user.is_active and not user.has_usable_password()
    assert user.email == f"erased-{user.pk}@invalid"
    assert not ApiToken.objects.filter(user=user).exists()
    assert not FeedToken.objects.filter(user=user).exists()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert Registration.objects.get(pk=world["registration"].pk).needs == ""
    assert GroupNote.objects.filter(group=world["group"]).exists()  # the group keeps its note
    person = Person.objects.get(user=user)
    assert str(person) == "Erased member" and not person.listed_publicly
    erasure = AuditEvent.objects.get(action="core.account.erase")
    assert erasure.actor == demo.users["secretariat"]
    assert _traces(json.dumps(erasure.changes)) == []


def test_self_erasure_through_the_page_logs_out(demo, client_for):
    world = everything(demo)
    user = world["user"]
    client = client_for(user)
    with unchanged():
        page = client.get(reverse("core:erase-self"))
    assert page.status_code == 200
    assert b"This cannot be undone." in page.content  # what erasing does
    assert f'href="{reverse("network:profile")}">Go back<'.encode() in page.content
    wrong = client.post(reverse("core:erase-self"), {"email": "someone@example.org"})
    assert wrong.status_code == 200
    assert User.objects.get(pk=user.pk).erased_at is None
    response = client.post(reverse("core:erase-self"), {"email": EMAIL})
    assert response.status_code == 302 and response["Location"] == reverse("core:erased")
    assert b"is erased" in client.get(response["Location"]).content
    assert client.get(reverse("network:profile")).status_code == 302  # logged out
    assert _traces(_dump()) == []
    event = AuditEvent.objects.get(action="core.account.erase")
    assert event.actor_label == "" and event.actor_id == user.pk


def test_the_last_secretariat_account_is_refused(demo, client_for):
    secretariat = demo.users["secretariat"]
    others = User.objects.filter(is_superuser=True).exclude(pk=secretariat.pk)
    others.update(is_superuser=False)
    RoleAssignment.objects.filter(role=Role.SECRETARIAT).exclude(user=secretariat).delete()
    client = client_for(secretariat)
    with unchanged():
        response = client.post(reverse("core:erase-self"), {"email": secretariat.email})
    assert response.status_code == 200
    assert b"last secretariat account" in response.content
    secretariat.refresh_from_db()
    assert secretariat.erased_at is None and secretariat.is_active
    with pytest.raises(DomainError):
        core_services.erase_account(actor=secretariat, user=secretariat)


def test_only_the_secretariat_erases_someone_elses_account(demo, client_for):
    member, coordinator = demo.users["member"], demo.users["coordinator"]
    url = reverse("core:erase-account", args=[coordinator.pk])
    assert client_for(member).post(url, {"email": coordinator.email}).status_code == 403
    with pytest.raises(NotAllowed):
        core_services.erase_account(actor=member, user=coordinator)
    assert User.objects.get(pk=coordinator.pk).erased_at is None


def test_the_secretariat_finds_the_account_by_email(demo, client_for):
    client = client_for(demo.users["secretariat"])
    member = demo.users["member"]
    response = client.post(reverse("core:erase-find"), {"email": member.email.upper()})
    assert response["Location"] == reverse("core:erase-account", args=[member.pk])
    missing = client.post(reverse("core:erase-find"), {"email": "nobody@example.org"})
    assert b"No account uses" in missing.content


# --- retention --------------------------------------------------------------------------------


def test_inactive_accounts_are_erased_after_the_period_not_before(demo, settings):
    settings.INACTIVE_ACCOUNT_DAYS = 100
    now = timezone.now()
    stale = UserFactory(email="stale@example.net", full_name="Stale Person")
    User.objects.filter(pk=stale.pk).update(last_login=now - timedelta(days=101))
    recent = UserFactory(email="recent@example.net", full_name="Recent Person")
    User.objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=99))
    never = UserFactory(email="never@example.net", full_name="Never Person")
    User.objects.filter(pk=never.pk).update(date_joined=now - timedelta(days=101))

    erased = retention.erase_inactive_accounts(now)

    assert User.objects.get(pk=stale.pk).erased_at is not None
    assert User.objects.get(pk=never.pk).erased_at is not None
    assert User.objects.get(pk=recent.pk).erased_at is None
    # the demo's accounts joined now: none of them is stale
    assert erased == 2
    assert not User.objects.filter(email__in=["stale@example.net", "never@example.net"]).exists()


def test_retention_never_erases_the_last_secretariat_account(demo, settings):
    settings.INACTIVE_ACCOUNT_DAYS = 1
    later = timezone.now() + timedelta(days=10)
    retention.erase_inactive_accounts(later)
    survivors = User.objects.filter(erased_at__isnull=True)
    assert survivors.count() == 1
    assert survivors.get().role_assignments.filter(role=Role.SECRETARIAT).exists() or (
        survivors.get().is_superuser
    )


def test_retention_command_runs_every_rule_and_says_what_it_did(demo, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.INACTIVE_ACCOUNT_DAYS = 100
    stale = UserFactory(email="stale@example.net", full_name="Stale Person")
    User.objects.filter(pk=stale.pk).update(last_login=timezone.now() - timedelta(days=200))
    out = StringIO()
    call_command("retention", stdout=out)
    lines = out.getvalue().splitlines()
    assert {line.split(":")[0] for line in lines} == {r.name for r in retention.rules()}
    assert "inactive-accounts: 1 erased (SAFECITIES_INACTIVE_ACCOUNT_DAYS: 100 days)" in lines
    assert User.objects.get(pk=stale.pk).erased_at is not None


def test_old_login_records_are_deleted(demo, client, settings):
    from axes.models import AccessAttempt

    settings.LOGIN_RECORD_DAYS = 30
    _failed_login(client)
    assert AccessAttempt.objects.filter(username=EMAIL).exists()
    assert retention.erase_old_login_records(timezone.now() + timedelta(days=29)) == 0
    assert retention.erase_old_login_records(timezone.now() + timedelta(days=31)) >= 1
    assert not AccessAttempt.objects.filter(username=EMAIL).exists()


def test_the_privacy_page_lists_every_rule_with_its_period(client, demo, settings):
    settings.INACTIVE_ACCOUNT_DAYS = 730
    response = client.get(reverse("core:privacy"))
    assert response.status_code == 200
    text = response.content.decode()
    for rule in retention.rules():
        assert escape(str(rule.description)) in text
    assert "730 days" in text
    assert reverse("core:privacy") in client.get(reverse("network:home")).content.decode()


def test_every_app_with_personal_data_has_a_section():
    names = {s.name for s in personal_data.sections()}
    assert names >= {"account", "network", "grants", "indicators", "plans", "practices", "events"}


def test_scrub_replaces_names_inside_text_but_not_very_short_ones():
    context = personal_data.ErasureContext(actor=None, now=timezone.now())
    context.add_identifiers(["Ola", "ola.n@example.org", "Kari Nordmann"])
    assert context.scrub({"who": ["Ola met KARI NORDMANN", "mail ola.n@example.org"]}) == {
        "who": ["Ola met [erased]", "mail [erased]"]
    }
    assert context.matches(" ola ")  # a field equal to a short name is still blanked
