"""Playwright against Debian's chromium, the live server, and an axe-core check for every page.

The browser is the system chromium at /usr/bin/chromium; these tests never download one.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "safecities-demo"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
# A form's POST, its redirect and the page after it, on a busy machine with the database's
# writers queued behind one another.
SUBMIT_TIMEOUT_MS = 30_000


def _assertions_wait_as_long_as_actions() -> None:
    """Playwright's `expect` waits 5 s by default, half of what an action may take here: on a
    busy two-core machine a POST, its redirect and the next page can take longer than that."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


_assertions_wait_as_long_as_actions()


@pytest.fixture(scope="package")
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread; Django would otherwise
    refuse the ORM calls the tests make. Set for this package only, and the browser closes
    with it, so no other test (nor a subprocess started by one) inherits either."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright):
    """One chromium for every browser test of a pytest process (each xdist worker has its own).

    Package-scoped rather than session-scoped on purpose: Playwright runs an event loop in the
    test thread while the browser is open, which would make Django refuse ORM calls in every test
    after it. pytest-django runs the browser tests together (they use the live server, so they
    come with the transactional tests, and `pytest_collection_modifyitems` below keeps them in
    one block), so one browser is opened per process all the same."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests drive Debian's chromium at {CHROMIUM}, which is missing. "
            "Install it with `apt-get install chromium`; the tests never download a browser.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(django_db_setup):
    """The one live server of a pytest process, shared by every browser test.

    pytest-django's own `live_server` fixture turns every test that uses it into a transactional
    test, whose tables are emptied afterwards. The server here is the same kind (pytest-django's
    `LiveServer`, a threaded Django server on localhost), but only the tests that ask for `demo`
    (or `live_server`, `transactional_db`) are transactional; tests that only read pages use
    `shared_demo` and keep the loaded demo network for the next. It starts after the test
    database is made and stops before it is dropped."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(site):
    """pytest-django's name for the live server, kept for tests that ask for it: the same shared
    server (asking for it makes the test transactional, as with pytest-django's own)."""
    return site


@pytest.fixture(autouse=True)
def _site_accepts_its_host(request):
    """What pytest-django does for the tests that name `live_server`, done for those that use the
    shared server through `page` or `new_page`: the server's host is allowed for the test's
    duration, and a test that does not read the shared demo (`shared_demo`) gets a transactional
    database, so the server sees what the test writes."""
    if "site" not in request.fixturenames or "live_server" in request.fixturenames:
        yield
        return
    if READS_ONLY not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    site = request.getfixturevalue("site")
    site._live_server_modified_settings.enable()
    yield
    site._live_server_modified_settings.disable()


