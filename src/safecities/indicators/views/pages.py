"""Indicator pages: pages."""

urlpatterns: list = []
