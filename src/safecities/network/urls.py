from django.urls import path

from . import setup_views, views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("members/", views.directory, name="directory"),
    path("people/", views.people, name="people"),
    path("cities/<slug:slug>/", views.municipality_detail, name="municipality"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("membership/", views.apply, name="apply"),
    path("membership/apply/city/", views.apply_city, name="apply-city"),
    path("membership/apply/organisation/", views.apply_organisation, name="apply-organisation"),
    path("membership/apply/individual/", views.apply_individual, name="apply-individual"),
    path("membership/applications/", views.applications, name="applications"),
    path(
        "membership/applications/<int:pk>/",
        views.application_detail,
        name="application-detail",
    ),
    path(
        "membership/applications/<int:pk>/decision.pdf",
        views.application_document,
        name="application-document",
    ),
    path(
        "membership/applications/<int:pk>/approve/",
        views.application_approve,
        name="application-approve",
    ),
    path(
        "membership/applications/<int:pk>/decline/",
        views.application_decline,
        name="application-decline",
    ),
    path(
        "membership/applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application-withdraw",
    ),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("accounts/profile/", views.profile, name="profile"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    *setup_views.urlpatterns,
]
