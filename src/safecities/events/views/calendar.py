"""The calendar: the events a reader may see as a list (filters, order, pages) or as a month
grid; one's own registrations; the calendar feeds (the public one, and one's private addresses
with their tokens)."""

import calendar as cal
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safecities.core.paging import paginate
from safecities.core.permissions import has_perm, login_required, public
from safecities.core.refusals import refusals, refused_to

from .. import selectors, services
from ..forms import CalendarFilterForm
from .tables import list_rows, month_rows

PUBLIC_FEED = "/api/v1/events.ics"  # served by the API (`safecities.api.events`)


def personal_feed_path(raw: str) -> str:
    return f"/api/v1/events/feed/{raw}.ics"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min).replace(tzinfo=timezone.get_current_timezone())


def _month(value: str | None) -> tuple[date, bool]:
    """(first day of the month asked for, whether the value was understood)."""
    today = timezone.localdate()
    if not value:
        return today.replace(day=1), True
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1), 1900 <= year <= 2200
    except (TypeError, ValueError):
        return today.replace(day=1), False


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _filters(form: CalendarFilterForm) -> dict:
    form.is_valid()  # the valid filters apply; the others are shown with their error
    data = form.cleaned_data
    return {
        "types": data.get("type") or (),
        "country": data.get("country") or "",
        "city": data.get("city") or "",
        "goal": data.get("goal") or "",
        "audience": data.get("audience") or "",
        "sort": data.get("sort") or "starts",
    }


@public
def event_list(request):
    """Upcoming events (from ?since=), or a month grid with ?view=month&month=YYYY-MM."""
    form = CalendarFilterForm(request.GET)
    filters = _filters(form)
    data = form.cleaned_data
    context = {
        "form": form,
        "public_feed": PUBLIC_FEED,
        "may_create": has_perm(request.user, "events.create"),
        "filtered": any(v for k, v in filters.items() if k != "sort")
        or bool(data.get("since") or data.get("until")),
    }
    if request.GET.get("view") == "month":
        first, understood = _month(request.GET.get("month"))
        if not understood:
            messages.error(
                request, _("Month: give it as year and month, e.g. 2026-05. This month is shown.")
            )
        last = _shift(first, 1)
        events = list(
            selectors.calendar_events(
                request.user, since=_start_of(first), until=_start_of(last), **filters
            )
        )
        by_day: dict[date, list] = {}
        for event in events:
            local = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone))
            event.clock = local.strftime("%H:%M")  # its start in its own zone, as "H:i" writes it
            by_day.setdefault(local.date(), []).append(event)
        weeks = [
            [(day, day.month == first.month, by_day.get(day, [])) for day in week]
            for week in cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        ]
        params = request.GET.copy()
        for name in ("month", "page"):
            params.pop(name, None)
        context |= {
            "month": first,
            "weeks": weeks,
            "month_rows": month_rows(weeks),
            "weekdays": [date(2024, 1, 1) + timedelta(days=i) for i in range(7)],  # a Monday
            "previous": _shift(first, -1),
            "next": _shift(first, 1),
            "month_query": params.urlencode(),
            "count": len(events),
        }
        return render(request, "events/month.html", context)
    since = data.get("since")
    until = data.get("until")
    events = selectors.calendar_events(
        request.user,
        since=_start_of(since) if since else timezone.now(),
        until=_start_of(until + timedelta(days=1)) if until else None,
        **filters,
    )
    page, query = paginate(request, events, per_page=20)
    params = request.GET.copy()
    params.pop("page", None)
    params["view"] = "month"
    context |= {
        "page": page,
        "list_rows": list_rows(page.object_list),
        "query": query,
        "month_link": params.urlencode(),
    }
    return render(request, "events/list.html", context)


@login_required
def my_registrations(request):
    page, query = paginate(request, selectors.registrations_for(request.user))
    return render(request, "events/mine.html", {"page": page, "query": query})


@login_required
def feeds(request):
    """One's private calendar addresses: make one (shown once), revoke one."""
    raw = None
    if request.method == "POST":
        with refusals(request):
            _token, raw = services.create_feed_token(actor=request.user)
    return render(
        request,
        "events/feeds.html",
        {
            "tokens": selectors.feed_tokens_of(request.user),
            "raw": raw,
            "personal_url": request.build_absolute_uri(personal_feed_path(raw)) if raw else "",
            "public_url": request.build_absolute_uri(PUBLIC_FEED),
        },
    )


@login_required
@require_POST
@refused_to(lambda request, pk: "events:feeds")
def feed_revoke(request, pk: int):
    token = selectors.feed_token_of(request.user, pk=pk)
    services.revoke_feed_token(actor=request.user, token=token)
    messages.success(request, _("The calendar address is revoked: it no longer opens."))
    return redirect("events:feeds")


urlpatterns = [
    path("", event_list, name="list"),
    path("mine/", my_registrations, name="mine"),
    path("feeds/", feeds, name="feeds"),
    path("feeds/<int:pk>/revoke/", feed_revoke, name="feed-revoke"),
]
