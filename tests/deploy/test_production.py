"""The deployment of docs/deploy.md, exercised for real and step by step: the package is built
as a wheel from the checkout (after `npm run build`) and installed, not editable, into a fresh
virtual environment; then, from a folder that is not the checkout and with production
settings: migrate, collectstatic, `check --deploy`, the demo network, and gunicorn serving pages
and static files through WhiteNoise, asked with the `Host` and `X-Forwarded-Proto` headers the
proxy sends. On the PostgreSQL run of CI this runs against PostgreSQL.

Offline: the fresh environment sees the test environment's installed packages (a `.pth` file,
like `--system-site-packages` for a virtual environment's parent), and the wheel is built without
build isolation, so nothing is downloaded; only safecities itself is installed there."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.deploy.databases import fresh_postgres_database

CHECKOUT = Path(__file__).resolve().parents[2]
HOST = "safecities.example.org"
PROXY = {"Host": HOST, "X-Forwarded-Proto": "https"}

pytestmark = pytest.mark.deploy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_checkout(to: Path, *, vendor: bool = True) -> Path:
    """The files a build reads, copied so builds never write into the checkout."""
    skip = ["__pycache__", "*.egg-info"] + ([] if vendor else ["vendor"])
    shutil.copytree(CHECKOUT / "src", to / "src", ignore=shutil.ignore_patterns(*skip))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(CHECKOUT / name, to / name)
    return to


def _build_wheel(source: Path, dist: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--wheel-dir", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        env=_clean_environ(),
    )


def _clean_environ() -> dict:
    """This process's environment without what points Python at the checkout or our settings."""
    drop = {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    drop |= {"DATABASE_URL", "SAFECITIES_VAR", "STATIC_ROOT", "MEDIA_ROOT", "SAFECITIES_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh virtual environment with safecities installed from its wheel."""
    root = tmp_path_factory.mktemp("deploy")
    dist = root / "dist"
    built = _build_wheel(_copy_checkout(root / "source"), dist)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("safecities-*.whl")

    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "shared-packages.pth").write_text("\n".join(sorted(shared)) + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install"]
        + ["--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        env=_clean_environ(),
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv


@pytest.fixture
def database_url(tmp_path):
    """A fresh database of the same engine the suite runs on."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'srv' / 'var' / 'safecities.sqlite3'}"
        return
    with fresh_postgres_database("safecities_deploy") as url:
        yield url


@pytest.fixture
def production_env(tmp_path, database_url):
    """Step 3 of docs/deploy.md; the data folder does not exist yet."""
    env = _clean_environ()
    env.update(
        SAFECITIES_ENV="production",
        SECRET_KEY="test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SITE_URL=f"https://{HOST}",
        DATABASE_URL=database_url,
        SAFECITIES_VAR=str(tmp_path / "srv" / "var"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


@pytest.fixture
def elsewhere(tmp_path):
    """The folder commands run from: neither the checkout nor the data folder."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _get(port: int, path: str, headers=PROXY):
    # A generous timeout: on a busy machine (CI runs two test workers beside gunicorn's two) the
    # first request, which loads Django in the gunicorn worker, can take more than ten seconds.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def test_missing_secret_key_is_a_clear_startup_error(venv, production_env, elsewhere):
    env = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [str(venv / "bin" / "safecities"), "check"],
        env=env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wheel_is_not_built_without_the_front_end_files(tmp_path):
    built = _build_wheel(_copy_checkout(tmp_path / "source", vendor=False), tmp_path / "dist")
    assert built.returncode != 0
    assert "The front-end files are not built" in built.stdout + built.stderr
    assert "npm ci && npm run build" in built.stdout + built.stderr
    assert not list(tmp_path.glob("dist/*.whl"))


def test_the_installed_package_serves_the_platform_in_production(venv, production_env, elsewhere):
    def safecities(*args):
        return subprocess.run(
            [str(venv / "bin" / "safecities"), *args],
            env=production_env,
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=600,
        )

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import safecities; print(safecities.__file__)"],
        env=production_env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), f"safecities is imported from {where}, not the wheel"

    for step in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        result = safecities(*step)
        assert result.returncode == 0, result.stdout + result.stderr
    check = safecities("check", "--deploy", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
    result = safecities("loaddemo", "--if-empty")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(elsewhere.iterdir()), "a command wrote into the folder it was started from"

    port = _free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "python"), "-m", "gunicorn", "safecities.wsgi"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"],
        env=production_env,
        cwd=elsewhere,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(port, "/")
                break
            except OSError:  # refused, reset or timed out: not up yet
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
                time.sleep(0.2)
        assert status == 200, body
        assert "Strict-Transport-Security" in headers
        assert "Stockholm" in _get(port, "/members/?country=SE")[2]
        stylesheets = {}
        for name in ("designsystemet", "designsystemet-theme"):
            css = re.search(rf'href="(/static/vendor/{name}\.[0-9a-f]{{12}}\.css)"', body)
            assert css, f"the page links no hashed (cache-busting) {name} stylesheet"
            status, headers, stylesheets[name] = _get(port, css.group(1))
            assert status == 200 and stylesheets[name].strip()
            assert "max-age" in headers.get("Cache-Control", "")
        assert ".ds-button" in stylesheets["designsystemet"]
        script = re.search(r'src="(/static/vendor/htmx\.min\.[0-9a-f]{12}\.js)"', body)
        assert script and _get(port, script.group(1))[0] == 200
        status, _h, api = _get(port, "/api/v1/network/municipalities?country=NO")
        assert status == 200 and '"Oslo"' in api
        # What the proxy must send: plain HTTP is redirected to HTTPS, an unknown host refused.
        status, headers, _b = _get(port, "/", headers={"Host": HOST})
        assert status == 301 and headers["Location"] == f"https://{HOST}/"
        assert (
            _get(port, "/", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})[0] == 400
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
