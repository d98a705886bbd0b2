"""Events pages under /events/: the calendar, an event, organising it, registrations, the
calendar feeds and the small groups."""

from .views import urlpatterns as _urlpatterns

app_name = "events"

urlpatterns = [*_urlpatterns]
