"""Knowledge bank pages; each module lists the URLs of its part."""

from . import pages, workflow

urlpatterns: list = [*pages.urlpatterns, *workflow.urlpatterns]
