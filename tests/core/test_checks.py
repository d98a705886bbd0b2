"""Our system checks: the front-end files every page links are there, and collected."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from safecities.core.checks import VENDOR_FILES, vendor_files_collected, vendor_files_present

MANIFEST = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
}


@pytest.fixture
def static_without_vendor(tmp_path):
    """What an installed package built before `npm run build` held: our own stylesheet only."""
    (tmp_path / "static" / "safecities").mkdir(parents=True)
    (tmp_path / "static" / "safecities" / "site.css").write_text("body {}")
    return tmp_path / "static"


def test_the_checkout_has_its_vendor_files():
    assert vendor_files_present() == []


@pytest.mark.parametrize(("production", "level", "id"), [(True, 40, "E001"), (False, 30, "W001")])
def test_missing_vendor_files_are_reported(static_without_vendor, production, level, id):
    with override_settings(STATICFILES_DIRS=[static_without_vendor], PRODUCTION=production):
        (message,) = vendor_files_present()
    assert message.id == f"safecities.{id}" and message.level == level
    assert all(name in message.msg for name in VENDOR_FILES)
    assert "npm ci && npm run build" in message.hint


def test_collectstatic_refuses_in_production_without_the_vendor_files(
    static_without_vendor, tmp_path
):
    with (
        override_settings(
            STATICFILES_DIRS=[static_without_vendor],
            STATIC_ROOT=tmp_path / "collected",
            PRODUCTION=True,
        ),
        pytest.raises(SystemCheckError, match="safecities.E001"),
    ):
        call_command("collectstatic", interactive=False, verbosity=0, skip_checks=False)
    assert not (tmp_path / "collected").exists()


def test_no_manifest_is_reported(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, **MANIFEST):
        (message,) = vendor_files_collected()
    assert message.id == "safecities.E002" and "collectstatic" in message.hint


def test_a_manifest_without_the_vendor_files_is_reported(tmp_path):
    paths = {"safecities/site.css": "safecities/site.0123456789ab.css"}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": paths}))
    with override_settings(STATIC_ROOT=tmp_path, **MANIFEST):
        (message,) = vendor_files_collected()
    assert message.id == "safecities.E003"
    assert all(name in message.msg for name in VENDOR_FILES)


def test_a_complete_manifest_passes(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path / "collected", **MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0)
        assert vendor_files_collected() == []


def test_development_storage_has_no_manifest_to_check():
    assert vendor_files_collected() == []
