"""An event as its readers see it: texts in their language, times in the event's time zone,
places left, the online link for the people registered; signing up (with needs), cancelling
one's registration, the waiting list, and the event's `.ics`.

An event a reader may not see does not exist for them (404, `permissions.can_view`). What the
page offers is what the services allow: both ask `events.states`."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safecities.core.i18n import translated_with_language
from safecities.core.markdown import render as markdown
from safecities.core.permissions import has_perm, login_required, permission_required, public
from safecities.core.refusals import refusals, refused_to

from .. import ics, permissions, selectors, services, states
from ..forms import RegistrationForm
from ..models import Event

LANGUAGE_NAMES = dict(settings.TRANSLATED_LANGUAGE_NAMES)


def visible_event(request, pk: int) -> Event:
    event = selectors.event_detail(pk)
    if not permissions.can_view(request.user, event):
        raise Http404(_("No such event."))
    return event


def _visible(request, pk: int) -> Event:
    return visible_event(request, pk)


def local(event: Event, moment):
    return timezone.localtime(moment, ZoneInfo(event.time_zone)) if moment else None


def registration_state(event: Event, user) -> dict:
    """What the page says about signing up: the reader's registration, the window, places."""
    registration = selectors.registration_of(event, user=user)
    opens, closes = states.registration_window(event)
    open_now = states.registration_open(event, at=timezone.now())
    return {
        "registration": registration,
        "has_place": registration is not None and states.has_place(registration),
        "may_unregister": registration is not None and states.cancellable(registration),
        "waiting_position": selectors.waiting_position(registration) if registration else None,
        "opens": local(event, opens),
        "closes": local(event, closes),
        "open_now": open_now,
        "may_register": open_now
        and registration is None
        and has_perm(user, "events.register", event),
        "places_left": selectors.places_left(event),
        "registered_count": selectors.registered_count(event),
    }


@public
def event_detail(request, pk: int):
    event = visible_event(request, pk)
    user = request.user
    now = timezone.now()
    title, title_language = translated_with_language(event.title)
    description, description_language = translated_with_language(event.description)
    may_manage = has_perm(user, "events.manage", event)
    context = {
        "event": event,
        "title": title,
        "title_language": title_language,
        "description": markdown(description),
        "description_language": description_language,
        "page_language": (get_language() or "en").split("-")[0],
        "starts": local(event, event.starts_at),
        "ends": local(event, event.ends_at),
        "online_url": selectors.online_url_for(event, user=user),
        "spoken_languages": [LANGUAGE_NAMES.get(code, code) for code in event.languages],
        "may_manage": may_manage,
        "may_see_registrations": has_perm(user, "events.see_registrations", event),
        "may_publish": may_manage and states.publishable(event, at=now),
        "may_edit": may_manage and states.changeable(event),
        "may_close": may_manage and states.closable(event, at=now),
        "report": markdown(event.report),
        "follow_ups": markdown(event.follow_ups),
        "form": RegistrationForm(event=event),
    }
    context |= registration_state(event, user)
    return render(request, "events/detail.html", context)


@public
def event_ics(request, pk: int):
    """The event's calendar file; the online link only for those who may see it."""
    event = visible_event(request, pk)
    body = ics.event_calendar(
        event,
        include_online_url=permissions.can_see_online_url(request.user, event),
        language=(get_language() or "en").split("-")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@permission_required("events.register", obj=_visible)
def event_register(request, pk: int):
    event = request.permission_object
    form = RegistrationForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            registration = services.register(
                actor=request.user, event=event, needs=form.cleaned_data["needs"]
            )
        if outcome.ok:
            if states.has_place(registration):
                messages.success(request, _("You have a place. A confirmation is on its way."))
            else:
                messages.success(
                    request,
                    _(
                        "The event is full: you are on the waiting list. If a place frees up, "
                        "it is yours and we write to you."
                    ),
                )
            return redirect("events:detail", pk=event.pk)
    context = {"event": event, "form": form, "title": event.display_title}
    context |= registration_state(event, request.user)
    return render(request, "events/register.html", context)


@login_required
@refused_to("events:detail")
def event_unregister(request, pk: int):
    """Cancel one's own registration, after a confirmation."""
    event = visible_event(request, pk)
    registration = selectors.registration_of(event, user=request.user)
    if request.method == "POST" and registration is not None:
        services.cancel_registration(actor=request.user, registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/unregister.html",
        {
            "event": event,
            "registration": registration,
            "has_place": registration is not None and states.has_place(registration),
            "may_unregister": registration is not None and states.cancellable(registration),
            "title": event.display_title,
        },
    )


urlpatterns = [
    path("<int:pk>/", event_detail, name="detail"),
    path("<int:pk>/event.ics", event_ics, name="ics"),
    path("<int:pk>/register/", event_register, name="register"),
    path("<int:pk>/unregister/", event_unregister, name="unregister"),
]
