"""Grant pages: programmes."""

urlpatterns: list = []
