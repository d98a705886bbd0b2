"""Wide tables on a phone: each row a card whose cells are labelled by their column, the cells
to decide on first, and nothing scrolling sideways."""

import pytest
from django.urls import reverse

from safecities.grants.models import Application
from tests.browser.test_every_page import PHONE, sideways_scroll

pytestmark = pytest.mark.browser


def test_decision_pack_on_a_phone_shows_what_to_decide_on(new_page, shared_demo, login, axe):
    page = new_page(viewport=PHONE)
    login(page, "funder@example.org")
    call = Application.objects.get(title="Neighbourhood hosts Skien").call_id
    path = reverse("grants:decision-pack", args=[call])
    page.goto(path)

    assert sideways_scroll(page, path) == ""
    row = page.locator("#ranking tbody tr").filter(has_text="Neighbourhood hosts Skien")
    cells = {
        "title": row.locator("th"),
        "score": row.locator("td[data-label='Weighted score (0–5)']"),
        "requested": row.locator("td[data-label='Requested']"),
        "budget": row.locator("td[data-label='Budget left']"),
        "decide": row.get_by_role("link", name="Decide"),
    }
    boxes = {}
    for name, cell in cells.items():
        assert cell.is_visible(), name
        boxes[name] = cell.bounding_box()
        assert boxes[name]["x"] >= 0 and boxes[name]["x"] + boxes[name]["width"] <= 390, name
    # A card, not a row: its cells one under the other, what to decide on before the rest.
    tops = [boxes[name]["y"] for name in ("title", "score", "requested", "budget", "decide")]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    rank = row.locator("td[data-label='Rank']").bounding_box()
    assert rank["y"] > boxes["decide"]["y"]
    # Each cell says which column it is.
    assert "Requested:" in page.evaluate(
        "el => getComputedStyle(el, '::before').content",
        cells["requested"].element_handle(),
    )
    axe(page)


def test_decision_pack_stays_a_table_on_a_wide_screen(page, shared_demo, login):
    login(page, "funder@example.org")
    call = Application.objects.get(title="Neighbourhood hosts Skien").call_id
    page.goto(reverse("grants:decision-pack", args=[call]))
    assert page.locator("#ranking thead").is_visible()
    assert page.evaluate(
        "getComputedStyle(document.querySelector('#ranking tbody tr')).display"
    ) == ("table-row")
