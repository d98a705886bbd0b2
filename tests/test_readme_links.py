"""The README's links into the checkout (the documentation, the screenshots) lead to files that
exist, and the screenshots it links are real PNG images."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)\)")


def _local_links() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [link for link in LINK.findall(text) if "://" not in link]


def test_every_local_link_in_the_readme_leads_to_a_file():
    missing = [link for link in _local_links() if not (ROOT / link).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"


def test_the_readme_shows_the_start_pages_and_the_decision_pack_on_a_phone_and_a_desktop():
    shots = [link for link in _local_links() if link.startswith("docs/screenshots/")]
    for screen in ("phone", "desktop"):
        assert f"docs/screenshots/decision-pack-{screen}.png" in shots
        for role in ("coordinator", "reviewer", "funder-officer", "secretariat"):
            assert f"docs/screenshots/start-{role}-{screen}.png" in shots
    for shot in shots:
        assert (ROOT / shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
