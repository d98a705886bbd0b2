"""The events' demo: the meetings the source texts name, written through the events' services,
past ones closed with their attendance (which the computed indicator counts), the demo logins'
registrations, and the closed group of youth workers from Helsinki and Borlänge."""

from safecities.core.models import AuditEvent
from safecities.demo import events_data
from safecities.demo.loader import Loader
from safecities.events.computed import ATTENDED
from safecities.events.models import Event, Group, Registration
from safecities.indicators.models import Indicator, Observation
from safecities.practices.models import Practice


def named(title: str) -> Event:
    return Event.objects.select_related("municipality").get(title__en=title)


def test_the_meetings_of_the_source_texts(demo):
    summit = named("Nordic Safe Cities Summit")
    assert summit.municipality.name == "Stockholm" and summit.type == "summit"
    assert summit.starts_at.year == 2020 and "Lehtomäki" in summit.description["en"]
    gathering = named("Safe Cities Norway gathering")
    assert gathering.municipality.name == "Oslo" and gathering.starts_at.year == 2022
    assert gathering.audience == "members"
    debate = named("Oslo talks: trust in politicians")
    assert debate.type == "public_debate" and debate.title["nb"].startswith("Oslo snakker")
    assert list(debate.practices_presented.all()) == [Practice.objects.get(title="Oslo snakker")]
    webinar = named("Webinar: online hate against local politicians")
    assert webinar.type == "webinar" and webinar.online_url and not webinar.venue


def test_everything_invented_is_marked_illustrative(demo):
    for spec in events_data.EVENTS:
        event = named(spec["title"]["en"])
        text = " ".join([*event.description.values(), event.venue, event.report]).lower()
        assert "illustrativ" in text, event.display_title
    group = Group.objects.get(name=events_data.GROUP["name"])
    assert "illustrative" in group.description.lower()


def test_past_events_are_closed_with_their_attendance(demo):
    past = [named(s["title"]["en"]) for s in events_data.EVENTS if s.get("close")]
    assert len(past) == 4
    for event in past:
        attended = event.registrations.filter(attended=True).count()
        assert event.status == Event.Status.CLOSED and event.report
        assert event.attendee_count == attended > 0
    gathering = named("Safe Cities Norway gathering")
    assert demo.oslo in gathering.attending_municipalities.all()


def test_the_attendance_indicator_has_figures(demo):
    indicator = Indicator.objects.get(code=ATTENDED)
    assert indicator.source == Indicator.Source.COMPUTED
    oslo = {
        o.period: o.value
        for o in Observation.objects.filter(indicator=indicator, municipality=demo.oslo)
    }
    assert oslo["2022"] == 6  # the coordinator and five of the city's staff
    assert {"2020", "2022", "2024"} <= set(oslo)


def test_the_demo_logins_are_signed_up(demo):
    coming = named("Nordic Safe Cities Summit: the next one")
    statuses = {r.user.email: r.status for r in coming.registrations.select_related("user")}
    assert statuses["member@example.org"] == Registration.Status.WAITLISTED
    assert statuses["coordinator@example.org"] == Registration.Status.REGISTERED
    assert coming.registrations.filter(status="registered").count() == coming.capacity
    webinar = named("Webinar: online hate against local politicians")
    assert webinar.registrations.filter(user=demo.users["member"], status="registered").exists()


def test_the_closed_group_of_youth_workers(demo):
    group = Group.objects.get(name=events_data.GROUP["name"])
    cities = {
        m.user.person.municipality.name
        for m in group.memberships.select_related("user__person__municipality")
        if getattr(m.user, "person", None) and m.user.person.municipality
    }
    assert cities == {"Helsinki", "Borlänge"}
    meetings = list(group.meetings.select_related("event__municipality"))
    assert [m.event.municipality.name for m in meetings] == ["Helsinki", "Borlänge"]
    (note,) = group.notes.all()
    assert note.meeting == meetings[0]
    for audit in AuditEvent.objects.filter(action__startswith="events."):
        assert note.text[:40] not in str(audit.changes) + audit.target_label


def test_written_through_the_services(demo):
    created = AuditEvent.objects.filter(action="events.event.create").values_list(
        "target_id", flat=True
    )
    for spec in events_data.EVENTS:
        assert str(named(spec["title"]["en"]).pk) in created
    assert AuditEvent.objects.filter(action="events.event.close").count() >= 4
    assert AuditEvent.objects.filter(action="indicators.computed.refresh").exists()


def test_loading_the_demo_again_changes_nothing(demo):
    events, registrations = Event.objects.count(), Registration.objects.count()
    assert Loader().run() == 0
    assert (Event.objects.count(), Registration.objects.count()) == (events, registrations)
