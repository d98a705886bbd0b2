"""Production settings: refuse to start without a secret, and pass Django's deployment checks.

Each case runs in a fresh interpreter so the settings of this test process stay untouched."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]

SETTING_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SAFECITIES_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DATABASE_URL",
    "EMAIL_BACKEND",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}


def run(code_or_args, *, tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    environ.update(
        DJANGO_SETTINGS_MODULE="safecities.settings",
        # This checkout's code, also from another folder.
        PYTHONPATH=os.pathsep.join(
            p for p in (str(CHECKOUT / "src"), os.environ.get("PYTHONPATH")) if p
        ),
        SAFECITIES_VAR=str(tmp_path / "var"),
        **env,
    )
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args],
        env=environ,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run(SETUP, tmp_path=tmp_path, SAFECITIES_ENV="production", ALLOWED_HOSTS="x.example")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "SAFECITIES_ENV=production" in result.stderr


def test_an_unknown_environment_is_refused(tmp_path):
    result = run(SETUP, tmp_path=tmp_path, SAFECITIES_ENV="staging")
    assert result.returncode != 0
    assert "SAFECITIES_ENV must be 'development' or 'production'" in result.stderr


def test_development_starts_without_a_secret_key(tmp_path):
    result = run(SETUP, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_turns_debug_off_even_if_asked(tmp_path):
    result = run(
        SETUP,
        tmp_path=tmp_path,
        SAFECITIES_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="safecities.example",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("secret", ["a" * 30 + "-Some-Long-Random-Value-0123456789-xyz"])
def test_production_passes_the_deployment_checks_once_static_files_are_collected(tmp_path, secret):
    production = dict(
        SAFECITIES_ENV="production", SECRET_KEY=secret, ALLOWED_HOSTS="safecities.example"
    )
    check = ["-m", "safecities.cli", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(check, tmp_path=tmp_path, **production)
    assert result.returncode != 0
    assert "safecities.E002" in result.stderr and "collectstatic" in result.stderr

    collect = run(
        ["-m", "safecities.cli", "collectstatic", "--no-input"], tmp_path=tmp_path, **production
    )
    assert collect.returncode == 0, collect.stderr
    result = run(check, tmp_path=tmp_path, **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
