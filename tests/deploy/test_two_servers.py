"""More than one machine, as docs/deploy.md sets it up: two gunicorn servers and the background
worker on one PostgreSQL database, with uploaded files and built PDFs in S3-compatible object
storage (a moto server on loopback), each process with its own data folder, so nothing one
process keeps on its disk is seen by another. Asked with a real HTTP client, signed in through
the real login form: a file uploaded through one server is downloaded through the other; an
import started on one shows its progress and its result on the other; a PDF the worker built is
served by both.

Several servers share one database server, so this always runs on PostgreSQL: the suite's own
when the suite runs on it, or else a throwaway server the test starts (SQLite is one machine's
file)."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from tests.deploy.databases import postgres_database

CHECKOUT = Path(__file__).resolve().parents[2]
BUCKET = "safecities-files"
PASSWORD = "safecities-demo"  # the demo logins' (`safecities demologins`)
STARTUP = 60  # seconds a process may take to start on a busy machine

pytestmark = pytest.mark.deploy

# The network, its people and an indicator to import, made through the demo loader and the
# services; and a draft practice of the coordinator's to attach a file to.
SETUP = """
import json
from django.db import transaction
from safecities.charter.models import Goal
from safecities.core.models import User
from safecities.demo.loader import Loader
from safecities.indicators import services as indicators
from safecities.practices import services as practices

loader = Loader()
with transaction.atomic():
    loader.network()
    loader.charter()
    loader.memberships()
    loader.people()