@pytest.fixture
def new_page(browser, site):
    """Open a page in a fresh context (own cookies) with the given viewport."""
    contexts = []

    def open_page(viewport=None):
        context = browser.new_context(
            viewport=viewport or VIEWPORT, base_url=site.url, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded decisions go to a throw-away folder, not the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 for every demo user and every login would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _load_demo_unless_loaded() -> None:
    """The demo network is loaded once per process (tests/conftest.py's `django_db_setup`) and
    again only after a transactional test emptied the tables."""
    from safecities.core.models import User
    from safecities.demo.loader import Loader

    if not User.objects.filter(email="secretariat@example.org").exists():
        Loader().run()


@pytest.fixture
def demo(transactional_db):
    """The demo network for a test that changes data: a transactional test (the live server sees
    what it writes), whose tables are emptied after it. The demo is loaded again only when an
    earlier test emptied it."""
    _load_demo_unless_loaded()


@pytest.fixture(scope="package")
def _shared_media(tmp_path_factory):
    """One folder of uploaded files for the page-reading tests: the demo's, as loaded once per
    process."""
    from tests.conftest import _demo_media

    media = tmp_path_factory.mktemp("shared-demo-media")
    if _demo_media:
        shutil.copytree(_demo_media[0], media, dirs_exist_ok=True)
    return media


@pytest.fixture
def shared_demo(django_db_setup, django_db_blocker, settings, _shared_media):
    """The demo network for a test that only reads pages (signing in is the only write it may
    make): no transaction around the test and no emptying after it, so the next such test finds
    the demo as loaded, without loading it again. A test that changes what another test reads
    takes `demo` instead."""
    settings.MEDIA_ROOT = _shared_media
    with django_db_blocker.unblock():
        _load_demo_unless_loaded()
        yield


READS_ONLY = "shared_demo"


def _reads_only(item) -> bool:
    return READS_ONLY in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last page reader of a process's block, what the readers wrote (sessions, login
    records, report files asked for) is emptied and the demo network loaded anew, as after a
    transactional test: the tests after them find the demo as loaded, whichever tests this
    process was given (pytest-xdist passes the next test this process runs). After the last test
    of the process nothing is reloaded: no test follows, and the test database is gone by then
    (the connection names the configured database again, which must never be flushed)."""
    if not _reads_only(item) or nextitem is None or _reads_only(nextitem):
        return
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.plugin import blocking_manager_key

    from safecities.demo.loader import Loader
    from tests.conftest import FAST_HASHERS, _demo_media

    with item.config.stash[blocking_manager_key].unblock():
        call_command("flush", interactive=False, verbosity=0)
        media = _demo_media[0] if _demo_media else None
        with override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, **({"MEDIA_ROOT": media} if media else {})
        ):
            Loader().run()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """pytest-django runs the tests in a transaction first, the transactional ones next and the
    rest last; the page readers (`shared_demo`) would come last. The browser tests are put in one
    block where the first transactional one was, readers first: the readers then find the demo
    loaded once per process (no transactional test has emptied the tables yet), and one browser
    serves the whole block."""
    browser = [item for item in items if item.get_closest_marker("browser")]
    writers = [item for item in browser if not _reads_only(item)]
    if not writers:
        return
    readers = [item for item in browser if _reads_only(item)]
    others = [item for item in items if not item.get_closest_marker("browser")]
    at = items.index(writers[0])
    at -= sum(1 for item in items[:at] if item.get_closest_marker("browser"))
    items[:] = [*others[:at], *readers, *writers, *others[at:]]


def submit(page, button) -> None:
    """Click a form's submit button and wait until the page it leads to has loaded, so that what
    the test reads next (the page, or the database) is what the POST made. Fails with the
    server's status when the answer is an error page; and when no page comes at all, with what
    the browser sent and heard meanwhile and where every thread of the live server (it runs in
    this process) stands, so that such a failure says which side stalled."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    heard: list[str] = []
    listeners = {
        "request": lambda r: heard.append(f"sent {r.method} {r.url}"),
        "response": lambda r: heard.append(f"answer {r.status} {r.url}"),
        "requestfailed": lambda r: heard.append(f"failed {r.url}: {r.failure}"),
        "framenavigated": lambda f: (
            heard.append(f"navigated {f.url}") if f == page.main_frame else None
        ),
        "console": lambda m: heard.append(f"console {m.type}: {m.text}"),
        "pageerror": lambda e: heard.append(f"page error: {e}"),
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    stalled = None
    try:
        with page.expect_navigation(timeout=SUBMIT_TIMEOUT_MS) as landed:
            button.click()
        response = landed.value
    except PlaywrightTimeout:
        stalled = page.evaluate(
            """() => ({url: location.href, ready: document.readyState,
                       busy: [...document.querySelectorAll('[aria-busy=true]')].map(
                         b => b.outerHTML.slice(0, 200))})"""
        )
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
    if stalled is not None:
        pytest.fail(
            f"No page within {SUBMIT_TIMEOUT_MS / 1000:g} s of the click. The page: {stalled}.\n"
            "The browser meanwhile:\n  " + "\n  ".join(heard or ["nothing"]) + "\n"
            "The live server's threads:\n" + _threads_now(),
            pytrace=False,
        )
    assert response is None or response.ok, f"{response.status} from {response.url}"


def _threads_now() -> str:
    """Every thread's stack in this process (the live server's request threads among them)."""
    import faulthandler
    import tempfile

    with tempfile.TemporaryFile(mode="w+") as dump:
        faulthandler.dump_traceback(dump, all_threads=True)
        dump.seek(0)
        return dump.read()


def run_axe(page) -> None:
    """Run axe-core on the page as it is now and fail listing every WCAG 2.1 A/AA violation."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}; run `npm ci`.", pytrace=False)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the driver, not added as a <script>: the page's
        # Content-Security-Policy allows no inline script, and the tests keep it in force.
        page.evaluate(AXE_JS.read_text() + "\n;undefined")
    # Only the violations are reported in full and sent back: axe-core's `resultTypes` keeps one
    # node of each passing or inapplicable rule (https://www.deque.com/axe/core-documentation/
    # api-documentation/#options-parameter), which is most of its work on a long page.
    violations = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                       resultTypes: ['violations']}).then(r => r.violations)""",
        AXE_TAGS,
    )
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']!r}")
    assert not violations, f"axe found violations on {page.url}:\n" + "\n".join(lines)


@pytest.fixture
def axe():
    return run_axe


def log_in(page, email: str, *, check_a11y: bool = False) -> None:
    """Log in through the login page as a demo user, and wait until the site has let us in."""
    page.goto("/accounts/login/")
    if check_a11y:
        run_axe(page)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()  # by its place: the label is translated
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:  # the second step, with the code the app would show
        from safecities.core.models import User
        from tests.utils import current_code

        page.locator("#id_code").fill(current_code(User.objects.get(email=email)))
        page.locator("main button[type=submit]").click()
    # attached, not visible: on a phone the log-out button is inside the closed menu
    page.locator("header form[action$='/accounts/logout/'] button").wait_for(state="attached")


@pytest.fixture
def login():
    return log_in
