"""Who may do what with events and small groups. Pages and the API ask these same rules.

- The secretariat, city coordinators and organisation contacts create events and groups.
- An event is run by its organisers: its author, the coordinators of its organising cities, the
  contacts of its organising organisations, and the secretariat.
- A listed event is read by everyone (public audience), by signed-in members (members), by the
  members of the invited group (group); a draft only by its organisers.
- The online link is for the people registered and the organisers.
- Who signed up for a group's meeting is read by the organisers who are in the group.
- A small group's notes are read and written by the group's members alone: no role, not even the
  secretariat or a superuser, reaches them otherwise.
"""

from safecities.core.permissions import rule
from safecities.network.permissions import (
    contact_organisation_ids,
    coordinated_municipality_ids,
    is_secretariat,
)

from .models import Event, Group, GroupMembership, GroupNote, Registration


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _membership(user, group: Group | int | None) -> GroupMembership | None:
    gid = getattr(group, "pk", group)
    if not _signed_in(user) or gid is None:
        return None
    return GroupMembership.objects.filter(group_id=gid, user_id=user.pk).first()


def in_group(user, group: Group | int | None) -> bool:
    return _membership(user, group) is not None


def owns_group(user, group: Group | int | None) -> bool:
    membership = _membership(user, group)
    return membership is not None and membership.role == GroupMembership.Role.OWNER


def organises(user, event: Event) -> bool:
    """The event's author, a coordinator of an organising city, a contact of an organising
    organisation, or the secretariat."""
    if not _signed_in(user):
        return False
    if is_secretariat(user) or (event.created_by_id and event.created_by_id == user.pk):
        return True
    if event.pk is None:
        return False
    cities = coordinated_municipality_ids(user)
    if cities and event.organising_municipalities.filter(pk__in=cities).exists():
        return True
    organisations = contact_organisation_ids(user)
    return (
        bool(organisations) and event.organising_organisations.filter(pk__in=organisations).exists()
    )


def can_view(user, event: Event) -> bool:
    """Visitors ask this too (`has_perm` refuses everyone not signed in)."""
    if organises(user, event):
        return True
    if event.public:
        return True
    if not event.listed:
        return False
    if event.audience == Event.Audience.MEMBERS:
        return _signed_in(user)
    return in_group(user, event.invited_group_id)


def is_registered(user, event: Event) -> bool:
    return (
        _signed_in(user)
        and Registration.objects.filter(
            event=event, user_id=user.pk, status=Registration.Status.REGISTERED
        ).exists()
    )


def can_see_online_url(user, event: Event) -> bool:
    return organises(user, event) or is_registered(user, event)


@rule("events.create")
def create(user, obj=None) -> bool:
    return (
        is_secretariat(user)
        or bool(coordinated_municipality_ids(user))
        or bool(contact_organisation_ids(user))
    )


@rule("events.manage")
def manage(user, event: Event | None = None) -> bool:
    if event is None:
        return is_secretariat(user)
    return organises(user, event)


@rule("events.view")
def view(user, event: Event) -> bool:
    return can_view(user, event)


@rule("events.see_registrations")
def see_registrations(user, event: Event) -> bool:
    """Who signed up, by name: the organisers, but for a group's meeting only those of them who
    are in the group (who is in a group is for its members alone, the secretariat included)."""
    if not organises(user, event):
        return False
    if event.audience == Event.Audience.GROUP:
        return in_group(user, event.invited_group_id)
    return True


@rule("events.register")
def register(user, event: Event) -> bool:
    """Whoever may see the listed event may sign up for it (the group's members for a group's)."""
    if not event.listed:
        return False
    if event.audience == Event.Audience.GROUP:
        return in_group(user, event.invited_group_id)
    return can_view(user, event)


@rule("events.see_online_url")
def see_online_url(user, event: Event) -> bool:
    return can_see_online_url(user, event)


@rule("events.create_group")
def create_group(user, obj=None) -> bool:
    return create(user)


@rule("events.manage_group")
def manage_group(user, group: Group) -> bool:
    """The group's owners: members, meetings, how long notes are kept."""
    return owns_group(user, group)


@rule("events.remove_member")
def remove_member(user, membership: GroupMembership) -> bool:
    """A member leaves the group; an owner takes anyone out."""
    return membership.user_id == user.pk or owns_group(user, membership.group_id)


@rule("events.read_notes")
def read_notes(user, group: Group) -> bool:
    """The group's members alone; on purpose no exception for the secretariat or superusers."""
    return in_group(user, group)


@rule("events.write_note")
def write_note(user, group: Group) -> bool:
    return in_group(user, group)


@rule("events.edit_note")
def edit_note(user, note: GroupNote) -> bool:
    """Its author, while still a member of the group."""
    return note.author_id == user.pk and in_group(user, note.group_id)


@rule("events.delete_note")
def delete_note(user, note: GroupNote) -> bool:
    """Its author or an owner of the group, while a member."""
    return edit_note(user, note) or owns_group(user, note.group_id)
