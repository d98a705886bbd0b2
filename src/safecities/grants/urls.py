"""Grant pages under /grants/: each views module lists the URLs of its part of the cycle."""

from .views import (
    agreements,
    applications,
    awards,
    changes,
    grantee_reports,
    lines,
    pack_files,
    partners,
    programmes,
    reviews,
)

app_name = "grants"

urlpatterns = [
    *programmes.urlpatterns,
    *lines.urlpatterns,
    *applications.urlpatterns,
    *partners.urlpatterns,
    *grantee_reports.urlpatterns,
    *reviews.urlpatterns,
    *pack_files.urlpatterns,
    *awards.urlpatterns,
    *agreements.urlpatterns,
    *changes.urlpatterns,
]
