"""The project's URLs plus one view that fails, to see the 500 page as a visitor would.

The view asks the database first; the tests that use it run without database access, so the
page Django answers with is the one made when the database is out of reach.
"""

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


urlpatterns = [path("fails/", fails), *project_urlpatterns]
