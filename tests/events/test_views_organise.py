"""Running an event through its pages: drafting with translations and a time zone, editing,
publishing, cancelling with a confirmation, the registrations with attendance, and closing it
with its report and the practices presented. Bad input names the field and changes nothing."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safecities.events import services
from safecities.events.models import Event, Registration
from safecities.practices.models import Practice
from tests.events.conftest import draft_event, move_to_past, people, soon
from tests.utils import unchanged

CREATE = reverse("events:create")


def html(response) -> str:
    return response.content.decode()


def url(name: str, event) -> str:
    return reverse(f"events:{name}", args=[event.pk])


def form_data(demo, **changes) -> dict:
    day = timezone.localdate() + timedelta(days=20)
    data = {
        "type": "workshop",
        "title_en": "Workshop on online hate",
        "title_sv": "Workshop om näthat",
        "description_en": "How cities answer **online hate**.",
        "time_zone": "Europe/Helsinki",
        "starts_at": day.isoformat(),
        "starts_at_time": "10:00",
        "ends_at": day.isoformat(),
        "ends_at_time": "15:00",
        "venue": "Helsinki City Hall",
        "municipality": str(demo.oslo.pk),
        "audience": "public",
        "capacity": "30",
        "languages": ["en", "sv"],
        "goals": [],
        "needs_retention_days": "14",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_new_event_form_offers_languages_and_time_zones(secretariat_client):
    page = html(secretariat_client.get(CREATE))
    for name in ("title_en", "title_nb", "description_fi", "time_zone", "starts_at_time"):
        assert f'name="{name}"' in page
    assert "Europe/Stockholm" in page


def test_a_member_without_a_role_may_not_create(member_client):
    assert member_client.get(CREATE).status_code == 403


def test_creating_a_draft_in_its_time_zone(secretariat_client, demo, secretariat):
    response = secretariat_client.post(CREATE, form_data(demo))
    event = Event.objects.get(title__en="Workshop on online hate")
    assert response.status_code == 302 and response["Location"] == url("detail", event)
    assert event.status == "draft" and event.created_by == secretariat
    assert event.title == {"en": "Workshop on online hate", "sv": "Workshop om näthat"}
    assert event.time_zone == "Europe/Helsinki"
    assert event.starts_at.astimezone(ZoneInfo("Europe/Helsinki")).hour == 10
    assert event.capacity == 30 and event.languages == ["en", "sv"]
    assert event.needs_retention_days == 14


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at_time": "09:00"}, "ends_at", "The event must end after it starts."),
        ({"title_en": ""}, "title_en", "This field is required."),
        ({"starts_at_time": ""}, "starts_at_time", "This field is required."),
        (
            {"registration_opens_at": "2026-01-01"},
            "registration_opens_at_time",
            "Give the time as well as the date.",
        ),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"online_url": "not a link"}, "online_url", "Enter a valid URL."),
        ({"audience": "group"}, "invited_group", "Name the invited group"),
        (
            {"registration_closes_at": "2099-01-01", "registration_closes_at_time": "10:00"},
            "registration_closes_at",
            "Registration must close before the event ends.",
        ),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    secretariat_client, demo, changes, field, message
):
    with unchanged():
        response = secretariat_client.post(CREATE, form_data(demo, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert f'href="#id_{field}"' in html(response)


def test_a_coordinator_names_only_their_own_cities_as_organisers(coordinator_client, demo):
    form = coordinator_client.get(CREATE).context["form"]
    offered = set(form.fields["organising_municipalities"].queryset)
    assert demo.oslo in offered and demo.stockholm not in offered
    with unchanged():
        response = coordinator_client.post(
            CREATE, form_data(demo, organising_municipalities=[str(demo.stockholm.pk)])
        )
    assert "organising_municipalities" in response.context["form"].errors


def test_editing_keeps_the_values_and_refuses_a_capacity_below_those_registered(
    secretariat_client, summit
):
    for person in people(2):
        services.register(actor=person, event=summit)
    page = secretariat_client.get(url("edit", summit))
    form = page.context["form"]
    assert form.initial["title_nb"] == "Nordisk toppmøte"
    assert form.initial["time_zone"] == "Europe/Stockholm"
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data = {
        k: (
            [str(getattr(x, "pk", x)) for x in v]
            if isinstance(v, list)
            else v.isoformat()
            if hasattr(v, "isoformat")
            else str(getattr(v, "pk", v))
        )
        for k, v in data.items()
    }
    data["starts_at_time"] = data["starts_at_time"][:5]
    data["ends_at_time"] = data["ends_at_time"][:5]
    with unchanged():
        response = secretariat_client.post(url("edit", summit), {**data, "capacity": "1"})
    assert "2 people are registered already" in " ".join(
        response.context["form"].errors["capacity"]
    )
    response = secretariat_client.post(
        url("edit", summit), {**data, "capacity": "5", "title_en": "Summit, renamed"}
    )
    assert response.status_code == 302
    summit.refresh_from_db()
    assert summit.capacity == 5 and summit.title["en"] == "Summit, renamed"
    assert summit.title["nb"] == "Nordisk toppmøte"


def test_only_organisers_edit(client_for, summit, coordinator, member):
    assert client_for(coordinator).get(url("edit", summit)).status_code == 403
    assert client_for(member).get(url("registrations", summit)).status_code == 403
    assert client_for(None).get(url("edit", summit))["Location"].startswith("/accounts/login/")


def test_publishing_after_a_confirmation(secretariat_client, secretariat):
    draft = draft_event(secretariat)
    assert "Publish the event" in html(secretariat_client.get(url("publish", draft)))
    assert Event.objects.get(pk=draft.pk).status == "draft"
    secretariat_client.post(url("publish", draft))
    assert Event.objects.get(pk=draft.pk).status == "published"
    again = secretariat_client.post(url("publish", draft), follow=True)
    assert "Only a draft can be published." in html(again)


def test_cancelling_after_a_confirmation_tells_everyone(
    secretariat_client, summit, member, django_capture_on_commit_callbacks
):
    services.register(actor=member, event=summit)
    page = html(secretariat_client.get(url("cancel", summit)))
    assert "1 person signed up or waiting is told by e-mail" in page
    assert Event.objects.get(pk=summit.pk).status == "published"
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url("cancel", summit), {"reason": "The venue burnt down."})
    summit.refresh_from_db()
    assert summit.status == "cancelled" and summit.cancellation_reason == "The venue burnt down."
    assert any(member.email in m.to and "Cancelled" in m.subject for m in mail.outbox)
    assert "This event is cancelled." in html(secretariat_client.get(url("detail", summit)))
    assert 'id="locked"' in html(secretariat_client.get(url("cancel", summit)))


def test_a_too_long_reason_names_the_field(secretariat_client, summit):
    with unchanged():
        response = secretariat_client.post(url("cancel", summit), {"reason": "x" * 2001})
    assert "reason" in response.context["form"].errors


def test_the_registrations_list_with_needs_and_the_waiting_list(secretariat_client, summit):
    first, *others = people(4)
    services.register(actor=first, event=summit, needs="Wheelchair access")
    for person in others:
        services.register(actor=person, event=summit)
    page = html(secretariat_client.get(url("registrations", summit)))
    assert "Wheelchair access" in page and first.email in page
    assert 'id="waiting"' in page and str(others[-1]) in page
    assert 'name="attended"' not in page  # not started yet


def test_marking_attendance_once_it_has_started(secretariat_client, summit):
    came, stayed_away = people(2)
    for person in (came, stayed_away):
        services.register(actor=person, event=summit)
    move_to_past(summit)
    first = Registration.objects.get(event=summit, user=came)
    page = html(secretariat_client.get(url("registrations", summit)))
    assert f'id="attended-{first.pk}"' in page
    response = secretariat_client.post(
        url("registrations", summit), {"attended": [str(first.pk)]}, follow=True
    )
    assert "1 attended" in html(response)
    assert set(Registration.objects.filter(event=summit, attended=True)) == {first}


def test_a_forged_attendance_mark_changes_nothing(secretariat_client, summit):
    (person,) = people(1)
    services.register(actor=person, event=summit)
    with unchanged():
        response = secretariat_client.post(
            url("registrations", summit), {"attended": ["999999"]}, follow=True
        )
    assert "The event has not started yet." in html(response)
    assert not Registration.objects.filter(event=summit, attended=True).exists()


def test_closing_an_event_with_its_report_and_practices(secretariat_client, summit, coordinator):
    services.register(actor=coordinator, event=summit)
    move_to_past(summit)
    registration = Registration.objects.get(event=summit, user=coordinator)
    services.mark_attendance(actor=summit.created_by, event=summit, attendance={registration: True})
    practice = Practice.objects.get(title="Oslo snakker")
    page = secretariat_client.get(url("close", summit))
    assert practice in page.context["form"].fields["practices"].queryset
    assert "Close the event" in html(secretariat_client.get(url("detail", summit)))
    response = secretariat_client.post(
        url("close", summit),
        {"report": "We met and learnt.", "follow_ups": "- Write", "practices": [practice.pk]},
        follow=True,
    )
    summit.refresh_from_db()
    assert summit.status == "closed" and summit.attendee_count == 1
    assert list(summit.practices_presented.all()) == [practice]
    page = html(response)
    assert "We met and learnt." in page and 'id="practices-presented"' in page
    assert "Oslo" in page  # an attending city


def test_closing_needs_a_report_and_an_event_that_is_over(secretariat_client, summit):
    assert 'id="locked"' in html(secretariat_client.get(url("close", summit)))
    with unchanged():
        response = secretariat_client.post(url("close", summit), {"report": "Early."})
    assert "The event is not over yet." in " ".join(response.context["form"].errors["report"])
    move_to_past(summit)
    with unchanged():
        response = secretariat_client.post(url("close", summit), {"report": ""})
    assert "report" in response.context["form"].errors
    assert Event.objects.get(pk=summit.pk).status == "published"


def test_an_unknown_event_is_not_found(secretariat_client):
    assert secretariat_client.get(reverse("events:edit", args=[999999])).status_code == 404


def test_the_published_event_starts_when_the_form_says(secretariat_client, demo):
    secretariat_client.post(CREATE, form_data(demo, starts_at_time="08:30"))
    event = Event.objects.get(title__en="Workshop on online hate")
    local = event.starts_at.astimezone(ZoneInfo("Europe/Helsinki"))
    assert (local.hour, local.minute) == (8, 30)
    assert event.starts_at > soon(10)
