"""Django's admin is not part of the platform (docs/decisions/0005-django-admin.md): every write
goes through a service, its workflow and its audit row."""

import importlib.util

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import Resolver404, resolve


def test_the_admin_is_not_installed():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not apps.is_installed("django.contrib.admin")


def test_no_app_has_model_admins():
    ours = [c.name for c in apps.get_app_configs() if c.name.startswith("safecities.")]
    assert ours
    assert [name for name in ours if importlib.util.find_spec(f"{name}.admin")] == []


@pytest.mark.django_db
def test_no_address_serves_the_admin(client, django_user_model):
    for path in ("/admin/", "/admin/login/", "/admin/core/user/"):
        with pytest.raises(Resolver404):
            resolve(path)
    assert client.get("/admin/").status_code == 404
    member = django_user_model.objects.create_user(
        email="reader-of-admin@example.org", password="x" * 16
    )
    client.force_login(member)
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/core/user/").status_code == 404
