"""Knowledge bank pages under /practices/: search, practices, their workflow, publications."""

from .views import urlpatterns as _urlpatterns

app_name = "practices"

urlpatterns = [*_urlpatterns]
