"""Grant pages: reviews."""

urlpatterns: list = []
