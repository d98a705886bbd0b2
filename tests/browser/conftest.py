"""Playwright against Debian's chromium, the live server, and an axe-core check for every page.

The browser is the system chromium at /usr/bin/chromium; these tests never download one.
"""

import json
import os
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


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (own cookies) with the given viewport."""
    contexts = []

    def open_page(viewport=None):
        context = browser.new_context(
            viewport=viewport or VIEWPORT, base_url=live_server.url, locale="en-GB"
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


@pytest.fixture
def demo(transactional_db):
    from safecities.demo.loader import Loader

    Loader().run()


def run_axe(page) -> None:
    """Run axe-core on the page as it is now and fail listing every WCAG 2.1 A/AA violation."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}; run `npm ci`.", pytrace=False)
    # Evaluated through the driver, not added as a <script>: the page's Content-Security-Policy
    # allows no inline script, and the tests keep it in force.
    page.evaluate(AXE_JS.read_text() + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
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
    page.locator("header form[action$='/accounts/logout/'] button").wait_for()


@pytest.fixture
def login():
    return log_in
