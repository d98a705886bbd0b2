"""Plan pages; each module lists the URLs of its part."""

urlpatterns: list = []
