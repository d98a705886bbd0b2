"""The invariants the database holds for every row, whatever writes it."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from safecities.events import services
from safecities.events.models import Event, GroupNote, Registration
from tests.events.conftest import draft_event, move_to_past, people, published_event


def test_one_active_registration_per_person_and_event(summit, member):
    registration = services.register(actor=member, event=summit)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Registration.objects.create(
            event=summit, user=member, status="waitlisted", position=registration.position + 1
        )
    services.cancel_registration(actor=member, registration=registration)
    Registration.objects.create(event=summit, user=member, status="cancelled", position=9)


def test_only_a_registered_person_is_marked_as_attending(summit, member):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Registration.objects.create(
            event=summit, user=member, status="waitlisted", attended=True, position=1
        )


def test_an_event_ends_after_it_starts(secretariat):
    event = draft_event(secretariat)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at - timedelta(hours=1))


def test_a_group_audience_names_its_group(secretariat):
    event = draft_event(secretariat)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(audience="group")


def test_a_notes_label_is_its_groups_name_never_its_text(contact):
    group = services.create_group(actor=contact, data={"name": "Youth workers"})
    note = services.write_note(actor=contact, group=group, text="Confidential words.")
    assert str(note) == "Youth workers"
    assert "Confidential" not in repr(note)
    assert GroupNote.objects.get(pk=note.pk).text == "Confidential words."


def test_no_promotion_once_the_event_has_started(secretariat):
    event = published_event(secretariat, capacity=1)
    first, second = people(2)
    registration = services.register(actor=first, event=event)
    waiting = services.register(actor=second, event=event)
    move_to_past(event, days_ago=-0.1)  # under way
    services.cancel_registration(actor=first, registration=registration)
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
