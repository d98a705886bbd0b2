"""Report pages under /reports/."""

from .views import urlpatterns as _urlpatterns

app_name = "reports"

urlpatterns = [*_urlpatterns]
