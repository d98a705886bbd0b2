"""One place for the data: the database and SAFECITIES_VAR do not depend on the folder a command
is started from; only `safecities migrate` creates a SQLite database (and its folder); every
other command refuses, in one line, to run on one that is not there, and creates nothing.

Through the real `safecities` command in a fresh interpreter, started from another folder."""

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
    "SAFECITIES_VAR",
    "STATIC_ROOT",
    "MEDIA_ROOT",
}
SAFECITIES = [sys.executable, "-m", "safecities.cli"]


def run(args, *, cwd: Path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(CHECKOUT / "src"), os.environ.get("PYTHONPATH")) if p
    )
    environ.update(DJANGO_SETTINGS_MODULE="safecities.settings", **env)
    return subprocess.run(args, env=environ, cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture
def elsewhere(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_default_data_folder_is_the_checkouts_wherever_a_command_starts(elsewhere):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.VAR_DIR); print(settings.DATABASES['default']['NAME']); "
        "print(settings.STATIC_ROOT); print(settings.MEDIA_ROOT)"
    )
    result = run([sys.executable, "-c", code], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    var = CHECKOUT / "var"
    assert result.stdout.split() == [
        str(var),
        str(var / "safecities.sqlite3"),
        str(var / "static"),
        str(var / "media"),
    ]


def test_a_missing_database_is_created_only_by_migrate(tmp_path, elsewhere):
    var = tmp_path / "not" / "yet" / "var"
    database = var / "safecities.sqlite3"
    # The backup of the cron line, before the database exists: one line, nothing created.
    backup = run([*SAFECITIES, "backup", "--quiet"], cwd=elsewhere, SAFECITIES_VAR=str(var))
    assert backup.returncode != 0
    line = one_line(backup)
    assert str(database) in line and "does not exist" in line and "safecities migrate" in line
    assert not (tmp_path / "not").exists()
    assert not list(elsewhere.iterdir())

    # migrate makes the folder and the database, there and not where it was started.
    migrate = run([*SAFECITIES, "migrate", "--no-input"], cwd=elsewhere, SAFECITIES_VAR=str(var))
    assert migrate.returncode == 0, migrate.stderr
    assert database.is_file()
    assert not list(elsewhere.iterdir())

    backup = run(
        [*SAFECITIES, "backup", "--quiet", "--output", str(tmp_path / "backup.zip")],
        cwd=elsewhere,
        SAFECITIES_VAR=str(var),
    )
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "backup.zip").is_file()
    assert not list(elsewhere.iterdir())


def test_an_empty_database_file_is_refused(tmp_path, elsewhere):
    """What a stray command of an older version left behind: a file with no tables."""
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    result = run([*SAFECITIES, "remindreports"], cwd=elsewhere, DATABASE_URL=f"sqlite:///{empty}")
    assert result.returncode != 0
    assert "is empty" in one_line(result)
    assert empty.stat().st_size == 0


def test_the_web_server_refuses_a_missing_database(tmp_path, elsewhere):
    result = run(
        [sys.executable, "-c", "import safecities.wsgi"],
        cwd=elsewhere,
        SAFECITIES_VAR=str(tmp_path / "var"),
    )
    assert result.returncode != 0
    assert "does not exist" in result.stderr and "safecities migrate" in result.stderr
    assert not (tmp_path / "var" / "safecities.sqlite3").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SAFECITIES_VAR": "var"}, "SAFECITIES_VAR must be an absolute path, not 'var'"),
        ({"MEDIA_ROOT": "media"}, "MEDIA_ROOT must be an absolute path"),
        ({"DATABASE_URL": "sqlite:///var/x.sqlite3"}, "by a relative path"),
        (
            {"SAFECITIES_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "x.test"},
            "SAFECITIES_VAR is not set",
        ),
    ],
)
def test_a_data_folder_that_depends_on_the_working_folder_is_refused(elsewhere, env, message):
    result = run([*SAFECITIES, "check"], cwd=elsewhere, **env)
    assert result.returncode != 0
    assert message in one_line(result)
    assert not list(elsewhere.iterdir())
