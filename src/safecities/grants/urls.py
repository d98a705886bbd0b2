"""Grant pages under /grants/: each views module lists the URLs of its part of the cycle."""

from .views import applications, awards, programmes, reviews

app_name = "grants"

urlpatterns = [
    *programmes.urlpatterns,
    *applications.urlpatterns,
    *reviews.urlpatterns,
    *awards.urlpatterns,
]
