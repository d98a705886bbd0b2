"""Running an event: drafting and editing it, publishing, cancelling (with a confirmation), the
registrations with attendance, and closing it with its report. Every write goes through
`events.services`; who may do it is `events.permissions` ("events.create", "events.manage");
what the page offers is what `events.states` allows, as the services ask it too."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from safecities.core.confirm import confirm
from safecities.core.permissions import has_perm, permission_required
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services, states
from ..forms import TEXTS, CancelEventForm, CloseEventForm, EventForm
from ..models import Event

# A refusal naming a per-language text lands on its English field.
ON_TEXT_FIELDS = {name: f"{name}_en" for name in TEXTS}


def _event(request, pk: int) -> Event:
    return selectors.event_detail(pk)


@permission_required("events.create")
def event_create(request):
    form = EventForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form, on_field=ON_TEXT_FIELDS) as outcome:
            event = services.create_event(actor=request.user, data=form.service_data())
        if outcome.ok:
            messages.success(request, _("The event is saved as a draft. Publish it when ready."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": None})


@permission_required("events.manage", obj=_event)
def event_edit(request, pk: int):
    event = request.permission_object
    locked = not states.changeable(event)
    if request.method == "POST" and not locked:
        form = EventForm(request.POST, actor=request.user, event=event)
        if form.is_valid():
            with refusals(request, form, on_field=ON_TEXT_FIELDS) as outcome:
                services.update_event(actor=request.user, event=event, data=form.service_data())
            if outcome.ok:
                messages.success(request, _("The event is saved."))
                return redirect("events:detail", pk=event.pk)
    else:
        form = EventForm(initial=EventForm.initial_for(event), actor=request.user, event=event)
    return render(request, "events/form.html", {"form": form, "event": event, "locked": locked})


@permission_required("events.manage", obj=_event)
@refused_to("events:detail")
def event_publish(request, pk: int):
    event = request.permission_object
    return confirm(
        request,
        lambda: services.publish_event(actor=request.user, event=event),
        done=_("The event is published."),
        template="events/publish.html",
        context={"event": event, "may_publish": states.publishable(event, at=timezone.now())},
        then="events:detail",
        pk=event.pk,
    )


@permission_required("events.manage", obj=_event)
def event_cancel(request, pk: int):
    event = request.permission_object
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            services.cancel_event(
                actor=request.user, event=event, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(request, _("The event is cancelled; everyone signed up is told."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/cancel.html",
        {
            "event": event,
            "form": form,
            "cancellable": states.changeable(event),
            "signed_up": selectors.registered_count(event) + selectors.waiting_list(event).count(),
        },
    )


@permission_required("events.see_registrations", obj=_event)
@refused_to("events:registrations")
def event_registrations(request, pk: int):
    """The people registered and waiting; once the event has started, who came."""
    event = request.permission_object
    registrations = list(selectors.registrations_of(event))
    if request.method == "POST":
        chosen = set(request.POST.getlist("attended"))
        count = services.mark_attendance(
            actor=request.user,
            event=event,
            attendance={r: str(r.pk) in chosen for r in registrations},
        )
        messages.success(
            request,
            _("Attendance is saved: %(count)d attended.") % {"count": count},
        )
        return redirect("events:registrations", pk=event.pk)
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "registrations": registrations,
            "waiting": selectors.waiting_list(event),
            "may_mark": states.attendance_markable(event, at=timezone.now()),
        },
    )


@permission_required("events.manage", obj=_event)
def event_close(request, pk: int):
    event = request.permission_object
    form = CloseEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form) as outcome:
            services.close_event(
                actor=request.user,
                event=event,
                report=data["report"],
                follow_ups=data["follow_ups"],
                practices=list(data["practices"]),
            )
        if outcome.ok:
            messages.success(request, _("The event is closed and its report kept."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/close.html",
        {
            "event": event,
            "form": form,
            "closable": states.closable(event, at=timezone.now()),
            "attended": selectors.attended_count(event),
            "may_see_registrations": has_perm(request.user, "events.see_registrations", event),
        },
    )


urlpatterns = [
    path("new/", event_create, name="create"),
    path("<int:pk>/edit/", event_edit, name="edit"),
    path("<int:pk>/publish/", event_publish, name="publish"),
    path("<int:pk>/cancel/", event_cancel, name="cancel"),
    path("<int:pk>/registrations/", event_registrations, name="registrations"),
    path("<int:pk>/close/", event_close, name="close"),
]
