"""Grant pages under /grants/: each views module lists the URLs of its part of the cycle."""

from .views import applications, programmes, reviews

app_name = "grants"

urlpatterns = [*programmes.urlpatterns, *applications.urlpatterns, *reviews.urlpatterns]
