"""The screenshots in docs/screenshots/: each demo role's start page and the funder officer's
decision pack, on a phone (390 × 844) and a desktop (1280 × 900).

Run it against a running demo site (`make run` in another terminal), from the checkout:

    .venv/bin/python scripts/screenshots.py            # http://127.0.0.1:8000 into docs/screenshots
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8011 --out /tmp/shots

It signs in through the login page with the public demo password, and answers the two-factor
step with the demo authenticator key (`safecities demologins` prints both), using Debian's
chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from safecities.demo.data import DEMO_PASSWORD, demo_totp_key  # noqa: E402

ROLES = {
    "coordinator": "coordinator@example.org",
    "organisation-contact": "contact@example.org",
    "reviewer": "reviewer@example.org",
    "funder-officer": "funder@example.org",
    "secretariat": "secretariat@example.org",
}
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        code = totp(bytes.fromhex(demo_totp_key(email)))
        page.locator("#id_code").fill(f"{code:06d}")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()


def decision_pack_url(page: Page) -> str:
    """The decision pack linked from the funder officer's start page, or from the first
    proposal it asks them to decide."""
    page.goto("/start/")
    for step in ("a[href*='/decision-pack/']", "a[href$='/decide/']"):
        link = page.locator(step).first
        if not link.count():
            continue
        if "decision-pack" in step:
            return link.get_attribute("href") or ""
        link.click()
        page.wait_for_load_state()
        found = page.locator("a[href*='/decision-pack/']").first
        if found.count():
            return found.get_attribute("href") or ""
    raise SystemExit("No decision pack is linked from the funder officer's pages.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for role, email in ROLES.items():  # one sign-in per role: a code is accepted once
            context = browser.new_context(base_url=args.base, locale="en-GB")
            page = context.new_page()
            log_in(page, email)
            pack = decision_pack_url(page) if role == "funder-officer" else None
            for screen, viewport in SCREENS.items():
                page.set_viewport_size(viewport)
                page.goto("/start/")
                page.screenshot(path=args.out / f"start-{role}-{screen}.png", full_page=True)
                if pack:
                    page.goto(pack)
                    page.screenshot(path=args.out / f"decision-pack-{screen}.png", full_page=True)
            context.close()
        browser.close()
    for path in sorted(args.out.glob("*.png")):
        print(path)


if __name__ == "__main__":
    main()
