"""The project's URLs plus a view that fails and one that refuses, to see the 500 and 403 pages
as a visitor would.

The view asks the database first; the tests that use it run without database access, so the
page Django answers with is the one made when the database is out of reach.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path

from safecities.core.models import User
from safecities.core.permissions import public
from safecities.urls import handler500
from safecities.urls import urlpatterns as project_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@public
def fails(request):
    User.objects.count()  # refused: the database is out of reach in these tests
    raise AssertionError("the database answered")


REASON = "Only the group's members see this. <script>alert(1)</script>"


@public
def refuses(request):
    raise PermissionDenied(REASON)


urlpatterns = [path("fails/", fails), path("refuses/", refuses), *project_urlpatterns]
