"""Plan pages; each module lists the URLs of its part."""

from . import effect, measures, plans

urlpatterns: list = [*plans.urlpatterns, *measures.urlpatterns, *effect.urlpatterns]
