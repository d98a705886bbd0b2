"""The small closed groups: one's groups, a group's page (members, meetings, notes) and its
note form, for the group's members alone; its owners add and remove members and schedule
meetings. Notes are under the Chatham House rule: no other role reaches them (403), and every
page that shows a note is sent `Cache-Control: private, no-store` so no cache keeps it."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.permissions import has_perm, login_required, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services
from ..forms import GroupForm, MeetingForm, MemberForm, NoteForm
from ..models import Group, GroupNote


def private(view):
    """Notes pages: never stored by a browser or a proxy."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _group(request, pk: int, **_kwargs) -> Group:
    return selectors.group_detail(pk)


def _note(request, pk: int) -> GroupNote:
    return selectors.note_detail(pk)


@login_required
def my_groups(request):
    return render(
        request,
        "events/groups.html",
        {
            "groups": selectors.groups_of(request.user),
            "may_create": has_perm(request.user, "events.create_group"),
        },
    )


@permission_required("events.create_group")
def group_create(request):
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members", ())
        with refusals(request, form) as outcome:
            group = services.create_group(actor=request.user, data=data, members=members)
        if outcome.ok:
            messages.success(request, _("The group is made; add its members."))
            return redirect("events:group", pk=group.pk)
    return render(request, "events/group_form.html", {"form": form})


@permission_required("events.manage_group", obj=_group)
def group_edit(request, pk: int):
    group = request.permission_object
    initial = {n: getattr(group, n) for n in ("name", "description", "notes_retention_days")}
    form = GroupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.update_group(actor=request.user, group=group, data=form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("The group is saved."))
            return redirect("events:group", pk=group.pk)
    return render(request, "events/group_form.html", {"form": form, "group": group})


def _group_context(request, group: Group, note_form: NoteForm | None = None) -> dict:
    user = request.user
    return {
        "group": group,
        "memberships": selectors.group_members(group, user=user),
        "meetings": selectors.group_meetings(group, user=user),
        "notes": selectors.notes_for(group, user=user),
        "note_form": note_form or NoteForm(group=group),
        "may_manage": has_perm(user, "events.manage_group", group),
    }


@private
@permission_required("events.read_notes", obj=_group)
def group_detail(request, pk: int):
    group = request.permission_object
    return render(request, "events/group.html", _group_context(request, group))


@private
@permission_required("events.write_note", obj=_group)
def note_create(request, pk: int):
    group = request.permission_object
    form = NoteForm(request.POST if request.method == "POST" else None, group=group)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.write_note(
                actor=request.user,
                group=group,
                text=form.cleaned_data["text"],
                meeting=form.cleaned_data.get("meeting"),
            )
        if outcome.ok:
            messages.success(request, _("The note is kept for the group."))
            return redirect("events:group", pk=group.pk)
    return render(request, "events/note_form.html", {"group": group, "form": form, "note": None})


@private
@permission_required("events.edit_note", obj=_note)
def note_edit(request, pk: int):
    note = request.permission_object
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        group=note.group,
        initial={"text": note.text, "meeting": note.meeting},
    )
    del form.fields["meeting"]  # a note stays with its meeting
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.edit_note(actor=request.user, note=note, text=form.cleaned_data["text"])
        if outcome.ok:
            messages.success(request, _("The note is saved."))
            return redirect("events:group", pk=note.group_id)
    return render(
        request, "events/note_form.html", {"group": note.group, "form": form, "note": note}
    )


@private
@permission_required("events.delete_note", obj=_note)
def note_delete(request, pk: int):
    note = request.permission_object
    return confirm(
        request,
        lambda: services.delete_note(actor=request.user, note=note),
        done=_("The note is deleted."),
        template="events/note_delete.html",
        context={"note": note, "group": note.group},
        then="events:group",
        pk=note.group_id,
    )


@permission_required("events.manage_group", obj=_group)
def member_add(request, pk: int):
    group = request.permission_object
    form = MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form, on_field={"user": "email"}) as outcome:
            services.add_group_member(
                actor=request.user,
                group=group,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        if outcome.ok:
            messages.success(request, _("The member is added."))
            return redirect("events:group", pk=group.pk)
    return render(request, "events/member_add.html", {"group": group, "form": form})


@permission_required("events.read_notes", obj=_group)
@refused_to("events:group", pk="pk")
def member_remove(request, pk: int, user_pk: int):
    """An owner takes someone out, or a member leaves the group, after a confirmation."""
    group = request.permission_object
    membership = selectors.group_membership(group, user=request.user, member_pk=user_pk)
    if membership is None or not has_perm(request.user, "events.remove_member", membership):
        raise PermissionDenied
    leaving = membership.user_id == request.user.pk
    if request.method == "POST":
        services.remove_group_member(actor=request.user, group=group, user=membership.user)
        if leaving:
            messages.success(request, _("You have left the group."))
            return redirect("events:groups")
        messages.success(request, _("The member is taken out of the group."))
        return redirect("events:group", pk=group.pk)
    return render(
        request,
        "events/member_remove.html",
        {"group": group, "membership": membership, "leaving": leaving},
    )


@permission_required("events.manage_group", obj=_group)
def meeting_create(request, pk: int):
    group = request.permission_object
    form = MeetingForm(request.POST if request.method == "POST" else None, group=group)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.schedule_group_meeting(
                actor=request.user,
                group=group,
                date=form.cleaned_data["date"],
                event=form.cleaned_data.get("event"),
            )
        if outcome.ok:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("events:group", pk=group.pk)
    return render(request, "events/meeting_form.html", {"group": group, "form": form})


urlpatterns = [
    path("groups/", my_groups, name="groups"),
    path("groups/new/", group_create, name="group-create"),
    path("groups/<int:pk>/", group_detail, name="group"),
    path("groups/<int:pk>/edit/", group_edit, name="group-edit"),
    path("groups/<int:pk>/notes/new/", note_create, name="note-create"),
    path("groups/<int:pk>/members/add/", member_add, name="member-add"),
    path("groups/<int:pk>/members/<int:user_pk>/remove/", member_remove, name="member-remove"),
    path("groups/<int:pk>/meetings/new/", meeting_create, name="meeting-create"),
    path("notes/<int:pk>/edit/", note_edit, name="note-edit"),
    path("notes/<int:pk>/delete/", note_delete, name="note-delete"),
]
