"""A reviewer scores beside the application: two columns on a desktop (the application in its own
scroll box), one on a phone; each criterion is one compact row; "Save" is busy while sent and its
name and value still reach the server."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safecities.grants.models import Review
from tests.browser.test_rows_added import RECORD_BUSY, busy_seen

pytestmark = pytest.mark.browser


def _review(title: str) -> Review:
    return Review.objects.get(application__title=title, reviewer__email="reviewer@example.org")


def columns(page) -> list[dict]:
    return page.evaluate(
        """() => ['.sc-review__application', '.sc-review__side'].map((s) => {
            const box = document.querySelector(s).getBoundingClientRect();
            return {left: Math.round(box.left), top: Math.round(box.top), width: box.width};
        })"""
    )


def test_the_review_form_stands_beside_the_application(page, login, axe, demo):
    review = _review("Dialogue cafés")
    login(page, "reviewer@example.org")
    page.goto(reverse("grants:review", args=[review.pk]))
    application, side = columns(page)
    assert side["left"] > application["left"] + application["width"] - 1  # side by side
    assert abs(side["top"] - application["top"]) < 5
    box = page.locator(".sc-review__application")
    assert box.evaluate("(e) => getComputedStyle(e).overflowY") == "auto"
    # one row per criterion: its name and weight, then the six scores on the same line
    rows = page.locator(".sc-score")
    criteria = list(review.application.call.criteria.all())
    expect(rows).to_have_count(len(criteria))
    first = rows.first
    expect(first.locator("legend")).to_contain_text(criteria[0].display_name)
    expect(first.locator("legend")).to_contain_text(f"weight {criteria[0].weight}")
    height = first.evaluate("(e) => e.querySelector('.sc-score__options').offsetHeight")
    assert first.evaluate("(e) => e.offsetHeight") < 4 * height
    axe(page)

    first.get_by_label("4 — very good").check()
    page.evaluate(RECORD_BUSY)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your review is saved.")).to_be_visible()
    seen = busy_seen(page)
    assert seen["submit"]["busy"] == "true" and seen["submit"]["text"] == "Saving…"
    assert seen["after"]["disabled"] is True
    assert seen["after"]["copied"] == [["action", "save"]]
    assert _review("Dialogue cafés").scores.get(criterion=criteria[0]).value == 4

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    application, side = columns(page)
    assert side["top"] > application["top"] + 50  # one column: the scores below
    assert abs(side["left"] - application["left"]) < 5
    axe(page)
