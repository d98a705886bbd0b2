"""Events pages under /events/; each module lists the URLs of its part."""

from . import attendance, calendar, detail, groups, organise

urlpatterns: list = [
    *calendar.urlpatterns,
    *attendance.urlpatterns,
    *organise.urlpatterns,
    *groups.urlpatterns,
    *detail.urlpatterns,
]
