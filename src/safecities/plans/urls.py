"""Plan pages under /plans/: a city's action plans, their measures and progress, the network
template and the effect page."""

from .views import urlpatterns as _urlpatterns

app_name = "plans"

urlpatterns = [*_urlpatterns]
