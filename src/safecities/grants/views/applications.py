"""Grant pages: applications."""

urlpatterns: list = []
