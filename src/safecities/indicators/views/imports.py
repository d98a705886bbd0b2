"""Indicator pages: imports."""

urlpatterns: list = []
