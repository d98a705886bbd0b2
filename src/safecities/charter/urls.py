from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("charter/vocabularies/", views.vocabularies, name="vocabularies"),
    path("charter/vocabularies/<str:vocabulary>/new/", views.term_create, name="term-create"),
    path("charter/terms/<int:pk>/edit/", views.term_edit, name="term-edit"),
    path("setup/charter/", views.setup, name="setup"),
    path("setup/charter/goals/new/", views.goal_form, name="goal-create"),
    path("setup/charter/goals/<int:pk>/edit/", views.goal_form, name="goal-edit"),
    path("setup/charter/versions/new/", views.version_form, name="version-create"),
    path("setup/charter/versions/<int:pk>/edit/", views.version_form, name="version-edit"),
]
