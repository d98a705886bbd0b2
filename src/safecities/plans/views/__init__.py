"""Plan pages; each module lists the URLs of its part."""

from . import adopt_practice, effect, measures, plans

urlpatterns: list = [
    *plans.urlpatterns,
    *measures.urlpatterns,
    *effect.urlpatterns,
    *adopt_practice.urlpatterns,
]
