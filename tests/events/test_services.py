"""The events' services: drafting, publishing and cancelling events, registration with its
capacity, waiting list and mail, attendance, closing, and bad input that changes nothing."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from safecities.charter.models import Goal
from safecities.core.errors import DomainError, InvalidInput, NotAllowed
from safecities.core.models import AuditEvent
from safecities.events import selectors, services
from safecities.events.errors import AlreadyRegistered, RegistrationClosed, WrongStatus
from safecities.events.models import Event, Registration
from safecities.events.tasks import erase_expired_personal_data
from safecities.network.models import Role, RoleAssignment
from safecities.practices.models import Practice
from tests.events.conftest import draft_event, move_to_past, people, published_event, soon
from tests.utils import unchanged

# --- drafting and publishing -------------------------------------------------------------------


def test_a_draft_event_keeps_its_translations_organisers_and_time_zone(demo, coordinator):
    event = draft_event(
        coordinator,
        title={"en": " Oslo talks ", "nb": "Oslo snakker", "sv": ""},
        organising_municipalities=[demo.oslo],
        municipality=demo.oslo,
        time_zone="Europe/Oslo",
        languages=["nb", "en", "nb"],
    )
    assert event.status == "draft" and event.created_by == coordinator
    assert event.title == {"en": "Oslo talks", "nb": "Oslo snakker"}
    assert event.languages == ["nb", "en"]
    assert list(event.organising_municipalities.all()) == [demo.oslo]
    audit = AuditEvent.objects.get(action="events.event.create", target_id=str(event.pk))
    assert audit.changes["time_zone"] == [None, "Europe/Oslo"]


def test_members_without_a_role_cannot_create_events(member):
    with unchanged(), pytest.raises(NotAllowed):
        draft_event(member)


def test_a_coordinator_names_only_their_own_city_as_organiser(demo, coordinator):
    with unchanged(), pytest.raises(InvalidInput) as error:
        draft_event(coordinator, organising_municipalities=[demo.stockholm])
    assert error.value.field == "organising_municipalities"


def _bad_inputs(group_factory):
    start = soon(30)
    return [
        ({"ends_at": start - timedelta(hours=1)}, "ends_at"),
        ({"ends_at": start}, "ends_at"),
        ({"starts_at": start.replace(tzinfo=None)}, "starts_at"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"title": {"nb": "Bare norsk"}}, "title"),
        ({"title": {"en": "x", "xx": "y"}}, "title"),
        ({"title": {"en": "x" * 301}}, "title"),
        ({"type": "party"}, "type"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"capacity": "10"}, "capacity"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"languages": ["en", "klingon"]}, "languages"),
        ({"audience": "group"}, "invited_group"),
        ({"audience": "public", "invited_group": group_factory()}, "invited_group"),
        ({"audience": "everyone"}, "audience"),
        (
            {
                "registration_opens_at": start - timedelta(days=5),
                "registration_closes_at": start - timedelta(days=6),
            },
            "registration_closes_at",
        ),
        ({"registration_closes_at": start + timedelta(days=2)}, "registration_closes_at"),
        ({"needs_retention_days": -1}, "needs_retention_days"),
        ({"goals": ["safe-communities"]}, "goals"),
        ({"colour": "red"}, "colour"),
    ]


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(secretariat):
    def group():
        return services.create_group(actor=secretariat, data={"name": "Youth workers"})

    for fields, field in _bad_inputs(group):
        with unchanged(), pytest.raises(InvalidInput) as error:
            draft_event(secretariat, **fields)
        assert error.value.field == field, fields
        assert error.value.message


def test_an_update_checks_the_values_the_event_will_have(secretariat):
    event = draft_event(secretariat)
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.update_event(
            actor=secretariat, event=event, data={"ends_at": event.starts_at - timedelta(minutes=1)}
        )
    assert error.value.field == "ends_at"
    services.update_event(
        actor=secretariat, event=event, data={"venue": "Kulturhuset", "capacity": None}
    )
    event.refresh_from_db()
    assert event.venue == "Kulturhuset" and event.capacity is None


def test_the_capacity_cannot_fall_below_the_people_registered(summit, secretariat):
    for user in people(3):
        services.register(actor=user, event=summit)
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.update_event(actor=secretariat, event=summit, data={"capacity": 2})
    assert error.value.field == "capacity"
    summit.refresh_from_db()
    assert summit.capacity == 3


def test_only_organisers_change_an_event(demo, coordinator, stockholm_coordinator, member):
    event = draft_event(coordinator, organising_municipalities=[demo.oslo])
    colleague = people(1)[0]
    RoleAssignment.objects.create(user=colleague, role=Role.COORDINATOR, municipality=demo.oslo)
    services.update_event(actor=colleague, event=event, data={"venue": "Oslo rådhus"})
    for outsider in (stockholm_coordinator, member):
        with unchanged(), pytest.raises(NotAllowed):
            services.update_event(actor=outsider, event=event, data={"venue": "Elsewhere"})


def test_only_a_draft_that_is_not_over_is_published(secretariat):
    event = published_event(secretariat)
    with unchanged(), pytest.raises(WrongStatus):
        services.publish_event(actor=secretariat, event=event)
    past = move_to_past(draft_event(secretariat))
    with unchanged(), pytest.raises(WrongStatus):
        services.publish_event(actor=secretariat, event=past)


def test_cancelling_tells_everyone_registered_or_waiting(
    summit, secretariat, django_capture_on_commit_callbacks
):
    for user in people(4):
        services.register(actor=user, event=summit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(actor=secretariat, event=summit, reason="The venue burnt down.")
    summit.refresh_from_db()
    assert summit.status == "cancelled"
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("Cancelled:") for m in mail.outbox)
    assert "The venue burnt down." in mail.outbox[0].body
    with unchanged(), pytest.raises(WrongStatus):
        services.update_event(actor=secretariat, event=summit, data={"venue": "Elsewhere"})
    with unchanged(), pytest.raises(WrongStatus):
        services.cancel_event(actor=secretariat, event=summit)


# --- registration ------------------------------------------------------------------------------


def test_registration_fills_the_places_then_the_waiting_list(
    summit, django_capture_on_commit_callbacks
):
    users = people(5)
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.register(actor=u, event=summit) for u in users]
    assert [r.status for r in registrations] == ["registered"] * 3 + ["waitlisted"] * 2
    assert [r.position for r in registrations] == [1, 2, 3, 4, 5]
    assert selectors.places_left(summit) == 0
    assert list(selectors.waiting_list(summit)) == registrations[3:]

    assert len(mail.outbox) == 5
    confirmation = mail.outbox[0]
    assert confirmation.to == [users[0].email]
    assert confirmation.subject == "You are registered: Nordic Safe Cities Summit"
    (name, content, mimetype) = confirmation.attachments[0]
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "meet.example.org" in content
    waiting = mail.outbox[4]
    assert waiting.subject.startswith("On the waiting list") and not waiting.attachments


def test_the_mail_speaks_the_persons_language(summit, django_capture_on_commit_callbacks):
    user = people(1, preferred_language="nb")[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.register(actor=user, event=summit)
    assert "Nordisk toppmøte" in mail.outbox[0].subject


def test_signing_up_twice_is_refused(summit, member):
    services.register(actor=member, event=summit)
    with unchanged(), pytest.raises(AlreadyRegistered) as error:
        services.register(actor=member, event=summit)
    assert isinstance(error.value, InvalidInput) and error.value.field == "user"


def test_registration_outside_its_window_is_refused(secretariat, member):
    later = published_event(secretariat, registration_opens_at=soon(10))
    with unchanged(), pytest.raises(RegistrationClosed) as error:
        services.register(actor=member, event=later)
    assert error.value.field == "event"
    closed = published_event(secretariat, registration_closes_at=soon(20))
    Event.objects.filter(pk=closed.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    with unchanged(), pytest.raises(RegistrationClosed):
        services.register(actor=member, event=closed)
    started = move_to_past(published_event(secretariat), days_ago=-0.1)  # started, not over
    with unchanged(), pytest.raises(RegistrationClosed):
        services.register(actor=member, event=started)


def test_drafts_and_cancelled_events_take_no_registrations(secretariat, member):
    draft = draft_event(secretariat)
    with unchanged(), pytest.raises(NotAllowed):
        services.register(actor=member, event=draft)
    cancelled = services.cancel_event(actor=secretariat, event=published_event(secretariat))
    with unchanged(), pytest.raises(RegistrationClosed):
        services.register(actor=member, event=cancelled)


def test_needs_are_kept_and_limited(summit, member):
    registration = services.register(actor=member, event=summit, needs=" Vegetarian. ")
    assert registration.needs == "Vegetarian."
    other = people(1)[0]
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.register(actor=other, event=summit, needs="x" * 1001)
    assert error.value.field == "needs"


def test_a_cancellation_promotes_the_first_on_the_waiting_list_and_tells_them(
    summit, django_capture_on_commit_callbacks
):
    users = people(5)
    registrations = [services.register(actor=u, event=summit) for u in users]
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(actor=users[1], registration=registrations[1])
    statuses = [r.status for r in Registration.objects.filter(event=summit).order_by("position")]
    assert statuses == ["registered", "cancelled", "registered", "registered", "waitlisted"]
    assert len(mail.outbox) == 1
    told = mail.outbox[0]
    assert told.to == [users[3].email]
    assert told.subject == "A place for you: Nordic Safe Cities Summit"
    assert told.attachments[0][0] == "event.ics"
    promoted = AuditEvent.objects.get(action="events.registration.promote")
    assert promoted.target_id == str(registrations[3].pk)


def test_cancelling_a_place_on_the_waiting_list_promotes_nobody(summit):
    users = people(5)
    registrations = [services.register(actor=u, event=summit) for u in users]
    services.cancel_registration(actor=users[3], registration=registrations[3])
    assert selectors.registered_count(summit) == 3
    assert list(selectors.waiting_list(summit)) == [registrations[4]]


def test_a_larger_capacity_takes_people_off_the_waiting_list(
    summit, secretariat, django_capture_on_commit_callbacks
):
    users = people(6)
    for user in users:
        services.register(actor=user, event=summit)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(actor=secretariat, event=summit, data={"capacity": 5})
    assert selectors.registered_count(summit) == 5
    assert [m.to for m in mail.outbox] == [[users[3].email], [users[4].email]]


def test_only_the_person_or_an_organiser_cancels_and_only_once(summit, secretariat, member):
    registration = services.register(actor=member, event=summit)
    other = people(1)[0]
    with unchanged(), pytest.raises(NotAllowed):
        services.cancel_registration(actor=other, registration=registration)
    services.cancel_registration(actor=secretariat, registration=registration)
    with unchanged(), pytest.raises(WrongStatus):
        services.cancel_registration(actor=member, registration=registration)
    again = services.register(actor=member, event=summit)
    assert again.status == "registered" and again.position == 2


def test_an_organiser_may_sign_up_someone_else_a_member_may_not(summit, secretariat, member):
    other = people(1)[0]
    with unchanged(), pytest.raises(NotAllowed):
        services.register(actor=member, event=summit, user=other)
    registration = services.register(actor=secretariat, event=summit, user=other)
    assert registration.user == other


def test_members_events_are_for_signed_in_members(secretariat, member):
    event = published_event(secretariat, audience="members")
    assert services.register(actor=member, event=event).status == "registered"


def test_a_groups_event_is_for_the_groups_members(secretariat, member, coordinator):
    group = services.create_group(
        actor=coordinator, members=[member], data={"name": "Youth workers"}
    )
    event = published_event(
        secretariat, type="closed_group_meeting", audience="group", invited_group=group
    )
    assert services.register(actor=member, event=event).status == "registered"
    outsider = people(1)[0]
    with unchanged(), pytest.raises(NotAllowed):
        services.register(actor=outsider, event=event)


# --- attendance and closing --------------------------------------------------------------------


def _attended_summit(demo, secretariat, coordinator, contact, member):
    """A summit that is over, with the Oslo coordinator and the Nuorten ääni contact present and
    the member absent."""
    event = published_event(secretariat, capacity=10)
    registrations = {
        u: services.register(actor=u, event=event) for u in (coordinator, contact, member)
    }
    move_to_past(event)
    count = services.mark_attendance(
        actor=secretariat,
        event=event,
        attendance={registrations[coordinator]: True, registrations[contact]: True},
    )
    assert count == 2
    return event, registrations


def test_attendance_is_marked_by_an_organiser_once_the_event_started(
    demo, summit, secretariat, member
):
    registration = services.register(actor=member, event=summit)
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.mark_attendance(actor=secretariat, event=summit, attendance={registration: True})
    assert error.value.field == "attendance"
    move_to_past(summit)
    with unchanged(), pytest.raises(NotAllowed):
        services.mark_attendance(actor=member, event=summit, attendance={registration: True})
    services.mark_attendance(actor=secretariat, event=summit, attendance={registration: True})
    registration.refresh_from_db()
    assert registration.attended
    services.mark_attendance(actor=secretariat, event=summit, attendance={registration: False})
    registration.refresh_from_db()
    assert not registration.attended


def test_only_the_events_registered_people_are_marked(summit, secretariat):
    first, *rest = people(4)
    other_event = published_event(secretariat)
    registrations = [services.register(actor=u, event=summit) for u in [first, *rest]]
    elsewhere = services.register(actor=first, event=other_event)
    move_to_past(summit)
    for attendance in (
        {elsewhere: True},
        {registrations[3]: True},  # on the waiting list
        {registrations[0]: "yes"},
        [registrations[0]],
    ):
        with unchanged(), pytest.raises(InvalidInput) as error:
            services.mark_attendance(actor=secretariat, event=summit, attendance=attendance)
        assert error.value.field == "attendance"


def test_closing_records_the_attendees_their_cities_and_organisations(
    demo, secretariat, coordinator, contact, member
):
    event, _registrations = _attended_summit(demo, secretariat, coordinator, contact, member)
    practice = Practice.objects.get(title="Oslo snakker")
    services.close_event(
        actor=secretariat,
        event=event,
        report="Good talks.",
        follow_ups="A study visit to Oslo.",
        practices=[practice],
    )
    event.refresh_from_db()
    assert event.status == "closed" and event.attendee_count == 2
    assert set(event.attending_municipalities.all()) == {demo.oslo, demo.drammen}
    assert set(event.attending_organisations.all()) == {demo.nuorten_aani}
    assert list(event.practices_presented.all()) == [practice]
    assert event.report == "Good talks." and event.follow_ups == "A study visit to Oslo."
    with unchanged(), pytest.raises(WrongStatus):
        services.close_event(actor=secretariat, event=event, report="Again")


def test_an_event_is_closed_once_over_with_a_report(summit, secretariat):
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.close_event(actor=secretariat, event=summit, report="Too early.")
    assert error.value.field == "report"
    move_to_past(summit)
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.close_event(actor=secretariat, event=summit, report="  ")
    assert error.value.field == "report"
    with unchanged(), pytest.raises(InvalidInput) as error:
        services.close_event(actor=secretariat, event=summit, report="Ok", practices=["Oslo"])
    assert error.value.field == "practices"


# --- needs erased after the retention ----------------------------------------------------------


def _with_needs(secretariat, *, days_ago: float, retention: int = 30) -> Registration:
    event = published_event(secretariat, needs_retention_days=retention)
    registration = services.register(actor=people(1)[0], event=event, needs="Wheelchair access.")
    move_to_past(event, days_ago=days_ago)
    return registration


def test_needs_are_erased_once_the_retention_has_passed(secretariat):
    old = _with_needs(secretariat, days_ago=31)
    recent = _with_needs(secretariat, days_ago=29)
    short = _with_needs(secretariat, days_ago=2, retention=1)
    assert services.erase_expired_needs() == 2
    for registration, needs in ((old, ""), (recent, "Wheelchair access."), (short, "")):
        registration.refresh_from_db()
        assert registration.needs == needs
    erased = AuditEvent.objects.filter(action="events.needs.erase")
    assert {e.target_id for e in erased} == {str(old.event_id), str(short.event_id)}
    assert all("Wheelchair" not in str(e.changes) for e in erased)
    assert services.erase_expired_needs() == 0


def test_the_command_and_the_task_erase_needs(secretariat):
    first = _with_needs(secretariat, days_ago=40)
    out = io.StringIO()
    call_command("erase_needs", stdout=out)
    first.refresh_from_db()
    assert first.needs == ""
    # the events' two retention rules, and no other (not the accounts')
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        "event-needs",
        "group-notes",
    ]
    assert out.getvalue().startswith("event-needs: 1 erased")
    second = _with_needs(secretariat, days_ago=40)
    assert erase_expired_personal_data.call() == {"event-needs": 1, "group-notes": 0}
    second.refresh_from_db()
    assert second.needs == ""


def test_the_command_can_count_as_if_it_were_later(secretariat):
    registration = _with_needs(secretariat, days_ago=1)
    later = (timezone.now() + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")
    call_command("erase_needs", "--now", later, stdout=open("/dev/null", "w"))  # noqa: SIM115
    registration.refresh_from_db()
    assert registration.needs == ""


def test_every_refusal_is_a_domain_error_with_a_message(summit, member):
    services.register(actor=member, event=summit)
    try:
        services.register(actor=member, event=summit)
    except DomainError as error:
        assert error.as_dict()["field"] == "user" and error.status == 409


def test_goals_are_kept(secretariat):
    goals = list(Goal.objects.all()[:2])
    event = draft_event(secretariat, goals=goals)
    assert set(event.goals.all()) == set(goals)
