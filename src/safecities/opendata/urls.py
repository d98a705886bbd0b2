"""Open data under /open-data/: the page, the ZIP, `datapackage.json` and each file."""

from django.urls import path

from . import package, views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path(package.ZIP_NAME, views.zip_file, name="zip"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("<slug:dataset>/<str:filename>", views.download, name="download"),
]
