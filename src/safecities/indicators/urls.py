"""Indicator pages under /indicators/: definitions, dashboards and the import wizard; each views
module lists its own URLs."""

from .views import dashboards, imports, pages

app_name = "indicators"

urlpatterns = [
    *imports.urlpatterns,
    *dashboards.urlpatterns,
    *pages.urlpatterns,
]
