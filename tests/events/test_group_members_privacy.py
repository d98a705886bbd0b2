"""Who is in a closed group is for the group's members alone (docs/events.md, "The Chatham House
rule"): the secretariat organises every event, yet a group meeting's registrations page, the
audit trail and the personal-data export it makes of someone never name the group's members, and
a note never leaves its author's own export."""

import pytest
from django.urls import reverse

from safecities.core.services import export_personal_data
from safecities.events import services
from tests.events.conftest import move_to_past
from tests.events.test_privacy import EDITED, group_secret  # noqa: F401 (a fixture)

READS_DEMO_EVENTS = True


def _names(group_secret) -> list[str]:  # noqa: F811
    return [group_secret.invited.full_name, group_secret.invited.email]


@pytest.mark.django_db
def test_the_secretariat_may_not_read_a_group_meetings_registrations(
    group_secret,  # noqa: F811
    secretariat_client,
):
    url = reverse("events:registrations", args=[group_secret.event.pk])
    response = secretariat_client.get(url)
    assert response.status_code == 403
    for name in _names(group_secret):
        assert name.encode() not in response.content
    detail = secretariat_client.get(reverse("events:detail", args=[group_secret.event.pk]))
    assert url.encode() not in detail.content  # no link to a page it may not open


@pytest.mark.django_db
def test_an_organiser_in_the_group_reads_its_meetings_registrations(
    group_secret,  # noqa: F811
    client_for,
):
    response = client_for(group_secret.owner).get(
        reverse("events:registrations", args=[group_secret.event.pk])
    )
    assert response.status_code == 200
    assert group_secret.invited.full_name.encode() in response.content


@pytest.mark.django_db
def test_the_secretariat_may_not_mark_attendance_at_a_group_meeting(
    group_secret,  # noqa: F811
    secretariat,
):
    from safecities.core.errors import NotAllowed

    event = move_to_past(group_secret.event, days_ago=0.01)
    registration = event.registrations.get()
    with pytest.raises(NotAllowed):
        services.mark_attendance(actor=secretariat, event=event, attendance={registration: True})
    assert (
        services.mark_attendance(
            actor=group_secret.owner, event=event, attendance={registration: True}
        )
        == 1
    )


@pytest.mark.django_db
def test_the_audit_trail_names_no_member_of_a_group(group_secret, secretariat_client):  # noqa: F811
    page = secretariat_client.get(reverse("core:audit"))
    assert page.status_code == 200
    assert group_secret.group.name.encode() in page.content  # what happened is still there
    for name in _names(group_secret):
        assert name.encode() not in page.content
    for name in _names(group_secret):
        found = secretariat_client.get(reverse("core:audit"), {"q": name})
        assert group_secret.group.name.encode() not in found.content, name


@pytest.mark.django_db
def test_the_secretariats_export_of_someone_carries_no_note_and_no_group(
    group_secret,  # noqa: F811
    secretariat,
):
    data = str(export_personal_data(actor=secretariat, user=group_secret.invited))
    assert EDITED not in data
    assert group_secret.group.name not in data


@pytest.mark.django_db
def test_ones_own_export_carries_ones_notes_and_groups(group_secret):  # noqa: F811
    data = export_personal_data(actor=group_secret.invited, user=group_secret.invited)
    assert EDITED in str(data["sections"]["events"]["notes_written"])
    assert group_secret.group.name in str(data["sections"]["events"]["small_groups"])


@pytest.mark.django_db
def test_records_written_before_are_made_confidential_without_names(group_secret):  # noqa: F811
    """The migration that hides the group's business already in the audit trail."""
    import importlib

    from django.apps import apps

    from safecities.core.models import AuditEvent

    migration = importlib.import_module(
        "safecities.events.migrations.0002_group_business_confidential_in_audit"
    )
    name = group_secret.invited.full_name
    registration = group_secret.event.registrations.get()
    old = [
        AuditEvent.objects.create(
            actor=group_secret.owner,
            actor_label=str(group_secret.owner),
            action="events.group.add_member",
            target_type="events.group",
            target_id=str(group_secret.group.pk),
            target_label=group_secret.group.name,
            changes={"member": [None, name], "role": [None, "member"]},
        ),
        AuditEvent.objects.create(
            actor=group_secret.invited,
            actor_label=name,
            action="events.registration.create",
            target_type="events.registration",
            target_id=str(registration.pk),
            target_label=f"{name} — {group_secret.event}",
            changes={"status": [None, "registered"], "user": [None, name]},
        ),
    ]
    migration.forwards(apps, None)
    for event in old:
        event.refresh_from_db()
        assert event.confidential
        assert name not in f"{event.changes} {event.target_label}"
    assert old[0].changes == {"role": [None, "member"]}
    assert old[1].target_label == "Peer group meeting"