secretariat = User.objects.get(email="secretariat@example.org")
coordinator = User.objects.get(email="coordinator@example.org")
indicator = indicators.create_indicator(
    actor=secretariat,
    code="hate-crime-reports",
    name={"en": "Hate crime reported to the police"},
    description={"en": "Reports of hate crime, per year."},
    kind="outcome",
    unit_type="count",
    better="lower",
    source="police",
    period_type="year",
)
practice = practices.create_practice(
    actor=coordinator,
    data={
        "language": "en",
        "title": "Youth workers on the night bus",
        "summary": "Youth workers ride the late buses on Fridays.",
        "goals": list(Goal.objects.order_by("pk")[:1]),
    },
)
print(json.dumps({"indicator": indicator.pk, "practice": practice.pk}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(ready, what: str, *, timeout: float = STARTUP, alive=()):
    """Ask `ready()` again, a tenth of a second apart, until it returns something true; fail
    after `timeout` seconds, or at once when one of the processes `alive` has ended."""
    deadline = time.monotonic() + timeout
    while True:
        result = ready()
        if result:
            return result
        for process in alive:
            assert process.poll() is None, f"{process.args[:3]} ended: {_log(process)}"
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.1)


def _log(process) -> str:
    return Path(process.log).read_text(errors="replace")[-4000:]


def _stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def s3():
    """A moto S3 server on a loopback port with an empty bucket."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="deploy-test",
        aws_secret_access_key="deploy-test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture(scope="module")
def database_url():
    """A fresh PostgreSQL database, dropped after: beside the suite's on PostgreSQL, on a server
    of the test's own when the suite runs on SQLite."""
    with postgres_database("safecities_servers") as url:
        yield url


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, s3, database_url):
    """Migrate, load the network, then start two gunicorn servers and the worker, every one
    with the same database and bucket and a data folder of its own."""
    endpoint, _client = s3
    root = tmp_path_factory.mktemp("servers")
    drop = {"DJANGO_SETTINGS_MODULE", "SAFECITIES_VAR", "MEDIA_ROOT", "SQLITE_TEST_NAME"}
    base = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("AWS_")}
    base.update(
        PYTHONPATH=str(CHECKOUT / "src"),
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="two-servers-" + uuid.uuid4().hex * 2,
        SAFECITIES_S3_BUCKET=BUCKET,
        SAFECITIES_S3_ENDPOINT_URL=endpoint,
        SAFECITIES_S3_REGION="us-east-1",
        SAFECITIES_S3_ACCESS_KEY_ID="deploy-test",
        SAFECITIES_S3_SECRET_ACCESS_KEY="deploy-test-secret",
        SAFECITIES_IMPORT_IN_REQUEST_ROWS="20",  # the import below goes to the worker
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    bin_dir = Path(sys.executable).parent

    def env(name: str) -> dict:
        return {**base, "SAFECITIES_VAR": str(root / name / "var")}

    def safecities(*args: str) -> str:
        done = subprocess.run(
            [str(bin_dir / "safecities"), *args],
            env=env("setup"),
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    safecities("migrate", "--no-input", "-v", "0")
    made = json.loads(safecities("shell", "-c", SETUP).strip().splitlines()[-1])

    processes = []

    def start(name: str, args: list[str]):
        log = root / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                args, env=env(name), cwd=root, stdout=out, stderr=subprocess.STDOUT
            )
        process.log = log
        processes.append(process)
        return process

    try:
        urls = []
        for name in ("server1", "server2"):
            port = _free_port()
            start(
                name,
                [sys.executable, "-m", "gunicorn", "safecities.wsgi"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
            )
            urls.append(f"http://127.0.0.1:{port}")
        start(
            "worker",
            [str(bin_dir / "safecities"), "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.2"],
        )
        for url in urls:
            _until(lambda url=url: _answers(url), f"{url} answering", alive=processes)
        yield {
            "urls": urls,
            "root": root,
            "database_url": database_url,
            "processes": processes,
            **made,
        }
    finally:
        for process in processes:
            _stop(process)


def _answers(url: str) -> bool:
    import requests

    try:  # the first request loads Django in gunicorn's worker: seconds on a busy machine
        return requests.get(url + "/", timeout=STARTUP).status_code == 200
    except requests.ConnectionError:  # refused: not listening yet
        return False


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def browser(cluster):
    """An HTTP client signed in as the coordinator (Oslo and Drammen) through server 1's login
    form; its session is in the database, so server 2 knows it too."""
    import requests

    server1 = cluster["urls"][0]
    session = requests.Session()
    login = server1 + reverse("core:login")
    page = session.get(login, timeout=30).text
    response = session.post(
        login,
        data={
            "csrfmiddlewaretoken": _csrf(page),
            "username": "coordinator@example.org",
            "password": PASSWORD,
        },
        timeout=30,
    )
    assert response.ok and "/accounts/login/" not in response.url, response.text[:2000]
    yield session
    session.close()


def _post_form(session, page_url: str, action_url: str, data: dict, files=None):
    """GET the form's page (for its CSRF token), POST the form, follow the redirect."""
    page = session.get(page_url, timeout=30)
    assert page.ok, page.text[:2000]
    data = {"csrfmiddlewaretoken": _csrf(page.text), **data}
    return session.post(action_url, data=data, files=files, timeout=60)


def _media_files(cluster) -> list[Path]:
    """Files under any process's media folder: there must be none, all are in the bucket."""
    return [p for p in cluster["root"].glob("*/var/media/**/*") if p.is_file()]


def _a_file_uploaded_through_one_server_is_downloaded_through_the_other(cluster, browser, s3):
    """An attachment uploaded through server 1 is downloaded through server 2."""
    from safecities.demo.pdf import simple_pdf

    server1, server2 = cluster["urls"]
    practice = cluster["practice"]
    pdf = simple_pdf(["Night bus evaluation", "Uploaded through server 1"])
    attach = server1 + reverse("practices:attach", args=[practice])
    response = _post_form(
        browser,
        attach,
        attach,
        {"title": "Evaluation"},
        files={"file": ("evaluation.pdf", pdf, "application/pdf")},
    )
    assert response.ok and response.url.endswith(reverse("practices:detail", args=[practice]))

    page = browser.get(server2 + reverse("practices:detail", args=[practice]), timeout=30).text
    (link,) = set(re.findall(r'href="(/practices/attachments/\d+/)"', page))
    download = browser.get(server2 + link, timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.content == pdf

    _endpoint, client = s3
    stored = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert any(key.endswith(".pdf") and "evaluation" in key for key in stored), stored
    assert not _media_files(cluster)


def _an_import_started_on_one_server_shows_its_progress_and_result_on_the_other(cluster, browser):
    import psycopg

    server1, server2 = cluster["urls"]
    lines = ["municipality_code;period;value"]
    lines += [
        f"{code};{year};{year - 1970}" for code in ("0301", "3301") for year in range(1980, 2025)
    ]
    upload = server1 + reverse("indicators:import-new")
    response = _post_form(
        browser,
        upload,
        upload,
        {"indicator": cluster["indicator"]},
        files={"file": ("big.csv", ("\n".join(lines) + "\n").encode(), "text/csv")},
    )
    assert response.ok, response.text[:2000]
    pk = int(re.search(r"/imports/(\d+)/", response.url).group(1))
    detail = reverse("indicators:import-detail", args=[pk])

    # The worker's first write batch waits for a lock the test holds on the observations
    # (reading them stays possible): meanwhile, server 2 shows the worker's write progress.
    with psycopg.connect(cluster["database_url"]) as holder:
        holder.execute("LOCK TABLE indicators_observation IN EXCLUSIVE MODE")
        commit = server1 + reverse("indicators:import-commit", args=[pk])
        preview = server1 + reverse("indicators:import-preview", args=[pk])
        response = _post_form(browser, preview, commit, {})
        assert response.ok, response.text[:2000]

        def writing():
            page = browser.get(server2 + detail, headers={"HX-Request": "true"}, timeout=30)
            return "Writing the observations" in page.text and page.text

        fragment = _until(writing, "server 2 showing the write phase", alive=cluster["processes"])
        assert 'max="90" value="0"' in fragment  # 90 rows to write, none written yet
        holder.rollback()  # the lock goes: the worker writes on

    def committed():
        page = browser.get(server2 + detail, timeout=30).text
        return "Undo the import" in page and page

    page = _until(committed, "server 2 showing the import committed", alive=cluster["processes"])
    assert "<progress" not in page
    assert re.search(r"New</th>\s*<td[^>]*>90<", page), "server 2 shows no 90 new observations"
    assert "big.csv" in browser.get(server1 + detail, timeout=30).text
    assert not _media_files(cluster)


def _a_pdf_built_by_the_worker_is_served_by_both_servers(cluster, browser):
    server1, server2 = cluster["urls"]
    city = reverse("reports:city", args=["oslo"])
    response = _post_form(
        browser, server1 + city, server1 + reverse("reports:city-pdf", args=["oslo"]), {}
    )
    assert response.ok, response.text[:2000]
    pk = int(re.search(r"/reports/pdf/(\d+)/", response.url).group(1))
    file = reverse("reports:file", args=[pk])

    def built():
        response = browser.get(server2 + file, timeout=60)
        return response.status_code == 200 and response.content

    pdf = _until(built, "the worker building the PDF", alive=cluster["processes"])
    assert pdf.startswith(b"%PDF")
    assert browser.get(server1 + file, timeout=60).content == pdf
    assert not _media_files(cluster)


def test_two_servers_and_a_worker_share_the_database_and_the_bucket(cluster, browser, s3):
    """One test, so that a parallel run starts the servers once (pytest-xdist would hand
    separate tests of this module to separate workers, each starting its own)."""
    _a_file_uploaded_through_one_server_is_downloaded_through_the_other(cluster, browser, s3)
    _an_import_started_on_one_server_shows_its_progress_and_result_on_the_other(cluster, browser)
    _a_pdf_built_by_the_worker_is_served_by_both_servers(cluster, browser)
