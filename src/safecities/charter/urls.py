from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("charter/vocabularies/", views.vocabularies, name="vocabularies"),
    path("charter/vocabularies/<str:vocabulary>/new/", views.term_create, name="term-create"),
    path("charter/terms/<int:pk>/edit/", views.term_edit, name="term-edit"),
]
