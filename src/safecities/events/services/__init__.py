"""Every write to events: one function per business action, atomic and audited.

Each service checks the actor's permission, then every input, and only then writes: a refusal
raises a `DomainError` naming the field at fault and leaves the data as it was. Mail goes after
commit (`notifications`), with ids. Every status moves through its table (`events.states`).

By concern:

- `events`: an event is drafted (`create_event`, `update_event`), published (`publish_event`),
  cancelled (`cancel_event`) or, once over, closed with its report (`close_event`);
- `registrations`: people sign up (`register`): a place while there is one, else the waiting
  list; a cancellation (`cancel_registration`) or a larger capacity gives the freed places to
  the waiting list in order, and tells each person promoted; attendance (`mark_attendance`).
  Both lock the event row (`select_for_update`; on SQLite the settings open every transaction
  IMMEDIATE), so the capacity holds when many sign up at once;
- `groups`: the small groups, their members, meetings and notes; note actions are recorded in
  the audit trail without the note's text (the target's label is the group's name);
- `feeds`: the secret addresses of the members' private calendar feeds.
"""

from .events import (
    cancel_event,
    close_event,
    create_event,
    erase_expired_needs,
    publish_event,
    update_event,
)
from .feeds import create_feed_token, revoke_feed_token
from .groups import (
    add_group_member,
    create_group,
    delete_note,
    edit_note,
    erase_expired_notes,
    remove_group_member,
    schedule_group_meeting,
    update_group,
    write_note,
)
from .registrations import cancel_registration, mark_attendance, register

__all__ = [
    "add_group_member",
    "cancel_event",
    "cancel_registration",
    "close_event",
    "create_event",
    "create_feed_token",
    "create_group",
    "delete_note",
    "edit_note",
    "erase_expired_needs",
    "erase_expired_notes",
    "mark_attendance",
    "publish_event",
    "register",
    "remove_group_member",
    "revoke_feed_token",
    "schedule_group_meeting",
    "update_event",
    "update_group",
    "write_note",
]
