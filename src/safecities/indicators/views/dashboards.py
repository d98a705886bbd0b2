"""Indicator pages: dashboards."""

urlpatterns: list = []
