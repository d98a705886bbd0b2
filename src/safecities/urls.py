from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from safecities.api.api import api
from safecities.core.permissions import public

urlpatterns = [
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("", include("safecities.core.urls")),
    path("", include("safecities.network.urls")),
    path("", include("safecities.charter.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
