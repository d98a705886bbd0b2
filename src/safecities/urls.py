from django.urls import include, path
from django.views.i18n import set_language

from safecities.api.api import api
from safecities.core.permissions import public

# A database still locked past the busy timeout is answered 503 "try again" (core.middleware).
handler500 = "safecities.core.middleware.server_error"

# Uploaded files are never served from /media/: each is served by a view that asks its
# permission rule (e.g. a council decision only to the applicant and the secretariat).
urlpatterns = [
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("", include("safecities.core.urls")),
    path("", include("safecities.network.urls")),
    path("", include("safecities.charter.urls")),
    path("grants/", include("safecities.grants.urls")),
    path("plans/", include("safecities.plans.urls")),
    path("practices/", include("safecities.practices.urls")),
    path("events/", include("safecities.events.urls")),
    path("open-data/", include("safecities.opendata.urls")),
    path("reports/", include("safecities.reports.urls")),
    path("indicators/", include("safecities.indicators.urls")),
]
