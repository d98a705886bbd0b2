"""The deployment of docs/deploy.md, exercised for real: production settings, migrate,
collectstatic, `check --deploy`, the demo network and gunicorn serving pages and static files
through WhiteNoise. On the PostgreSQL run of CI this runs against PostgreSQL."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.deploy

BIN = Path(sys.executable).parent
SAFECITIES = [str(BIN / "safecities")]
HTTPS = {"X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """A fresh database of the same engine the suite runs on."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    import psycopg

    name = f"safecities_deploy_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def production_env(tmp_path, database_url):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        SAFECITIES_ENV="production",
        SECRET_KEY="test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SAFECITIES_VAR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def _run(args, env, **kw):
    return subprocess.run(
        SAFECITIES + args, env=env, capture_output=True, text=True, timeout=300, **kw
    )


def _get(url: str):
    # A generous timeout: on a busy machine (CI runs two test workers beside gunicorn's two) the
    # first request, which loads Django in the gunicorn worker, can take more than ten seconds.
    request = urllib.request.Request(url, headers=HTTPS)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — loopback
        return response.status, dict(response.headers), response.read().decode()


def test_missing_secret_key_is_a_clear_startup_error(production_env):
    env = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_gunicorn_serves_the_platform_in_production_mode(production_env):
    for step in (
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input"],
        ["loaddemo", "--if-empty"],
    ):
        result = _run(step, production_env)
        assert result.returncode == 0, result.stderr
    check = _run(["check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout

    port = _free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "safecities.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        env=production_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = _get(base + "/")
                break
            except OSError:  # refused, reset or timed out (URLError is an OSError): not up yet
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
                time.sleep(0.2)
        assert status == 200
        assert "Stockholm" in _get(base + "/members/?country=SE")[2]
        assert "Strict-Transport-Security" in headers
        css = re.search(r'href="(/static/vendor/designsystemet\.[0-9a-f]{12}\.css)"', body)
        assert css, "the page links no hashed (cache-busting) Designsystemet stylesheet"
        status, headers, text = _get(base + css.group(1))
        assert status == 200 and ".ds-button" in text
        assert "max-age" in headers.get("Cache-Control", "")
        status, _h, api = _get(base + "/api/v1/network/municipalities?country=NO")
        assert status == 200 and '"Oslo"' in api
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
